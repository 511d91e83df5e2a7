import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { backgroundRuns, type Company } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/context";
import { registerDirectUpload } from "@/lib/ingest/register";
import { configureRunner, drain } from "@/lib/jobs/runner";
import { withTempDataDir } from "@/test/data-dir";
import { describeEachBackend } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";

describeEachBackend("in-process runner", (database) => {
  withTempDataDir("intake-runner");
  let company: Company;

  beforeAll(async () => {
    configureRunner({ concurrency: 1, backoffMs: [5, 5, 5, 5] });
    company = await createCompany(database.db);
  });

  it("runs queued while every slot is busy still run once a slot frees up", async () => {
    const ctx: TenantContext = {
      method: "api_key",
      companyId: company.id,
      companyName: company.name,
      companySlug: company.slug,
      groups: ["uploader"],
      user: null,
      apiKey: null,
    };
    // Registered back to back: the first run holds the only slot when the others are queued.
    for (let index = 0; index < 3; index += 1) {
      await registerDirectUpload({
        ctx,
        fileName: `busy-${index}.csv`,
        bytes: Buffer.from(`email,first_name,last_name,company\nbusy-${unique()}@example.com,B,Usy,Acme\n`),
        contentType: "text/csv",
        importMode: "upsert",
      });
    }
    await drain({ timeoutMs: 20_000 });
    const runs = await database.db.select({ status: backgroundRuns.status }).from(backgroundRuns).where(eq(backgroundRuns.functionId, "process-job"));
    expect(runs.map((run) => run.status)).toEqual(["COMPLETED", "COMPLETED", "COMPLETED"]);
  });
});
