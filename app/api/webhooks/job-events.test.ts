import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { insertWebhook } from "@/db/queries/webhooks";
import { webhookDeliveries, type Company } from "@/db/schema";
import { findJobDetail } from "@/lib/api/json/job-detail";
import { drain } from "@/lib/background/in-process/runner";
import { resetEnvForTests } from "@/lib/env";
import { announceJobOutcome } from "@/lib/ingest/outcome";
import { describeJobsWith } from "@/lib/webhooks/job-events";
import { encryptSigningSecret, newSigningSecret } from "@/lib/webhooks/secret";
import { describeEachBackend } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { registerFile, withJobRunner } from "@/test/ingest";
import { signedWith, startReceiver } from "@/test/webhook-receiver";

const HEADER = "email,first_name,last_name,company\n";

describeEachBackend("job outcomes told to webhooks", (database) => {
  withJobRunner("intake-webhook-jobs");
  let company: Company;
  let secret: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let webhookId: string;

  beforeAll(async () => {
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE_URLS", "true");
    resetEnvForTests();
    // What instrumentation.ts hands over at start-up.
    describeJobsWith(findJobDetail);
    company = await createCompany(database.db);
    receiver = await startReceiver([200]);
    ({ secret } = newSigningSecret());
    webhookId = (
      await insertWebhook({
        companyId: company.id,
        url: receiver.url,
        events: ["job.completed", "job.needs_review"],
        description: null,
        isActive: true,
        secretCiphertext: encryptSigningSecret(secret),
        secretPrefix: secret.slice(0, 12),
        createdById: null,
      })
    ).id;
  });
  afterEach(() => {
    receiver.received.length = 0;
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    resetEnvForTests();
    await receiver.close();
  });

  it("sends job.completed, signed, with the job as GET /api/jobs/{id} shows it, and only once", async () => {
    const t = unique();
    const job = await registerFile(
      company,
      `${HEADER}${t}-a@example.com,Ana,Silva,Acme\n${t}-b@example.com,Bo,Lee,Globex\n`,
    );
    await drain({ timeoutMs: 30_000 });

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(signedWith(secret, request)).toBe(true);
    const body = JSON.parse(request?.rawBody ?? "") as { id: string; type: string; data: { job: unknown } };
    expect(body.type).toBe("job.completed");
    expect(request?.headers["intake-webhook-id"]).toBe(body.id);
    expect(body.data.job).toEqual(
      JSON.parse(JSON.stringify(await findJobDetail({ companyId: company.id, jobId: job.id }))),
    );
    expect(body.data.job).toMatchObject({ job_id: job.id, status: "COMPLETED", inserted_count: 2 });

    // The same outcome announced again (a replayed step) is not delivered again.
    await announceJobOutcome({ jobId: job.id });
    await drain({ timeoutMs: 30_000 });
    expect(receiver.received).toHaveLength(1);
    const rows = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, body.id));
    expect(rows).toEqual([expect.objectContaining({ webhookId, status: "SUCCEEDED", event: "job.completed" })]);
  });

  it("sends job.needs_review for a job with issues; outcomes the webhook did not ask for are not sent", async () => {
    const t = unique();
    const job = await registerFile(company, `${HEADER}${t}-dup@example.com,A,B,C\n${t}-dup@example.com,D,E,F\n`);
    await drain({ timeoutMs: 30_000 });
    expect(receiver.received).toHaveLength(1);
    const body = JSON.parse(receiver.received[0]?.rawBody ?? "") as { type: string; data: { job: unknown } };
    expect(body).toMatchObject({ type: "job.needs_review", data: { job: { job_id: job.id, status: "NEEDS_REVIEW" } } });
    expect(signedWith(secret, receiver.received[0])).toBe(true);

    // A file with no data rows fails (job.failed): this webhook did not subscribe to it.
    await registerFile(company, `${HEADER}${unique()}-x@example.com\n`);
    await drain({ timeoutMs: 30_000 });
    expect(receiver.received.map((request) => (JSON.parse(request.rawBody) as { type: string }).type)).not.toContain(
      "job.failed",
    );
  });
});
