import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as health } from "@/app/api/health/route";
import { GET as getJob } from "@/app/api/jobs/[job_id]/route";
import { GET as readMetrics } from "@/app/api/metrics/route";
import { backgroundRuns, issues, jobs, users, type Company, type JobStatus } from "@/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, unique, type TestUser } from "@/test/fixtures";
import { call, download, expectEnvelope } from "@/test/http";
import { keyFor } from "@/test/jobs";

const METRICS_TOKEN = "scraper-token-0123456789abcdef";

/**
 * No Prometheus text parser is installed (prom-client writes the format but does not read it), so this
 * checks every line against the exposition grammar strictly and returns the samples, keyed
 * `name{label="value",…}` as written.
 */
function parseExposition(text: string): Map<string, number> {
  const name = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  const labelValue = String.raw`"(?:[^"\\\n]|\\[\\"n])*"`;
  const labels = String.raw`\{(?:[a-zA-Z_][a-zA-Z0-9_]*=${labelValue}(?:,[a-zA-Z_][a-zA-Z0-9_]*=${labelValue})*,?)?\}`;
  // Values are Go floats (strconv.ParseFloat): NaN and Inf in any case, as prom-client writes "Nan".
  const value = String.raw`(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?[iI][nN][fF]|[nN][aA][nN])`;
  const sample = new RegExp(`^(${name}(?:${labels})?) (${value})(?: -?\\d+)?$`);
  const help = new RegExp(`^# HELP ${name} .*$`);
  const type = new RegExp(`^# TYPE ${name} (?:counter|gauge|histogram|summary|untyped)$`);
  expect(text.endsWith("\n"), "the exposition ends with a newline").toBe(true);
  const samples = new Map<string, number>();
  for (const line of text.slice(0, -1).split("\n")) {
    if (line === "" || help.test(line) || type.test(line)) continue;
    const match = sample.exec(line);
    expect(match, `not a Prometheus sample line: ${JSON.stringify(line)}`).not.toBeNull();
    if (match?.[1] && match[2]) samples.set(match[1], Number(match[2].replace(/inf/i, "Infinity")));
  }
  return samples;
}

describeEachBackend("GET /api/metrics", (database) => {
  let company: Company;
  let companyAdmin: TestUser;
  let platformAdmin: TestUser;

  const tokenOf = async (user: TestUser): Promise<string> => {
    const result = await call(login, "/api/auth/login", { body: { email: user.email, password: user.password } });
    expect(result.status, JSON.stringify(result.json)).toBe(200);
    return (result.json as { access_token: string }).access_token;
  };
  // Tokens are minted when used: a test that changes the settings re-reads them, the signing secret too.
  const scrape = async (bearer?: string): Promise<Map<string, number>> => {
    bearer ??= await tokenOf(platformAdmin);
    const result = await download(readMetrics, "/api/metrics", { bearer });
    expect(result.status, result.bytes.toString("utf8")).toBe(200);
    expect(result.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(result.bytes.toString("utf8"));
  };
  const sampleOf = (samples: Map<string, number>, key: string): number => samples.get(key) ?? 0;
  const useMetricsToken = (token: string | undefined) => {
    vi.stubEnv("METRICS_TOKEN", token ?? "");
    resetEnvForTests();
  };

  beforeAll(async () => {
    company = await createCompany(database.db);
    companyAdmin = await createUser(database.db, { memberOf: [{ company, groups: ["admin"] }] });
    platformAdmin = await createUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
    await database.db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, platformAdmin.id));
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvForTests();
  });

  it("writes valid Prometheus text with the process metrics", async () => {
    const samples = await scrape();
    expect(samples.has("process_cpu_user_seconds_total")).toBe(true);
  });

  it("counts each request through route() under its route template and status", async () => {
    const healthKey = 'http_requests_total{method="GET",route="/api/health",status="200"}';
    const jobKey = 'http_requests_total{method="GET",route="/api/jobs/{job_id}",status="404"}';
    const jobDurationKey = 'http_request_duration_seconds_count{method="GET",route="/api/jobs/{job_id}",status="404"}';
    const bearer = await tokenOf(platformAdmin);
    const before = await scrape(bearer);
    for (let request = 0; request < 3; request += 1) expect((await call(health, "/api/health")).status).toBe(200);
    for (const id of ["987654321", "987654322"]) {
      const result = await call(getJob, `/api/jobs/${id}`, { bearer, params: { job_id: id } });
      expect(result.status, JSON.stringify(result.json)).toBe(404);
    }
    const after = await scrape(bearer);
    expect(sampleOf(after, healthKey) - sampleOf(before, healthKey)).toBe(3);
    expect(sampleOf(after, jobKey) - sampleOf(before, jobKey)).toBe(2);
    expect(sampleOf(after, jobDurationKey) - sampleOf(before, jobDurationKey)).toBe(2);
    expect(
      [...after.keys()].some((key) => key.includes("987654321")),
      "raw URLs never become labels",
    ).toBe(false);
  });

  it("reports the jobs, rows, issues and background runs the database holds", async () => {
    const before = await scrape();
    const created: { status: JobStatus; stagedRows: number; insertedCount: number; updatedCount: number }[] = [
      { status: "COMPLETED", stagedRows: 10, insertedCount: 6, updatedCount: 3 },
      { status: "COMPLETED", stagedRows: 5, insertedCount: 5, updatedCount: 0 },
      { status: "FAILED", stagedRows: 7, insertedCount: 0, updatedCount: 0 },
    ];
    const inserted = await database.db
      .insert(jobs)
      .values(
        created.map((job) => ({
          ...job,
          companyId: company.id,
          fileName: `metrics-${unique()}.csv`,
          storageKey: `metrics/${unique()}`,
          sha256: unique(),
          sizeBytes: 1,
        })),
      )
      .returning({ id: jobs.id });
    const jobId = inserted[0]?.id ?? 0;
    await database.db.insert(issues).values([
      { jobId, companyId: company.id, type: "DUPLICATE_EMAIL", issueKey: unique(), subject: "a@example.com" },
      {
        jobId,
        companyId: company.id,
        type: "DUPLICATE_EMAIL",
        issueKey: unique(),
        subject: "b@example.com",
        resolved: true,
      },
    ]);
    const hourAgo = new Date(Date.now() - 3600_000);
    await database.db.insert(backgroundRuns).values([
      { functionId: "metrics-test", eventName: "test/queued", eventData: {}, createdAt: hourAgo },
      { functionId: "metrics-test", eventName: "test/running", eventData: {}, status: "RUNNING" },
    ]);

    const after = await scrape();
    const change = (key: string) => sampleOf(after, key) - sampleOf(before, key);
    expect(change('intake_jobs{status="COMPLETED"}')).toBe(2);
    expect(change('intake_jobs{status="FAILED"}')).toBe(1);
    expect(change('intake_jobs{status="PENDING"}')).toBe(0);
    expect(change("intake_rows_staged_total")).toBe(22);
    expect(change("intake_rows_landed_total")).toBe(14);
    expect(change('intake_issues{state="open"}')).toBe(1);
    expect(change('intake_issues{state="resolved"}')).toBe(1);
    expect(change('intake_background_runs{status="QUEUED"}')).toBe(1);
    expect(change('intake_background_runs{status="RUNNING"}')).toBe(1);
    expect(sampleOf(after, "intake_background_oldest_run_age_seconds")).toBeGreaterThanOrEqual(3590);
    await database.db.delete(backgroundRuns).where(eq(backgroundRuns.functionId, "metrics-test"));
  });

  describe("who may read them", () => {
    it("a scraper with METRICS_TOKEN", async () => {
      useMetricsToken(METRICS_TOKEN);
      await scrape(METRICS_TOKEN);
    });

    it.each([
      { name: "another token", token: "not-the-metrics-token-at-all", configured: METRICS_TOKEN },
      { name: "METRICS_TOKEN's value when the setting is unset", token: METRICS_TOKEN, configured: undefined },
    ])("403 to $name", async ({ token, configured }) => {
      useMetricsToken(configured);
      const result = await call(readMetrics, "/api/metrics", { bearer: token });
      expect(expectEnvelope(result, 403, "FORBIDDEN").message).toMatch(/METRICS_TOKEN/);
    });

    it("403 to a company admin and to an admin API key", async () => {
      useMetricsToken(METRICS_TOKEN);
      for (const bearer of [await tokenOf(companyAdmin), await keyFor(company, ["admin"])]) {
        const result = await call(readMetrics, "/api/metrics", { bearer });
        expect(expectEnvelope(result, 403, "FORBIDDEN").message).toMatch(/platform administrators/);
      }
    });

    it("401 without credentials", async () => {
      useMetricsToken(METRICS_TOKEN);
      expectEnvelope(await call(readMetrics, "/api/metrics"), 401, "AUTHENTICATION_FAILED");
    });
  });
});
