import { route } from "@/lib/api/route";
import { revokeApiKeyContract } from "@/lib/api/contracts/api-keys";
import { toApiKeyJson } from "@/lib/api/json/api-keys";
import { revokeCompanyApiKey } from "@/lib/auth/api-key-admin";

export const DELETE = route(revokeApiKeyContract, async ({ ctx, params, log }) => {
  const revoked = await revokeCompanyApiKey(ctx, params.id);
  log.info({ revoked_api_key_id: revoked.id }, "API key revoked");
  return toApiKeyJson(revoked);
});
