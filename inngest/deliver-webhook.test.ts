import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { insertDeliveriesForEvent, insertWebhook } from "@/db/queries/webhooks";
import { webhookDeliveries } from "@/db/schema";
import { functions } from "@/inngest/functions";
import { WEBHOOK_DELIVERY_REQUESTED } from "@/lib/background/events";
import { resetEnvForTests } from "@/lib/env";
import { configureWebhookDelivery } from "@/lib/webhooks/deliver";
import { encryptSigningSecret, newSigningSecret } from "@/lib/webhooks/secret";
import { describeEachBackend } from "@/test/database";
import { createCompany } from "@/test/fixtures";
import { startReceiver } from "@/test/webhook-receiver";

const deliverWebhook = functions.find((fn) => fn.id() === "deliver-webhook");
if (!deliverWebhook) throw new Error("no Inngest function with id deliver-webhook in inngest/functions.ts");

describeEachBackend("deliver-webhook Inngest function", (database) => {
  beforeAll(() => {
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE_URLS", "true");
    resetEnvForTests();
    configureWebhookDelivery({ backoffMs: [60_000, 300_000], timeoutMs: 2_000 });
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    resetEnvForTests();
    configureWebhookDelivery(null);
  });

  it("waits between attempts with Inngest's step.sleep, and ends once the receiver answers 2xx", async () => {
    const company = await createCompany(database.db);
    const receiver = await startReceiver([500, 502, 204]);
    try {
      const { secret, prefix } = newSigningSecret();
      await insertWebhook({
        companyId: company.id,
        url: receiver.url,
        events: ["session.completed"],
        description: null,
        isActive: true,
        secretCiphertext: encryptSigningSecret(secret),
        secretPrefix: prefix,
        createdById: null,
      });
      const eventId = randomUUID();
      const [delivery] = await insertDeliveriesForEvent({
        companyId: company.id,
        event: "session.completed",
        eventId,
        payload: { id: eventId, type: "session.completed", created_at: new Date().toISOString(), data: {} },
      });

      // The engine does not wait out a sleep: each is mocked by its id, as Inngest's own tests do.
      const { result, error, ctx } = await new InngestTestEngine({
        function: deliverWebhook,
        steps: ["wait-before-attempt-2", "wait-before-attempt-3"].map((id) => ({ id, handler: () => null })),
      }).execute({
        events: [{ name: WEBHOOK_DELIVERY_REQUESTED, data: { deliveryId: delivery?.id, companyId: company.id } }],
      });

      expect(error).toBeUndefined();
      expect(result).toEqual({ attempts: 3 });
      expect(receiver.received).toHaveLength(3);
      const sleep = ctx.step.sleep as unknown as { mock: { calls: unknown[][] } };
      expect(sleep.mock.calls).toEqual([
        ["wait-before-attempt-2", 60_000],
        ["wait-before-attempt-3", 300_000],
      ]);
      const [row] = await database.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.id, delivery?.id ?? 0));
      expect(row).toMatchObject({ status: "SUCCEEDED", attempts: 3, lastStatusCode: 204, nextAttemptAt: null });
    } finally {
      await receiver.close();
    }
  });
});
