import { route } from "@/lib/api/route";
import { rotateWebhookSecretContract } from "@/lib/api/contracts/webhooks";
import { toWebhookWithSecretJson } from "@/lib/api/json/webhooks";
import { rotateCompanyWebhookSecret } from "@/lib/webhooks/admin";

export const POST = route(rotateWebhookSecretContract, async ({ ctx, params }) =>
  toWebhookWithSecretJson(await rotateCompanyWebhookSecret(ctx, params.id)),
);
