import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { claimNextRun, insertBackgroundRun } from "@/db/queries/background-runs";
import { backgroundRuns } from "@/db/schema";
import { describeEachBackend } from "@/test/database";

describeEachBackend("claiming background runs", (database) => {
  it("takes a run whose lease lapsed, unless the caller is executing it itself", async () => {
    const runId = await insertBackgroundRun({ functionId: "lapsed-lease", eventName: "app/test", data: {} });
    await database.db
      .update(backgroundRuns)
      .set({ status: "RUNNING", leaseUntil: sql`now() - interval '1 second'` })
      .where(eq(backgroundRuns.id, runId!));

    expect(await claimNextRun({ leaseSeconds: 30, exceptIds: [runId!] })).toBeNull();
    expect(await claimNextRun({ leaseSeconds: 30 })).toMatchObject({ id: runId, status: "RUNNING", attempts: 1 });
    // Its lease is fresh again: nobody takes it now.
    expect(await claimNextRun({ leaseSeconds: 30 })).toBeNull();
  });

  it("starts one run per function and dedupe key, however often it is queued", async () => {
    const first = await insertBackgroundRun({ functionId: "once", eventName: "app/test", data: {}, dedupeKey: "k-1" });
    const again = await insertBackgroundRun({ functionId: "once", eventName: "app/test", data: {}, dedupeKey: "k-1" });
    const other = await insertBackgroundRun({ functionId: "twice", eventName: "app/test", data: {}, dedupeKey: "k-1" });
    const plain = [
      await insertBackgroundRun({ functionId: "once", eventName: "app/test", data: {} }),
      await insertBackgroundRun({ functionId: "once", eventName: "app/test", data: {} }),
    ];
    expect(first).toEqual(expect.any(String));
    expect(again).toBeNull();
    expect(other).toEqual(expect.any(String));
    expect(new Set(plain).size).toBe(2);
  });
});
