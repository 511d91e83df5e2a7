import { route } from "@/lib/api/route";
import { listWebhookDeliveriesContract } from "@/lib/api/contracts/webhooks";
import { toWebhookDeliveryJson } from "@/lib/api/json/webhooks";
import { listCompanyWebhookDeliveries } from "@/lib/webhooks/admin";

export const GET = route(listWebhookDeliveriesContract, async ({ ctx, params, query }) => ({
  deliveries: (await listCompanyWebhookDeliveries(ctx, params.id, query.limit)).map(toWebhookDeliveryJson),
}));
