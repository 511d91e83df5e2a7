import { eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { insertUsageRecords, type UsageEntry } from "@/db/queries/usage";
import type * as UsageQueries from "@/db/queries/usage";
import { apiKeys, companies, usageRecords, users, type Company } from "@/db/schema";
import { createApiKey } from "@/lib/auth/api-keys";
import { logger } from "@/lib/logger";
import {
  MAX_BUFFERED_USAGE,
  USAGE_BATCH_SIZE,
  bufferedUsageCount,
  flushUsage,
  recordApiRequest,
} from "@/lib/usage/recorder";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser } from "@/test/fixtures";

// Each call of insertUsageRecords is one statement: counting calls counts the statements the recorder sends.
vi.mock("@/db/queries/usage", async (importOriginal) => {
  const actual = await importOriginal<typeof UsageQueries>();
  return { ...actual, insertUsageRecords: vi.fn(actual.insertUsageRecords) };
});

const writes = vi.mocked(insertUsageRecords);
const { insertUsageRecords: actualInsert } = await vi.importActual<typeof UsageQueries>("@/db/queries/usage");

describeEachBackend("usage recorder", (database) => {
  let company: Company;

  const entry = (overrides: Partial<UsageEntry> = {}): UsageEntry => ({
    companyId: company.id,
    userId: null,
    apiKeyId: null,
    method: "GET",
    route: "/api/jobs",
    statusCode: 200,
    durationMs: 3,
    at: new Date(),
    ...overrides,
  });
  const storedFor = (companyId: string) =>
    database.db.select().from(usageRecords).where(eq(usageRecords.companyId, companyId));

  beforeEach(async () => {
    // Whatever an earlier test left buffered is written before this one counts statements.
    await flushUsage();
    writes.mockClear();
    company = await createCompany(database.db);
  });

  afterEach(async () => {
    writes.mockImplementation(actualInsert);
    await flushUsage();
    vi.restoreAllMocks();
  });

  it("buffers requests and writes them in one statement", async () => {
    for (let request = 0; request < 20; request += 1) recordApiRequest(entry({ durationMs: request }));
    expect(bufferedUsageCount()).toBe(20);
    expect(await storedFor(company.id)).toHaveLength(0);
    expect(writes).not.toHaveBeenCalled();

    await flushUsage();
    expect(writes).toHaveBeenCalledTimes(1);
    expect(writes.mock.calls[0]?.[0]).toHaveLength(20);
    expect(bufferedUsageCount()).toBe(0);
    const stored = await storedFor(company.id);
    expect(stored.map((row) => row.durationMs).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it("writes a full batch at once, without waiting for the timer", async () => {
    for (let request = 0; request < USAGE_BATCH_SIZE; request += 1) recordApiRequest(entry());
    expect(writes).toHaveBeenCalledTimes(1);
    expect(writes.mock.calls[0]?.[0]).toHaveLength(USAGE_BATCH_SIZE);
    await flushUsage();
    expect(await storedFor(company.id)).toHaveLength(USAGE_BATCH_SIZE);
  });

  it("writes what is buffered when the timer fires", async () => {
    for (let request = 0; request < 3; request += 1) recordApiRequest(entry());
    await vi.waitFor(async () => expect(await storedFor(company.id)).toHaveLength(3), { timeout: 5000 });
    expect(writes).toHaveBeenCalledTimes(1);
  });

  it("keeps the entries of a failed write for the next one", async () => {
    writes.mockRejectedValueOnce(new Error("connection refused"));
    for (let request = 0; request < 4; request += 1) recordApiRequest(entry());
    await flushUsage();
    expect(bufferedUsageCount()).toBe(4);
    expect(await storedFor(company.id)).toHaveLength(0);

    recordApiRequest(entry({ statusCode: 404 }));
    await flushUsage();
    expect(bufferedUsageCount()).toBe(0);
    const stored = await storedFor(company.id);
    expect(stored.map((row) => row.statusCode).sort()).toEqual([200, 200, 200, 200, 404]);
  });

  it("drops the oldest entries past its bound while writes fail, and logs how many", async () => {
    const logged = vi.spyOn(logger(), "error");
    writes.mockRejectedValue(new Error("connection refused"));
    const overflow = 5;
    for (let request = 0; request < MAX_BUFFERED_USAGE + overflow; request += 1) {
      recordApiRequest(entry({ durationMs: request }));
    }
    await flushUsage();
    expect(bufferedUsageCount()).toBe(MAX_BUFFERED_USAGE);

    // What reaches the database is what matters here, not the rows: the writes are captured, not made.
    const written: UsageEntry[] = [];
    writes.mockImplementation((batch) => {
      written.push(...batch);
      return Promise.resolve(batch.length);
    });
    await flushUsage();
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ dropped: overflow }),
      expect.stringMatching(/dropped/),
    );
    expect(written).toHaveLength(MAX_BUFFERED_USAGE);
    expect(written[0]?.durationMs).toBe(overflow);
    expect(written.at(-1)?.durationMs).toBe(MAX_BUFFERED_USAGE + overflow - 1);
  });

  it("writes the rest of a batch whose company, user or key was deleted since the request", async () => {
    const member = await createUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
    const leaver = await createUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
    const key = await createApiKey({ companyId: company.id, name: "kept", groups: ["viewer"] });
    const revokedKey = await createApiKey({ companyId: company.id, name: "deleted", groups: ["viewer"] });
    const deletedCompany = await createCompany(database.db);

    recordApiRequest(entry({ userId: member.id, statusCode: 200 }));
    recordApiRequest(entry({ apiKeyId: key.id, statusCode: 201 }));
    recordApiRequest(entry({ userId: leaver.id, statusCode: 403 }));
    recordApiRequest(entry({ apiKeyId: revokedKey.id, statusCode: 404 }));
    recordApiRequest(entry({ companyId: deletedCompany.id }));
    await database.db.delete(users).where(eq(users.id, leaver.id));
    await database.db.delete(apiKeys).where(eq(apiKeys.id, revokedKey.id));
    await database.db.delete(companies).where(eq(companies.id, deletedCompany.id));

    await flushUsage();
    expect(writes).toHaveBeenCalledTimes(1);
    expect(bufferedUsageCount()).toBe(0);
    const stored = await database.db
      .select({ statusCode: usageRecords.statusCode, userId: usageRecords.userId, apiKeyId: usageRecords.apiKeyId })
      .from(usageRecords)
      .where(inArray(usageRecords.companyId, [company.id, deletedCompany.id]))
      .orderBy(usageRecords.statusCode);
    expect(stored).toEqual([
      { statusCode: 200, userId: member.id, apiKeyId: null },
      { statusCode: 201, userId: null, apiKeyId: key.id },
      { statusCode: 403, userId: null, apiKeyId: null },
      { statusCode: 404, userId: null, apiKeyId: null },
    ]);
  });
});
