import { route } from "@/lib/api/route";
import { testWebhookContract } from "@/lib/api/contracts/webhooks";
import { toWebhookDeliveryJson } from "@/lib/api/json/webhooks";
import { sendTestEvent } from "@/lib/webhooks/admin";

export const POST = route(testWebhookContract, async ({ ctx, params }) =>
  toWebhookDeliveryJson(await sendTestEvent(ctx, params.id)),
);
