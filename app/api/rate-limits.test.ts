import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { PUT as updateTenant } from "@/app/api/admin/tenants/[id]/route";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as health } from "@/app/api/health/route";
import { GET as ready } from "@/app/api/ready/route";
import { GET as listJobs } from "@/app/api/jobs/route";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { openDatabase, useDatabase, type Database, type DatabaseHandle } from "@/db";
import { companies, memberships, users, type Company } from "@/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { createThrowawayDatabase, describeEachBackend, testBackends } from "@/test/database";
import { createCompany, createUser } from "@/test/fixtures";
import { call, download, expectEnvelope, type CallResult } from "@/test/http";
import { keyFor } from "@/test/jobs";

const setLimits = (db: Database, company: Company, limits: Partial<typeof companies.$inferInsert>) =>
  db.update(companies).set(limits).where(eq(companies.id, company.id));

function configure(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  resetEnvForTests();
}

const jobsWith = (bearer: string, headers: Record<string, string> = {}) =>
  call(listJobs, "/api/jobs", { bearer, headers });

function rateHeaders(result: CallResult) {
  return {
    limit: result.headers.get("x-ratelimit-limit"),
    remaining: result.headers.get("x-ratelimit-remaining"),
    reset: Number(result.headers.get("x-ratelimit-reset")),
    retryAfter: result.headers.get("retry-after"),
  };
}

function expectRefused(result: CallResult, limit: number, window: "minute" | "hour" | "day") {
  const error = expectEnvelope(result, 429, "RATE_LIMIT_EXCEEDED");
  const retryAfter = Number(result.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(error.message).toMatch(
    new RegExp(`may make ${limit} requests a ${window}; try again in ${retryAfter} second`),
  );
  expect(error.details).toEqual({ limit, window, retry_after_seconds: retryAfter });
  expect(rateHeaders(result)).toMatchObject({ limit: String(limit), remaining: "0" });
}

describeEachBackend("per-company request limits", (database) => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvForTests();
  });

  it("with a limit of L, N > L parallel requests let exactly L through; the rest get 429 with the headers", async () => {
    const company = await createCompany(database.db);
    await setLimits(database.db, company, { rateLimitPerMinute: 5 });
    const key = await keyFor(company, ["viewer"]);
    const started = Math.floor(Date.now() / 1000);

    const results = await Promise.all(Array.from({ length: 12 }, () => jobsWith(key)));

    const allowed = results.filter((result) => result.status === 200);
    expect(allowed).toHaveLength(5);
    expect(allowed.map((result) => rateHeaders(result).remaining).sort()).toEqual(["0", "1", "2", "3", "4"]);
    for (const result of allowed) {
      expect(rateHeaders(result)).toMatchObject({ limit: "5", retryAfter: null });
      expect(rateHeaders(result).reset).toBeGreaterThanOrEqual(started + 59);
      expect(rateHeaders(result).reset).toBeLessThanOrEqual(started + 62);
    }
    const refused = results.filter((result) => result.status !== 200);
    expect(refused).toHaveLength(7);
    for (const result of refused) expectRefused(result, 5, "minute");
  });

  it("counts each company apart, and the hour and day limits as well as the minute's", async () => {
    const [busy, quiet] = [await createCompany(database.db), await createCompany(database.db)];
    await setLimits(database.db, busy, { rateLimitPerMinute: 100, rateLimitPerHour: 3, rateLimitPerDay: 50 });
    const [busyKey, quietKey] = [await keyFor(busy, ["viewer"]), await keyFor(quiet, ["viewer"])];

    for (const remaining of ["2", "1", "0"]) {
      const result = await jobsWith(busyKey);
      expect(result.status).toBe(200);
      // The window with the fewest requests left is the one the headers describe.
      expect(rateHeaders(result)).toMatchObject({ limit: "3", remaining });
    }
    expectRefused(await jobsWith(busyKey), 3, "hour");

    const quietResult = await jobsWith(quietKey);
    expect(quietResult.status).toBe(200);
    expect(rateHeaders(quietResult)).toMatchObject({ limit: "1000", remaining: "999" });
  });

  it("applies a limit changed through PUT /api/admin/tenants/{id} at the company's next request", async () => {
    const home = await createCompany(database.db);
    const admin = await createUser(database.db, { memberOf: [{ company: home, groups: ["admin"] }] });
    await database.db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, admin.id));
    const signedIn = await call(login, "/api/auth/login", { body: { email: admin.email, password: admin.password } });
    const adminToken = (signedIn.json as { access_token: string }).access_token;
    const tenant = await createCompany(database.db);
    const key = await keyFor(tenant, ["viewer"]);
    expect(rateHeaders(await jobsWith(key))).toMatchObject({ limit: "1000", remaining: "999" });

    const updated = await call(updateTenant, `/api/admin/tenants/${tenant.id}`, {
      bearer: adminToken,
      method: "PUT",
      params: { id: tenant.id },
      body: { rate_limit_per_minute: 2 },
    });
    expect(updated.status, JSON.stringify(updated.json)).toBe(200);
    // The platform admin's own requests count against their own company, not the tenant's.
    expect(rateHeaders(updated)).toMatchObject({ limit: "1000" });

    expect(rateHeaders(await jobsWith(key))).toMatchObject({ limit: "2", remaining: "0" });
    expectRefused(await jobsWith(key), 2, "minute");
  });

  it("counts an access token's requests against the company too, whatever they answer", async () => {
    const company = await createCompany(database.db);
    await setLimits(database.db, company, { rateLimitPerMinute: 2 });
    const member = await createUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
    const signedIn = await call(login, "/api/auth/login", { body: { email: member.email, password: member.password } });
    const token = (signedIn.json as { access_token: string }).access_token;
    // A 403 (a viewer cannot create a key) still counts.
    const { POST: createKey } = await import("@/app/api/api-keys/route");
    const refusedByGroup = await call(createKey, "/api/api-keys", {
      bearer: token,
      body: { name: "x", groups: ["viewer"] },
    });
    expect(refusedByGroup.status).toBe(403);
    expect(rateHeaders(refusedByGroup)).toMatchObject({ limit: "2", remaining: "1" });
    expect((await jobsWith(token)).status).toBe(200);
    expectRefused(await jobsWith(token), 2, "minute");
  });

  it("never limits health, readiness and metrics checks, and adds no headers to them", async () => {
    // Behind a trusted proxy an anonymous caller is counted by address: these routes still are not.
    configure({ TRUST_PROXY: "true", METRICS_TOKEN: "metrics-token-for-rate-limit-tests" });
    const address = { "x-forwarded-for": "203.0.113.90" };
    for (let request = 0; request < 3; request++) {
      for (const [handler, path, bearer] of [
        [health, "/api/health", undefined],
        [ready, "/api/ready", undefined],
        [metricsRoute, "/api/metrics", "metrics-token-for-rate-limit-tests"],
      ] as const) {
        const result = await download(handler, path, { headers: address, bearer });
        expect(result.status, path).toBe(200);
        expect(result.headers.get("x-ratelimit-limit"), path).toBeNull();
      }
    }
    // The same address on a metered route is counted from its first request: none of the above counted.
    expect(rateHeaders(await call(listJobs, "/api/jobs", { headers: address }))).toMatchObject({ remaining: "999" });
  });

  it("gives a company its point back when the credentials naming it are refused", async () => {
    const company = await createCompany(database.db);
    await setLimits(database.db, company, { rateLimitPerMinute: 2 });
    const removed = await createUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
    const signedIn = await call(login, "/api/auth/login", {
      body: { email: removed.email, password: removed.password },
    });
    const token = (signedIn.json as { access_token: string }).access_token;
    await database.db.delete(memberships).where(eq(memberships.userId, removed.id));

    for (let request = 0; request < 5; request++) {
      const refused = await jobsWith(token);
      expect(refused.status).toBe(403);
      expect(rateHeaders(refused).limit).toBeNull();
    }
    const key = await keyFor(company, ["viewer"]);
    expect(rateHeaders(await jobsWith(key))).toMatchObject({ limit: "2", remaining: "1" });
  });

  it("does not spend the hour and day on refused requests: a client retrying too fast keeps them", async () => {
    const company = await createCompany(database.db);
    await setLimits(database.db, company, { rateLimitPerMinute: 2, rateLimitPerHour: 6 });
    const key = await keyFor(company, ["viewer"]);
    for (let request = 0; request < 2; request++) expect((await jobsWith(key)).status).toBe(200);
    // Had these counted in the hour, it would be over 6 and refuse them too (the hour ends last).
    for (let request = 0; request < 10; request++) expectRefused(await jobsWith(key), 2, "minute");
  });

  it("limits callers without a company by their address behind a trusted proxy, and not at all without one", async () => {
    vi.stubEnv("TRUST_PROXY", "true");
    resetEnvForTests();
    const address = { "x-forwarded-for": "203.0.113.77" };
    const first = await call(listJobs, "/api/jobs", { headers: address });
    expectEnvelope(first, 401, "AUTHENTICATION_FAILED");
    expect(rateHeaders(first)).toMatchObject({ limit: "1000", remaining: "999" });
    expect(rateHeaders(await call(listJobs, "/api/jobs", { headers: address }))).toMatchObject({ remaining: "998" });

    vi.stubEnv("TRUST_PROXY", "false");
    resetEnvForTests();
    expect(rateHeaders(await call(listJobs, "/api/jobs", { headers: address })).limit).toBeNull();
  });

  it("counts every refusal in intake_rate_limit_rejections_total", async () => {
    vi.stubEnv("METRICS_TOKEN", "metrics-token-for-rate-limit-tests");
    resetEnvForTests();
    const scrape = async () => {
      const text = (
        await (
          await import("@/test/http")
        ).download(metricsRoute, "/api/metrics", {
          bearer: "metrics-token-for-rate-limit-tests",
        })
      ).bytes.toString("utf8");
      const line = text
        .split("\n")
        .find((each) => each.startsWith('intake_rate_limit_rejections_total{scope="company"}'));
      return Number(line?.split(" ").at(-1) ?? 0);
    };
    const company = await createCompany(database.db);
    await setLimits(database.db, company, { rateLimitPerMinute: 1 });
    const key = await keyFor(company, ["viewer"]);
    const before = await scrape();
    await Promise.all(Array.from({ length: 4 }, () => jobsWith(key)));
    expect(await scrape()).toBe(before + 3);
  });

  it("can be switched off (RATE_LIMIT_ENABLED=false): no count, no headers", async () => {
    vi.stubEnv("RATE_LIMIT_ENABLED", "false");
    resetEnvForTests();
    const company = await createCompany(database.db);
    await setLimits(database.db, company, { rateLimitPerMinute: 1 });
    const key = await keyFor(company, ["viewer"]);
    for (let request = 0; request < 3; request++) {
      const result = await jobsWith(key);
      expect(result.status).toBe(200);
      expect(rateHeaders(result).limit).toBeNull();
    }
  });
});

const TSX = path.join(process.cwd(), "node_modules", ".bin", "tsx");
const postgres = testBackends().find((backend) => backend.kind === "postgres");

describe.skipIf(!postgres?.serverUrl)("request limits shared by server processes on one Postgres", () => {
  let throwaway: { url: string; drop: () => Promise<void> };
  let handle: DatabaseHandle;

  beforeAll(async () => {
    throwaway = await createThrowawayDatabase(postgres?.serverUrl ?? "");
    handle = await openDatabase({ kind: "postgres", url: throwaway.url, max: 4 });
    await handle.migrate();
    useDatabase(handle);
  });

  afterAll(async () => {
    await handle.close();
    await throwaway.drop();
  });

  const serverProcess = async (key: string, requests: number) => {
    const { stdout } = await promisify(execFile)(
      TSX,
      ["--tsconfig", "test/tsconfig.processes.json", "test/rate-limit-worker.ts", "--requests", String(requests)],
      {
        env: {
          ...process.env,
          NODE_ENV: "test",
          DATABASE_URL: throwaway.url,
          RATE_LIMIT_WORKER_KEY: key,
          LOG_LEVEL: "silent",
          AUTH_SECRET: "rate-limit-worker-secret-00000000000000000000",
        },
      },
    );
    return JSON.parse(stdout.trim().split("\n").at(-1) ?? "[]") as { status: number; remaining: string | null }[];
  };

  it("two processes' requests share one count: exactly L get through between them", async () => {
    const company = await createCompany(handle.db);
    await setLimits(handle.db, company, { rateLimitPerMinute: 15 });
    const key = await keyFor(company, ["viewer"]);

    const [first, second] = await Promise.all([serverProcess(key, 12), serverProcess(key, 12)]);
    const all = [...first, ...second];

    expect(all.filter((result) => result.status === 200)).toHaveLength(15);
    expect(all.filter((result) => result.status === 429)).toHaveLength(9);
    // Both processes served some of the 15, and every remaining count from 14 to 0 was handed out once.
    expect(first.some((result) => result.status === 200) && second.some((result) => result.status === 200)).toBe(true);
    const remaining = all.filter((result) => result.status === 200).map((result) => Number(result.remaining));
    expect(remaining.sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, index) => index));
  });
});
