import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { backgroundRuns, type Company } from "@/db/schema";
import { drain } from "@/lib/background/in-process/runner";
import { describeEachBackend } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { registerFile, withJobRunner } from "@/test/ingest";

describeEachBackend("in-process runner", (database) => {
  withJobRunner("intake-runner", { concurrency: 1 });
  let company: Company;

  beforeAll(async () => {
    company = await createCompany(database.db);
  });

  it("runs queued while every slot is busy still run once a slot frees up", async () => {
    // Registered back to back: the first run holds the only slot when the others are queued.
    for (let index = 0; index < 3; index += 1) {
      await registerFile(company, `email,first_name,last_name,company\nbusy-${unique()}@example.com,B,Usy,Acme\n`, {
        fileName: `busy-${index}.csv`,
      });
    }
    await drain({ timeoutMs: 20_000 });
    const runs = await database.db
      .select({ status: backgroundRuns.status })
      .from(backgroundRuns)
      .where(eq(backgroundRuns.functionId, "process-job"));
    expect(runs.map((run) => run.status)).toEqual(["COMPLETED", "COMPLETED", "COMPLETED"]);
  });
});
