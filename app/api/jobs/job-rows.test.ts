import { beforeAll, expect, it } from "vitest";
import { describeEachBackend } from "@/test/database";
import { unique } from "@/test/fixtures";
import { expectEnvelope } from "@/test/http";
import { HEADER, api, ok, processedJob, reviewCompany, type StagingJson } from "@/test/review";

type RowsJson = { rows: StagingJson[]; total: number; page: number; page_size: number };

describeEachBackend("GET /api/jobs/{job_id}/rows", (database) => {
  const tenant = reviewCompany(database, "Rows Co");
  let jobId: number;
  let t: string;

  beforeAll(async () => {
    t = unique();
    jobId = await processedJob(
      tenant.keys.uploader,
      HEADER +
        `${t}-zed@example.com,Zed,Alpha,Globex\n` + // 2
        `${t}-amy@example.com,Amy,Zulu,Acme 100%\n` + // 3
        `${t}-dup@example.com,Bo,Mike,Initech\n` + // 4 ┐ duplicate
        `${t}-dup@example.com,Cy,Lima,Hooli\n` + // 5 ┘
        `${t}-broken,Di,Kilo,Zeta GLOBEX\n` + // 6 invalid
        `${t}-eve@example.com,Eve,Echo,Umbrella_Corp\n`, // 7
    );
  });

  const rowsOf = async (query: string) => ok<RowsJson>(await api.jobRows(tenant.keys.viewer, jobId, query));
  const numbers = (list: RowsJson) => list.rows.map((row) => row.staging_row_number);

  it("all rows in row order by default, without the hash or the original cells", async () => {
    const list = await rowsOf("");
    expect(list).toMatchObject({ total: 6, page: 1, page_size: 50 });
    expect(numbers(list)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(list.rows[4]).toEqual({
      staging_id: expect.any(Number) as unknown,
      staging_job_id: jobId,
      staging_row_number: 6,
      staging_email: `${t}-broken`,
      staging_first_name: "Di",
      staging_last_name: "Kilo",
      staging_company: "Zeta GLOBEX",
      staging_status: "ISSUE",
      staging_row_check: "INVALID_EMAIL",
      staging_check_detail: null,
      staging_raw_text: null,
      staging_created_at: expect.any(String) as unknown,
      staging_updated_at: expect.any(String) as unknown,
    });
  });

  it.each([
    { query: "?status=ISSUE", rows: [4, 5, 6] },
    { query: "?status=READY", rows: [2, 3, 7] },
    { query: "?status=IMPORTED", rows: [] },
    { query: "?q=globex", rows: [2, 6] },
    { query: "?q=%20DUP@%20", rows: [4, 5] },
    { query: "?q=100%25", rows: [3] },
    { query: "?q=%25", rows: [3] },
    { query: "?q=_", rows: [7] },
    { query: "?q=zulu&status=READY", rows: [3] },
    { query: "?q=%20%20", rows: [2, 3, 4, 5, 6, 7] },
    { query: "?sort=first_name", rows: [3, 4, 5, 6, 7, 2] },
    { query: "?sort=last_name&order=desc", rows: [3, 4, 5, 6, 7, 2] },
    { query: "?sort=company", rows: [3, 2, 5, 4, 7, 6] },
    // Rows of one email keep their row order within a sort, whichever direction.
    { query: "?sort=email&order=desc", rows: [2, 7, 4, 5, 6, 3] },
    { query: "?sort=row_number&order=desc", rows: [7, 6, 5, 4, 3, 2] },
  ])("$query → rows $rows", async ({ query, rows }) => {
    const list = await rowsOf(query);
    expect(numbers(list)).toEqual(rows);
    expect(list.total).toBe(rows.length);
  });

  it("pages: each a slice of the same order, with the total", async () => {
    const seen: number[] = [];
    for (const page of [1, 2, 3, 4]) {
      const list = await rowsOf(`?sort=email&page=${page}&page_size=2`);
      expect(list).toMatchObject({ total: 6, page, page_size: 2 });
      seen.push(...numbers(list));
    }
    expect(seen).toEqual(numbers(await rowsOf("?sort=email")));
  });

  it.each(["?sort=hash", "?order=up", "?page_size=201", "?page=0", "?status=NEW", `?q=${"x".repeat(201)}`])(
    "%s → 400",
    async (query) => {
      expectEnvelope(await api.jobRows(tenant.keys.viewer, jobId, query), 400, "VALIDATION_ERROR");
    },
  );

  it("an unknown job → 404", async () => {
    expect(expectEnvelope(await api.jobRows(tenant.keys.viewer, 987_654_321), 404, "NOT_FOUND").message).toBe(
      "Job 987654321 not found",
    );
  });
});
