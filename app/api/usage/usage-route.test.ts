import { eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as getJob } from "@/app/api/jobs/[job_id]/route";
import { GET as listJobs } from "@/app/api/jobs/route";
import { GET as getUsage } from "@/app/api/usage/route";
import { companies, usageRecords, type Company } from "@/db/schema";
import { createApiKey } from "@/lib/auth/api-keys";
import { recordApiRequest } from "@/lib/usage/recorder";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser } from "@/test/fixtures";
import { call, expectEnvelope } from "@/test/http";

type StatusClasses = { "2xx": number; "3xx": number; "4xx": number; "5xx": number };
type UsageJson = {
  from: string;
  to: string;
  days: {
    date: string;
    requests: number;
    by_status_class: StatusClasses;
    routes: { method: string; route: string; status: number; requests: number }[];
  }[];
  routes: { method: string; route: string; requests: number; by_status_class: StatusClasses }[];
  totals: { requests: number; by_status_class: StatusClasses; average_duration_ms: number };
  limits: { rate_limit_per_minute: number; rate_limit_per_hour: number; rate_limit_per_day: number };
};

const classes = (counts: Partial<StatusClasses>): StatusClasses => ({
  "2xx": 0,
  "3xx": 0,
  "4xx": 0,
  "5xx": 0,
  ...counts,
});
const today = () => new Date().toISOString().slice(0, 10);

describeEachBackend("GET /api/usage", (database) => {
  /** A company of its own per test, with a member's access token and an API key: counts start at zero. */
  type Tenant = { company: Company; userId: string; token: string; key: string; keyId: string };
  let tenant: Tenant;

  const newTenant = async (): Promise<Tenant> => {
    const company = await createCompany(database.db);
    const user = await createUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
    const signedIn = await call(login, "/api/auth/login", { body: { email: user.email, password: user.password } });
    expect(signedIn.status, JSON.stringify(signedIn.json)).toBe(200);
    const key = await createApiKey({ companyId: company.id, name: "usage reader", groups: ["viewer"] });
    const token = (signedIn.json as { access_token: string }).access_token;
    return { company, userId: user.id, token, key: key.key, keyId: key.id };
  };
  const usage = async (bearer: string, query = ""): Promise<UsageJson> => {
    const result = await call(getUsage, `/api/usage${query}`, { bearer });
    expect(result.status, JSON.stringify(result.json)).toBe(200);
    return result.json as UsageJson;
  };

  beforeEach(async () => {
    tenant = await newTenant();
  });

  it("counts the requests made, by day, route and status, with the totals and the company's limits", async () => {
    for (let request = 0; request < 3; request += 1) {
      expect((await call(listJobs, "/api/jobs", { bearer: tenant.token })).status).toBe(200);
    }
    for (const id of ["987654321", "987654322"]) {
      const result = await call(getJob, `/api/jobs/${id}`, { bearer: tenant.key, params: { job_id: id } });
      expect(result.status).toBe(404);
    }
    expectEnvelope(await call(listJobs, "/api/jobs?page=0", { bearer: tenant.token }), 400, "VALIDATION_ERROR");

    const report = await usage(tenant.token);
    expect(report.to).toBe(today());
    expect(report.days).toHaveLength(30);
    expect(report.days.at(-1)).toEqual({
      date: today(),
      requests: 6,
      by_status_class: classes({ "2xx": 3, "4xx": 3 }),
      routes: [
        { method: "GET", route: "/api/jobs", status: 200, requests: 3 },
        { method: "GET", route: "/api/jobs", status: 400, requests: 1 },
        { method: "GET", route: "/api/jobs/{job_id}", status: 404, requests: 2 },
      ],
    });
    expect(report.days.slice(0, -1).every((day) => day.requests === 0 && day.routes.length === 0)).toBe(true);
    expect(report.routes).toEqual([
      expect.objectContaining({
        method: "GET",
        route: "/api/jobs",
        requests: 4,
        by_status_class: classes({ "2xx": 3, "4xx": 1 }),
      }),
      expect.objectContaining({
        method: "GET",
        route: "/api/jobs/{job_id}",
        requests: 2,
        by_status_class: classes({ "4xx": 2 }),
      }),
    ]);
    expect(report.totals).toEqual({
      requests: 6,
      by_status_class: classes({ "2xx": 3, "4xx": 3 }),
      average_duration_ms: expect.any(Number) as unknown,
    });
    expect(report.limits).toEqual({
      rate_limit_per_minute: 1000,
      rate_limit_per_hour: 50_000,
      rate_limit_per_day: 1_000_000,
    });

    // Who made each request is kept: the member by user id, the key by key id.
    const stored = await database.db
      .select({ route: usageRecords.route, userId: usageRecords.userId, apiKeyId: usageRecords.apiKeyId })
      .from(usageRecords)
      .where(eq(usageRecords.companyId, tenant.company.id));
    expect(
      stored
        .filter((row) => row.route === "/api/jobs")
        .every((row) => row.userId === tenant.userId && row.apiKeyId === null),
    ).toBe(true);
    expect(
      stored
        .filter((row) => row.route === "/api/jobs/{job_id}")
        .every((row) => row.apiKeyId === tenant.keyId && row.userId === null),
    ).toBe(true);

    // The report's own request is counted too, in the next one.
    const next = await usage(tenant.key);
    expect(next.totals.requests).toBe(7);
    expect(next.days.at(-1)?.routes).toContainEqual({ method: "GET", route: "/api/usage", status: 200, requests: 1 });
  });

  it("shows the company's current rate limits", async () => {
    await database.db
      .update(companies)
      .set({ rateLimitPerMinute: 60, rateLimitPerHour: 2000, rateLimitPerDay: 30_000 })
      .where(eq(companies.id, tenant.company.id));
    expect((await usage(tenant.token)).limits).toEqual({
      rate_limit_per_minute: 60,
      rate_limit_per_hour: 2000,
      rate_limit_per_day: 30_000,
    });
  });

  it("never shows another company's requests", async () => {
    const other = await newTenant();
    for (let request = 0; request < 2; request += 1) await call(listJobs, "/api/jobs", { bearer: other.token });
    await call(listJobs, "/api/jobs", { bearer: tenant.token });

    expect((await usage(tenant.token)).totals.requests).toBe(1);
    const theirs = await usage(other.key);
    expect(theirs.totals.requests).toBe(2);
    expect(theirs.routes).toEqual([expect.objectContaining({ route: "/api/jobs", requests: 2 })]);
  });

  it("puts each request on its UTC day, the ends of the range included", async () => {
    const at = (iso: string) => ({
      companyId: tenant.company.id,
      userId: null,
      apiKeyId: null,
      method: "POST",
      route: "/api/jobs",
      statusCode: 201,
      durationMs: 10,
      at: new Date(iso),
    });
    for (const iso of [
      "2026-02-28T23:59:59.999Z", // the day before the range
      "2026-03-01T00:00:00.000Z",
      "2026-03-01T23:59:59.999Z",
      "2026-03-02T00:00:00.000Z",
      "2026-03-02T23:59:59.999Z",
      "2026-03-02T23:59:59.999Z",
      "2026-03-03T00:00:00.000Z", // the day after
    ]) {
      recordApiRequest(at(iso));
    }
    const report = await usage(tenant.token, "?from=2026-03-01&to=2026-03-02");
    expect(report).toMatchObject({ from: "2026-03-01", to: "2026-03-02" });
    expect(report.days.map((day) => [day.date, day.requests])).toEqual([
      ["2026-03-01", 2],
      ["2026-03-02", 3],
    ]);
    expect(report.totals).toEqual({ requests: 5, by_status_class: classes({ "2xx": 5 }), average_duration_ms: 10 });
  });

  it.each([
    { query: "?from=2026-02-30", field: "query.from", reason: /YYYY-MM-DD/ },
    { query: "?to=yesterday", field: "query.to", reason: /YYYY-MM-DD/ },
    { query: "?from=2026-03-10&to=2026-03-09", field: "query.to", reason: /before 'from' \(2026-03-10\)/ },
    { query: "?from=2099-01-01", field: "query.from", reason: /after today/ },
    { query: "?from=2025-01-01&to=2026-01-02", field: "query.from", reason: /367 days.*at most 366/ },
  ])("refuses $query naming $field", async ({ query, field, reason }) => {
    const error = expectEnvelope(
      await call(getUsage, `/api/usage${query}`, { bearer: tenant.token }),
      400,
      "VALIDATION_ERROR",
    );
    const fields = (error.details as { fields: { field: string; reason: string }[] }).fields;
    expect(fields).toEqual([expect.objectContaining({ field })]);
    expect(fields[0]?.reason).toMatch(reason);
    expect(error.message).toContain(field);
  });

  it("covers up to 366 days", async () => {
    const report = await usage(tenant.token, "?from=2024-01-01&to=2024-12-31");
    expect(report.days).toHaveLength(366);
    expect(report.days[59]?.date).toBe("2024-02-29");
  });

  it("refuses a caller without credentials", async () => {
    expectEnvelope(await call(getUsage, "/api/usage"), 401, "AUTHENTICATION_FAILED");
  });
});
