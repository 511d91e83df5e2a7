import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { DELETE as deleteHook, PUT as updateHook } from "@/app/api/webhooks/[id]/route";
import { GET as listDeliveries } from "@/app/api/webhooks/[id]/deliveries/route";
import { POST as rotateSecret } from "@/app/api/webhooks/[id]/rotate-secret/route";
import { POST as sendTest } from "@/app/api/webhooks/[id]/test/route";
import { GET as listHooks, POST as createHook } from "@/app/api/webhooks/route";
import { auditEvents, webhooks, type Company } from "@/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { describeEachBackend } from "@/test/database";
import { createCompany } from "@/test/fixtures";
import { anyString, call, expectEnvelope, type CallResult } from "@/test/http";
import { keyFor } from "@/test/jobs";
import { signedWith, startReceiver } from "@/test/webhook-receiver";

type HookJson = { id: string; url: string; events: string[]; active: boolean; secret_prefix: string; secret?: string };
type DeliveryJson = { event: string; status: string; status_code: number | null; attempts: number } & Record<
  string,
  unknown
>;

const create = (bearer: string, body: unknown) => call(createHook, "/api/webhooks", { bearer, body });
const list = (bearer: string) => call(listHooks, "/api/webhooks", { bearer });
const update = (bearer: string, id: string, body: unknown) =>
  call(updateHook, `/api/webhooks/${id}`, { bearer, method: "PUT", body, params: { id } });
const remove = (bearer: string, id: string) =>
  call(deleteHook, `/api/webhooks/${id}`, { bearer, method: "DELETE", params: { id } });
const deliveries = (bearer: string, id: string) =>
  call(listDeliveries, `/api/webhooks/${id}/deliveries`, { bearer, params: { id } });
const test = (bearer: string, id: string) =>
  call(sendTest, `/api/webhooks/${id}/test`, { bearer, method: "POST", params: { id } });
const rotate = (bearer: string, id: string) =>
  call(rotateSecret, `/api/webhooks/${id}/rotate-secret`, { bearer, method: "POST", params: { id } });

function created(result: CallResult): HookJson & { secret: string } {
  expect(result.status, JSON.stringify(result.json)).toBe(201);
  return result.json as HookJson & { secret: string };
}

function allowPrivateUrls(allow: boolean, nodeEnv = "test") {
  vi.stubEnv("WEBHOOK_ALLOW_PRIVATE_URLS", allow ? "true" : "false");
  vi.stubEnv("NODE_ENV", nodeEnv);
  vi.stubEnv("AUTH_SECRET", "a-fixed-test-secret-of-at-least-32-characters");
  resetEnvForTests();
}

describeEachBackend("webhook routes", (database) => {
  let company: Company;
  let admin: string;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    company = await createCompany(database.db, "Hooks A");
    admin = await keyFor(company, ["admin"]);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    resetEnvForTests();
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  afterAll(() => vi.unstubAllEnvs());

  it("creates a webhook whose secret is shown once, lists, changes, rotates and deletes it", async () => {
    const hook = created(
      await create(admin, {
        url: "https://93.184.216.34/hooks/intake",
        events: ["job.completed", "session.completed", "job.completed"],
        description: "CRM sync",
      }),
    );
    expect(hook).toEqual({
      id: anyString,
      url: "https://93.184.216.34/hooks/intake",
      events: ["job.completed", "session.completed"],
      description: "CRM sync",
      active: true,
      secret_prefix: hook.secret.slice(0, 12),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/) as unknown,
      created_at: anyString,
      updated_at: anyString,
    });
    const [stored] = await database.db.select().from(webhooks).where(eq(webhooks.id, hook.id));
    expect(stored?.secretCiphertext).not.toContain(hook.secret.slice(6));

    const listed = await list(admin);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.json)).not.toContain(hook.secret);
    expect((listed.json.webhooks as HookJson[]).map((each) => each.id)).toContain(hook.id);

    const changed = await update(admin, hook.id, { events: ["job.failed"], active: false, description: null });
    expect(changed.status, JSON.stringify(changed.json)).toBe(200);
    expect(changed.json).toMatchObject({ events: ["job.failed"], active: false, description: null, url: hook.url });

    const rotated = await rotate(admin, hook.id);
    expect(rotated.status).toBe(200);
    const secret = (rotated.json as { secret: string }).secret;
    expect(secret).not.toBe(hook.secret);
    expect(rotated.json.secret_prefix).toBe(secret.slice(0, 12));

    expect((await remove(admin, hook.id)).json).toEqual({ message: "Webhook deleted", id: hook.id });
    expectEnvelope(await remove(admin, hook.id), 404, "NOT_FOUND");
    const audit = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, hook.id));
    expect(audit.map((event) => event.action).sort()).toEqual([
      "webhook.created",
      "webhook.deleted",
      "webhook.secret_rotated",
      "webhook.updated",
    ]);
    expect(JSON.stringify(audit)).not.toContain(hook.secret);
  });

  it.each([
    { what: "no events", body: { url: "https://93.184.216.34/h", events: [] }, message: /events.*at least one event/s },
    { what: "an unknown event", body: { url: "https://93.184.216.34/h", events: ["job.exploded"] }, message: /events/ },
    { what: "no URL", body: { events: ["job.failed"] }, message: /url/ },
    { what: "a URL that is no URL", body: { url: "hooks", events: ["job.failed"] }, message: /absolute URL/ },
    {
      what: "a loopback address",
      body: { url: "http://127.0.0.1:9000/h", events: ["job.failed"] },
      message: /body\.url: must not point at a loopback address: 127\.0\.0\.1.*WEBHOOK_ALLOW_PRIVATE_URLS=true/,
    },
    {
      what: "a private address",
      body: { url: "https://10.0.0.8/h", events: ["job.failed"] },
      message: /private address: 10\.0\.0\.8/,
    },
    {
      what: "the metadata service",
      body: { url: "https://169.254.169.254/latest", events: ["job.failed"] },
      message: /link-local address/,
    },
    { what: "an IPv6 loopback", body: { url: "https://[::1]/h", events: ["job.failed"] }, message: /loopback/ },
    { what: "ftp", body: { url: "ftp://93.184.216.34/h", events: ["job.failed"] }, message: /must use https/ },
  ])("refuses $what with 400 naming the rule, and stores nothing", async ({ body, message }) => {
    const before = (await list(admin)).json.webhooks as HookJson[];
    const error = expectEnvelope(await create(admin, body), 400, "VALIDATION_ERROR");
    expect(error.message + JSON.stringify(error.details)).toMatch(message);
    expect((await list(admin)).json.webhooks).toHaveLength(before.length);
  });

  it("takes only https in production, and internal addresses only with WEBHOOK_ALLOW_PRIVATE_URLS=true", async () => {
    allowPrivateUrls(false, "production");
    const error = expectEnvelope(
      await create(admin, { url: "http://93.184.216.34/h", events: ["job.failed"] }),
      400,
      "VALIDATION_ERROR",
    );
    expect(error.message).toBe("Invalid body.url: must use https in production");
    created(await create(admin, { url: "https://93.184.216.34/h", events: ["job.failed"] }));

    allowPrivateUrls(true, "production");
    created(await create(admin, { url: "http://127.0.0.1:9/h", events: ["job.failed"] }));

    const hook = created(await create(admin, { url: "https://93.184.216.34/h", events: ["job.failed"] }));
    allowPrivateUrls(false, "production");
    const refused = expectEnvelope(
      await update(admin, hook.id, { url: "https://192.168.1.1/h" }),
      400,
      "VALIDATION_ERROR",
    );
    expect(refused.message).toMatch(/private address/);
  });

  it("sends a signed test event now and lists its delivery with the receiver's status code", async () => {
    allowPrivateUrls(true);
    const receiver = await startReceiver([200]);
    closers.push(receiver.close);
    const hook = created(await create(admin, { url: receiver.url, events: ["session.completed"] }));

    const sent = await test(admin, hook.id);
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    expect(sent.json).toMatchObject({ event: "ping", status: "SUCCEEDED", status_code: 200, attempts: 1 });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(signedWith(hook.secret, request)).toBe(true);
    expect(JSON.parse(request?.rawBody ?? "")).toMatchObject({ type: "ping", data: { webhook_id: hook.id } });

    const listed = await deliveries(admin, hook.id);
    expect(listed.status).toBe(200);
    expect(listed.json.deliveries).toEqual([
      {
        id: sent.json.id,
        event_id: sent.json.event_id,
        event: "ping",
        status: "SUCCEEDED",
        status_code: 200,
        attempts: 1,
        next_attempt_at: null,
        last_error: null,
        created_at: anyString,
        delivered_at: anyString,
      },
    ]);
  });

  it("records a test event the receiver refuses, or that finds no receiver, as FAILED with the reason", async () => {
    allowPrivateUrls(true);
    const receiver = await startReceiver([410]);
    closers.push(receiver.close);
    const hook = created(await create(admin, { url: receiver.url, events: ["job.failed"] }));
    expect((await test(admin, hook.id)).json).toMatchObject({
      status: "FAILED",
      status_code: 410,
      last_error: "The receiver answered 410",
      next_attempt_at: null,
    });

    await receiver.close();
    closers.pop();
    const gone = (await test(admin, hook.id)).json as DeliveryJson;
    expect(gone).toMatchObject({ status: "FAILED", status_code: null, attempts: 1 });
    expect(gone.last_error).toMatch(/ECONNREFUSED/);

    // Internal addresses refused since the webhook was made: checked again when sending.
    allowPrivateUrls(false);
    const refused = (await test(admin, hook.id)).json as DeliveryJson;
    expect(refused).toMatchObject({ status: "FAILED", status_code: null });
    expect(refused.last_error).toMatch(/must not point at a loopback address/);
    expect(((await deliveries(admin, hook.id)).json.deliveries as DeliveryJson[]).length).toBe(3);
  });
});
