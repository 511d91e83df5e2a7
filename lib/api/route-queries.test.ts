import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import type postgres from "postgres";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/db";
import { outsideRequestQueries } from "@/db/request-queries";
import { defineContract } from "@/lib/api/contract";
import { route } from "@/lib/api/route";
import { setupTestDatabase, testBackends } from "@/test/database";
import { expectEnvelope, type CallResult } from "@/test/http";

/**
 * An API request's statements run under the request timeout and stop when its client leaves. Only a
 * real Postgres can show it: PGlite runs each statement to its end (see the README).
 */

const REQUEST_TIMEOUT_MS = 1_000;
const APPLICATION_TIMEOUT_MS = 10_000;
// Distinguishes this run's statements in pg_stat_activity from anything else on the server.
const MARKER = `slow_request_${randomBytes(4).toString("hex")}`;

type SlowWork = "sleep" | "sleep in a transaction" | "sleep outside the request" | "select";

/** Stands in for a slow search: a route whose statement sleeps, made for this test only. */
const slowRoute = route(
  defineContract({
    method: "GET",
    path: "/api/test/slow",
    summary: "test",
    tags: ["test"],
    auth: "public",
    query: z.object({
      seconds: z.coerce.number().nonnegative(),
      work: z.enum(["sleep", "sleep in a transaction", "sleep outside the request", "select"]),
    }),
    response: z.object({ answer: z.number() }),
  }),
  async ({ query }) => {
    const db = await getDb();
    const sleep = sql.raw(`SELECT pg_sleep(${query.seconds}) IS NULL AS slept /* ${MARKER} */`);
    const work: Record<SlowWork, () => Promise<unknown>> = {
      sleep: () => db.execute(sleep),
      "sleep in a transaction": () =>
        db.transaction(async (tx) => {
          await tx.execute(sql`SELECT 1`);
          await tx.execute(sleep);
        }),
      "sleep outside the request": () =>
        outsideRequestQueries(async () => {
          await db.execute(sleep);
        }),
      select: () => db.execute(sql`SELECT 1`),
    };
    await work[query.work]();
    return { answer: 42 };
  },
);

function slowRequest(work: SlowWork, seconds: number, signal?: AbortSignal): Promise<Response> {
  const path = `/api/test/slow?${new URLSearchParams({ work, seconds: String(seconds) })}`;
  return slowRoute(new NextRequest(`http://localhost${path}`, { signal }), { params: Promise.resolve({}) });
}

async function asResult(response: Response): Promise<CallResult> {
  return { status: response.status, headers: response.headers, json: (await response.json()) as never };
}

const postgresOnly = testBackends().filter((backend) => backend.kind === "postgres");

describe.each(postgresOnly)("an API request's statements ($kind)", (backend) => {
  if (backend.skip) return it.skip("needs TEST_DATABASE_URL");
  const database = setupTestDatabase(backend, {
    max: 10,
    statementTimeoutMs: APPLICATION_TIMEOUT_MS,
    requestStatementTimeoutMs: REQUEST_TIMEOUT_MS,
  });

  /** The application pool: it stays free while the request pool is busy. */
  const monitor = (): postgres.Sql => {
    const raw = database.handle.raw;
    if (raw.kind !== "postgres") throw new Error("needs a Postgres server");
    return raw.sql;
  };

  /** This test's statements Postgres is working on right now. */
  const running = async (): Promise<number> => {
    const [row] = await monitor()<{ count: number }[]>`
      SELECT count(*)::int AS count FROM pg_stat_activity
      WHERE state = 'active' AND pid <> pg_backend_pid() AND query LIKE ${`%${MARKER}%`}`;
    return row?.count ?? 0;
  };

  /** Polls until `done` holds, returning how long it took; fails after `withinMs`. */
  const waitFor = async (done: () => Promise<boolean>, withinMs: number): Promise<number> => {
    const started = performance.now();
    while (!(await done())) {
      if (performance.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return performance.now() - started;
  };

  const expectServedNormally = async () => {
    const next = await asResult(await slowRequest("select", 0));
    expect(next).toMatchObject({ status: 200, json: { answer: 42 } });
  };

  it.each<SlowWork>(["sleep", "sleep in a transaction"])(
    "a request abandoned by its client (%s) has its statement gone from pg_stat_activity within a second",
    async (work) => {
      const client = new AbortController();
      const responding = slowRequest(work, 30, client.signal);
      await waitFor(async () => (await running()) === 1, 5_000);

      client.abort();
      const goneAfterMs = await waitFor(async () => (await running()) === 0, 1_000);

      expect(goneAfterMs).toBeLessThan(1_000);
      // Nobody reads it, but the wrapper answers (503, not a crash) and the pool's connection is healthy again.
      expectEnvelope(await asResult(await responding), 503, "QUERY_TIMEOUT");
      await expectServedNormally();
    },
  );

  it("a statement over the request timeout is stopped and answered 503 QUERY_TIMEOUT, and the next request is served", async () => {
    const started = performance.now();
    const error = expectEnvelope(await asResult(await slowRequest("sleep", 5)), 503, "QUERY_TIMEOUT");

    expect(performance.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS + 2_000);
    expect(error.message).toMatch(/^The request took too long/);
    expect(await running()).toBe(0);
    await expectServedNormally();
  });

  it("work a request starts outside itself (a background run it kicks) keeps the application pool's longer timeout", async () => {
    const seconds = (REQUEST_TIMEOUT_MS * 1.5) / 1000;
    const result = await asResult(await slowRequest("sleep outside the request", seconds));

    expect(result).toMatchObject({ status: 200, json: { answer: 42 } });
  });

  it("work outside the request is not cancelled when the request's client leaves", async () => {
    const client = new AbortController();
    const responding = slowRequest("sleep outside the request", 0.5, client.signal);
    await waitFor(async () => (await running()) === 1, 5_000);

    client.abort();

    expect(await asResult(await responding)).toMatchObject({ status: 200, json: { answer: 42 } });
  });

  it("15 abandoned slow requests stop keeping Postgres busy once their clients leave", async () => {
    const clients = Array.from({ length: 15 }, () => new AbortController());
    // The pool has 10 connections: five of the requests wait for one, and must not start once freed.
    const responses = clients.map((client) => slowRequest("sleep", 30, client.signal));
    await waitFor(async () => (await running()) === 10, 5_000);

    for (const client of clients) client.abort();
    const idleAfterMs = await waitFor(async () => (await running()) === 0, 1_000);
    const settled = await Promise.all(responses.map(async (response) => (await response).status));
    const nextStarted = performance.now();
    await expectServedNormally();
    const nextMs = performance.now() - nextStarted;

    console.log(
      `15 abandoned slow requests: Postgres idle ${Math.round(idleAfterMs)} ms after their clients left; ` +
        `the next request answered in ${Math.round(nextMs)} ms`,
    );
    expect(idleAfterMs).toBeLessThan(1_000);
    expect(settled).toEqual(Array.from({ length: 15 }, () => 503));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await running()).toBe(0);
  });
});
