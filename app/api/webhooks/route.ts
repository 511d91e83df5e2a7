import { route } from "@/lib/api/route";
import { createWebhookContract, listWebhooksContract } from "@/lib/api/contracts/webhooks";
import { toWebhookJson, toWebhookWithSecretJson } from "@/lib/api/json/webhooks";
import { createCompanyWebhook, listCompanyWebhooks } from "@/lib/webhooks/admin";

export const GET = route(listWebhooksContract, async ({ ctx }) => ({
  webhooks: (await listCompanyWebhooks(ctx)).map(toWebhookJson),
}));

export const POST = route(createWebhookContract, async ({ ctx, body, log }) => {
  const created = await createCompanyWebhook(ctx, { ...body, description: body.description ?? null });
  log.info({ webhook_id: created.id, events: created.events }, "webhook created");
  return toWebhookWithSecretJson(created);
});
