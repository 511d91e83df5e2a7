import { route } from "@/lib/api/route";
import { createApiKeyContract, listApiKeysContract } from "@/lib/api/contracts/api-keys";
import { toApiKeyJson, toCreatedApiKeyJson } from "@/lib/api/json/api-keys";
import { createCompanyApiKey, listCompanyApiKeys } from "@/lib/auth/api-key-admin";
import { requestedGroups } from "@/lib/auth/api-key-permissions";

export const GET = route(listApiKeysContract, async ({ ctx }) => ({
  api_keys: (await listCompanyApiKeys(ctx)).map(toApiKeyJson),
}));

export const POST = route(createApiKeyContract, async ({ ctx, body, log }) => {
  const created = await createCompanyApiKey(ctx, {
    name: body.name,
    groups: requestedGroups(body),
    expiresAt: body.expires_at ? new Date(body.expires_at) : null,
  });
  log.info({ created_api_key_id: created.id, groups: created.groups }, "API key created");
  return toCreatedApiKeyJson(created);
});
