import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/db";
import { deleteExpiredRateLimitCounts } from "@/db/queries/rate-limits";
import { rateLimitCounters } from "@/db/schema";
import { limiterOn, spend } from "@/lib/limits/limiter";
import { PostgresCounterStore } from "@/lib/limits/postgres-store";
import { createThrowawayDatabase, describeEachBackend, testBackends } from "@/test/database";
import { unique } from "@/test/fixtures";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The SQL store runs on either back end (the application uses memory on PGlite, see limiterOn).
describeEachBackend("Postgres rate-limit store", (database) => {
  const store = (points: number, durationSeconds: number) =>
    new PostgresCounterStore(database.db, { keyPrefix: `test-${unique()}`, points, duration: durationSeconds });

  it("allows the points in a window and refuses the next, saying how long until the window ends", async () => {
    const limit = store(3, 60);
    const spent = [];
    for (let attempt = 0; attempt < 4; attempt++) spent.push(await spend(limit, "key"));
    expect(spent.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(spent[3]).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) as number });
    const refused = spent[3] as { retryAfterSeconds: number };
    expect(refused.retryAfterSeconds).toBeGreaterThan(55);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    await expect(limit.get("key")).resolves.toMatchObject({ consumedPoints: 4, remainingPoints: 0 });
  });

  it("counts each key apart", async () => {
    const limit = store(1, 60);
    expect(await spend(limit, "one")).toEqual({ allowed: true });
    expect(await spend(limit, "two")).toEqual({ allowed: true });
    expect((await spend(limit, "one")).allowed).toBe(false);
  });

  it("starts a new window once the old one has ended", async () => {
    const limit = store(1, 1);
    expect(await spend(limit, "key")).toEqual({ allowed: true });
    expect((await spend(limit, "key")).allowed).toBe(false);
    await sleep(1100);
    await expect(limit.get("key")).resolves.toBeNull();
    expect(await spend(limit, "key")).toEqual({ allowed: true });
  });

  it("forgets a deleted key and gives back rewarded points", async () => {
    const limit = store(2, 60);
    await spend(limit, "key");
    await spend(limit, "key");
    await limit.reward("key", 1);
    expect(await spend(limit, "key")).toEqual({ allowed: true });
    await expect(limit.delete("key")).resolves.toBe(true);
    await expect(limit.get("key")).resolves.toBeNull();
    await expect(limit.delete("key")).resolves.toBe(false);
  });

  it("deletes counters expired longer than the grace, a batch at a time", async () => {
    const prefix = `cleanup-${unique()}`;
    const now = Date.now();
    await database.db.insert(rateLimitCounters).values([
      { key: `${prefix}:old-1`, points: 1, expire: new Date(now - 2 * 3600_000) },
      { key: `${prefix}:old-2`, points: 1, expire: new Date(now - 3 * 3600_000) },
      { key: `${prefix}:recent`, points: 1, expire: new Date(now - 60_000) },
      { key: `${prefix}:current`, points: 1, expire: new Date(now + 60_000) },
    ]);
    await expect(deleteExpiredRateLimitCounts(database.db, { graceSeconds: 3600, limit: 1 })).resolves.toBe(1);
    await expect(deleteExpiredRateLimitCounts(database.db, { graceSeconds: 3600, limit: 10 })).resolves.toBe(1);
    const left = await database.db.select({ key: rateLimitCounters.key }).from(rateLimitCounters);
    expect(left.map((row) => row.key).filter((key) => key.startsWith(prefix))).toEqual(
      expect.arrayContaining([`${prefix}:recent`, `${prefix}:current`]),
    );
    expect(left.filter((row) => row.key.startsWith(prefix))).toHaveLength(2);
  });
});

const postgres = testBackends().find((backend) => backend.kind === "postgres");

describe.skipIf(!postgres?.serverUrl)("two servers on one Postgres (postgres)", () => {
  const servers: DatabaseHandle[] = [];
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const throwaway = await createThrowawayDatabase(postgres?.serverUrl ?? "");
    drop = throwaway.drop;
    for (let server = 0; server < 2; server++) {
      servers.push(await openDatabase({ kind: "postgres", url: throwaway.url, max: 2 }));
    }
    await servers[0]?.migrate();
  });

  afterAll(async () => {
    try {
      await Promise.all(servers.map((server) => server.close()));
    } finally {
      await drop?.();
    }
  });

  it("share one count per key: each server's limiter sees the other's spends", async () => {
    const options = { keyPrefix: "shared", points: 4, durationSeconds: 60 };
    const [first, second] = servers.map((server) => limiterOn(server, options));
    if (!first || !second) throw new Error("two servers expected");
    const spent = await Promise.all([
      spend(first, "account"),
      spend(second, "account"),
      spend(first, "account"),
      spend(second, "account"),
    ]);
    expect(spent.every((result) => result.allowed)).toBe(true);
    expect((await spend(second, "account")).allowed).toBe(false);
    expect((await spend(first, "account")).allowed).toBe(false);
    await first.delete("account");
    expect(await spend(second, "account")).toEqual({ allowed: true });
  });
});
