import { route } from "@/lib/api/route";
import { deleteWebhookContract, updateWebhookContract } from "@/lib/api/contracts/webhooks";
import { toWebhookJson } from "@/lib/api/json/webhooks";
import { deleteCompanyWebhook, updateCompanyWebhook } from "@/lib/webhooks/admin";

export const PUT = route(updateWebhookContract, async ({ ctx, params, body }) =>
  toWebhookJson(await updateCompanyWebhook(ctx, params.id, body)),
);

export const DELETE = route(deleteWebhookContract, async ({ ctx, params, log }) => {
  await deleteCompanyWebhook(ctx, params.id);
  log.info({ webhook_id: params.id }, "webhook deleted");
  return { message: "Webhook deleted", id: params.id };
});
