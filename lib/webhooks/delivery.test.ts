import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { insertDeliveriesForEvent, insertWebhook } from "@/db/queries/webhooks";
import { backgroundRuns, backgroundSteps, webhookDeliveries, type Company } from "@/db/schema";
import { drain } from "@/lib/background/in-process/runner";
import { resetEnvForTests } from "@/lib/env";
import { configureWebhookDelivery } from "@/lib/webhooks/deliver";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import type { WebhookEvent } from "@/lib/webhooks/events";
import { encryptSigningSecret, newSigningSecret } from "@/lib/webhooks/secret";
import { describeEachBackend } from "@/test/database";
import { createCompany } from "@/test/fixtures";
import { withJobRunner } from "@/test/ingest";
import { signedWith, startReceiver } from "@/test/webhook-receiver";

describeEachBackend("webhook delivery", (database) => {
  withJobRunner("intake-webhook-delivery");
  let company: Company;

  beforeAll(() => {
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE_URLS", "true");
    resetEnvForTests();
    configureWebhookDelivery({ backoffMs: [50, 100], timeoutMs: 2_000 });
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    resetEnvForTests();
    configureWebhookDelivery(null);
  });
  beforeEach(async () => {
    company = await createCompany(database.db);
  });

  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  async function receiverWebhook(statuses: number[], events: WebhookEvent[] = ["session.completed"], isActive = true) {
    const receiver = await startReceiver(statuses);
    closers.push(receiver.close);
    const { secret, prefix } = newSigningSecret();
    const webhook = await insertWebhook({
      companyId: company.id,
      url: receiver.url,
      events,
      description: null,
      isActive,
      secretCiphertext: encryptSigningSecret(secret),
      secretPrefix: prefix,
      createdById: null,
    });
    return { receiver, secret, webhook };
  }

  const deliveriesOf = (webhookId: string) =>
    database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.webhookId, webhookId))
      .orderBy(asc(webhookDeliveries.id));

  it("delivers a session.completed event once, signed so that the documented check accepts it", async () => {
    const { receiver, secret, webhook } = await receiverWebhook([200]);
    const eventId = randomUUID();
    const data = { session: { id: 7, status: "completed" } };

    expect(await emitWebhookEvent({ companyId: company.id, event: "session.completed", data, eventId })).toEqual({
      deliveries: 1,
    });
    // The same occurrence announced again, before or after it was sent, records and sends nothing more.
    expect(await emitWebhookEvent({ companyId: company.id, event: "session.completed", data, eventId })).toEqual({
      deliveries: 0,
    });
    await drain({ timeoutMs: 20_000 });
    expect(await emitWebhookEvent({ companyId: company.id, event: "session.completed", data, eventId })).toEqual({
      deliveries: 0,
    });
    await drain({ timeoutMs: 20_000 });

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request?.headers["intake-webhook-id"]).toBe(eventId);
    expect(request?.headers["intake-webhook-event"]).toBe("session.completed");
    expect(JSON.parse(request?.rawBody ?? "")).toMatchObject({ id: eventId, type: "session.completed", data });
    expect(signedWith(secret, request)).toBe(true);
    expect(await deliveriesOf(webhook.id)).toEqual([
      expect.objectContaining({
        eventId,
        status: "SUCCEEDED",
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
        nextAttemptAt: null,
        deliveredAt: expect.any(Date) as unknown,
      }),
    ]);
  });

  it("retries after a failure with backoff: a receiver failing twice gets the event on the third attempt", async () => {
    const { receiver, secret, webhook } = await receiverWebhook([500, 503, 200]);
    const eventId = randomUUID();
    await emitWebhookEvent({ companyId: company.id, event: "session.completed", data: {}, eventId });
    await drain({ timeoutMs: 20_000 });

    expect(receiver.received).toHaveLength(3);
    for (const request of receiver.received) {
      expect(request.headers["intake-webhook-id"]).toBe(eventId);
      expect(signedWith(secret, request)).toBe(true);
    }
    // Every attempt sends the same body (its created_at included); only the signature's timestamp is new.
    expect(new Set(receiver.received.map((request) => request.rawBody)).size).toBe(1);
    expect(await deliveriesOf(webhook.id)).toEqual([
      expect.objectContaining({ status: "SUCCEEDED", attempts: 3, lastStatusCode: 200, nextAttemptAt: null }),
    ]);

    // The waits were durable sleeps of the run (wake-up times stored as steps), not failed attempts.
    const [delivery] = await deliveriesOf(webhook.id);
    const run = (
      await database.db.select().from(backgroundRuns).where(eq(backgroundRuns.functionId, "deliver-webhook"))
    ).find((candidate) => (candidate.eventData as { deliveryId: number }).deliveryId === delivery?.id);
    expect(run).toMatchObject({ status: "COMPLETED", attempts: 1 });
    const steps = await database.db
      .select({ stepId: backgroundSteps.stepId })
      .from(backgroundSteps)
      .where(eq(backgroundSteps.runId, run?.id ?? ""));
    expect(steps.map((step) => step.stepId).sort()).toEqual([
      "attempt-1",
      "attempt-2",
      "attempt-3",
      "wait-before-attempt-2",
      "wait-before-attempt-3",
    ]);
  });

  it("sends, once, a delivery a run recorded but died before sending when the event is announced again", async () => {
    const { receiver, webhook } = await receiverWebhook([200]);
    const eventId = randomUUID();
    const payload = { id: eventId, type: "session.completed", created_at: new Date().toISOString(), data: {} };
    // The dead run's first statement: the delivery is recorded, and nothing was dispatched.
    await insertDeliveriesForEvent({ companyId: company.id, event: "session.completed", eventId, payload });
    await drain({ timeoutMs: 20_000 });
    expect(receiver.received).toHaveLength(0);

    // Its replay announces the event again, twice here (a replay of the replay): one run, one request.
    for (let announcement = 0; announcement < 2; announcement += 1) {
      expect(await emitWebhookEvent({ companyId: company.id, event: "session.completed", data: {}, eventId })).toEqual({
        deliveries: 0,
      });
    }
    await drain({ timeoutMs: 20_000 });

    expect(receiver.received).toHaveLength(1);
    const [delivery] = await deliveriesOf(webhook.id);
    expect(delivery).toEqual(expect.objectContaining({ status: "SUCCEEDED", attempts: 1 }));
    const runs = await database.db
      .select({ data: backgroundRuns.eventData })
      .from(backgroundRuns)
      .where(eq(backgroundRuns.functionId, "deliver-webhook"));
    expect(runs.filter((run) => (run.data as { deliveryId?: number }).deliveryId === delivery?.id)).toHaveLength(1);
  });

  it("gives up once the retries are spent, recording the last answer and no next attempt", async () => {
    const { receiver, webhook } = await receiverWebhook([500]);
    await emitWebhookEvent({ companyId: company.id, event: "session.completed", data: {}, eventId: randomUUID() });
    await drain({ timeoutMs: 20_000 });

    expect(receiver.received).toHaveLength(3);
    expect(await deliveriesOf(webhook.id)).toEqual([
      expect.objectContaining({
        status: "FAILED",
        attempts: 3,
        lastStatusCode: 500,
        lastError: "The receiver answered 500",
        nextAttemptAt: null,
        deliveredAt: null,
      }),
    ]);
  });

  it("records nothing for webhooks not subscribed to the event, disabled, or of another company", async () => {
    const unsubscribed = await receiverWebhook([200], ["job.failed"]);
    const disabled = await receiverWebhook([200], ["session.completed"], false);
    const other = await createCompany(database.db);
    expect(
      await emitWebhookEvent({ companyId: other.id, event: "session.completed", data: {}, eventId: randomUUID() }),
    ).toEqual({ deliveries: 0 });
    expect(
      await emitWebhookEvent({ companyId: company.id, event: "session.completed", data: {}, eventId: randomUUID() }),
    ).toEqual({ deliveries: 0 });
    await drain({ timeoutMs: 20_000 });
    expect(unsubscribed.receiver.received).toHaveLength(0);
    expect(disabled.receiver.received).toHaveLength(0);
  });
});
