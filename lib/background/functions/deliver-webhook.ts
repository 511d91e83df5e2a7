import { z } from "zod";
import { abandonDelivery } from "@/db/queries/webhooks";
import { defineBackgroundFunction, failureReason } from "@/lib/background/definition";
import { WEBHOOK_DELIVERY_REQUESTED } from "@/lib/background/events";
import { attemptDelivery, deliverySettings } from "@/lib/webhooks/deliver";

/**
 * Sends one webhook delivery: each attempt a named step, a durable sleep between attempts (1 min, 5 min,
 * 30 min, 2 h, 6 h, 12 h), until the receiver answers 2xx or the last attempt fails.
 */
export const deliverWebhookFunction = defineBackgroundFunction({
  id: "deliver-webhook",
  event: WEBHOOK_DELIVERY_REQUESTED,
  data: z.object({ deliveryId: z.number().int().positive(), companyId: z.uuid() }),
  retries: 3,
  handler: async ({ data, step }) => {
    const { backoffMs } = deliverySettings();
    for (let attempt = 1; ; attempt += 1) {
      const retryInMs = backoffMs[attempt - 1] ?? null;
      const outcome = await step.run(`attempt-${attempt}`, () =>
        attemptDelivery({ deliveryId: data.deliveryId, retryInMs }),
      );
      if (outcome.finished) return { attempts: attempt };
      await step.sleep(`wait-before-attempt-${attempt + 1}`, outcome.retryInMs);
    }
  },
  onFailure: async ({ data, error }) => {
    await abandonDelivery({ deliveryId: data.deliveryId, error: `Delivery stopped: ${failureReason(error)}` });
  },
});
