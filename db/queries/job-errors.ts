import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { rowsOf } from "@/db/rows";

/** A staging row that one or more issues were raised on, with its original cells. */
export type ErrorRow = {
  rowNumber: number;
  /** Null when staging did not keep them: the staged fields rebuild them (`cellsFromFields`). */
  cells: string[] | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  /** Issue types, in the order the issues were raised, joined with "; ". */
  codes: string;
  /** Issue descriptions, in the same order, joined with "; ". */
  messages: string;
};

const JOINER = "; ";

/**
 * The widest row (in cells) among the job's rows that had issues: a ragged row may have more cells
 * than the file has headers, and the error file keeps them all.
 */
export async function widestErrorRow({ jobId, companyId }: { jobId: number; companyId: string }): Promise<number> {
  const db = await getDb();
  const [row] = rowsOf<{ width: number | null }>(
    await db.execute(sql`
      SELECT max(cardinality(s.cells))::int AS width
      FROM staging_rows s
      WHERE s.job_id = ${jobId} AND s.company_id = ${companyId}
        AND EXISTS (SELECT 1 FROM issue_items ii WHERE ii.staging_id = s.id)`),
  );
  return row?.width ?? 0;
}

/**
 * The next `limit` rows of the job that issues were raised on (resolved or not), after row number
 * `afterRowNumber`, in row order. Keyset over the (job, row number) key: each batch is one index range,
 * however far into the job it starts.
 */
export async function listErrorRows({
  jobId,
  companyId,
  afterRowNumber,
  limit,
}: {
  jobId: number;
  companyId: string;
  afterRowNumber: number;
  limit: number;
}): Promise<ErrorRow[]> {
  const db = await getDb();
  const rows = rowsOf<{
    row_number: number;
    cells: string[] | null;
    email: string | null;
    first_name: string | null;
    last_name: string | null;
    company: string | null;
    codes: string | null;
    messages: string | null;
  }>(
    await db.execute(sql`
      SELECT s.row_number, s.cells, s.email, s.first_name, s.last_name, s.company, e.codes, e.messages
      FROM (
        SELECT r.id, r.row_number, r.cells, r.email, r.first_name, r.last_name, r.company
        FROM staging_rows r
        WHERE r.job_id = ${jobId} AND r.company_id = ${companyId} AND r.row_number > ${afterRowNumber}
          AND EXISTS (SELECT 1 FROM issue_items ii WHERE ii.staging_id = r.id)
        ORDER BY r.row_number
        LIMIT ${limit}
      ) s
      CROSS JOIN LATERAL (
        SELECT string_agg(i.type::text, ${JOINER} ORDER BY i.id) AS codes,
          string_agg(coalesce(i.description, i.type::text), ${JOINER} ORDER BY i.id) AS messages
        FROM issue_items ii JOIN issues i ON i.id = ii.issue_id
        WHERE ii.staging_id = s.id AND i.company_id = ${companyId}
      ) e
      ORDER BY s.row_number`),
  );
  return rows.map((row) => ({
    rowNumber: Number(row.row_number),
    cells: row.cells,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    company: row.company,
    codes: row.codes ?? "",
    messages: row.messages ?? "",
  }));
}
