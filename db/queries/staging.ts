import "server-only";
import { and, asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import { getDatabase, getDb, type Database, type JobScope } from "@/db";
import { copyRows, type CopyValue } from "@/db/copy";
import { containsText } from "@/db/search";
import { issueItems, issues, stagingRows, type StagingRow } from "@/db/schema";

/**
 * What a staging row shows outside the server: everything but its original cells (a malformed record's
 * raw text and every failed check's detail included, so review can show what the file said).
 */
export const stagingRowFields = {
  id: stagingRows.id,
  jobId: stagingRows.jobId,
  rowNumber: stagingRows.rowNumber,
  email: stagingRows.email,
  firstName: stagingRows.firstName,
  lastName: stagingRows.lastName,
  company: stagingRows.company,
  status: stagingRows.status,
  rowCheck: stagingRows.rowCheck,
  checkDetail: stagingRows.checkDetail,
  rawText: stagingRows.rawText,
  createdAt: stagingRows.createdAt,
  updatedAt: stagingRows.updatedAt,
};

export type StagingRowView = Pick<StagingRow, keyof typeof stagingRowFields>;

export type JobRowSort = "row_number" | "email" | "first_name" | "last_name" | "company";

const SORT_COLUMNS = {
  row_number: stagingRows.rowNumber,
  email: stagingRows.email,
  first_name: stagingRows.firstName,
  last_name: stagingRows.lastName,
  company: stagingRows.company,
} as const;

/**
 * A page of a job's staged rows. The job's rows are reached through the (job_id, row_number) key: in
 * row order a page is an index range; another sort or a search reads the job's rows once and keeps
 * the top of the sort (no index per column: each would cost every COPYed row).
 */
export async function listJobRows({
  companyId,
  jobId,
  status,
  search,
  sort,
  order,
  page,
  pageSize,
}: {
  companyId: string;
  jobId: number;
  status?: StagingRow["status"];
  search?: string;
  sort: JobRowSort;
  order: "asc" | "desc";
  page: number;
  pageSize: number;
}): Promise<{ rows: StagingRowView[]; total: number }> {
  const db = await getDb();
  const conditions: SQL[] = [eq(stagingRows.jobId, jobId), eq(stagingRows.companyId, companyId)];
  if (status) conditions.push(eq(stagingRows.status, status));
  if (search) {
    conditions.push(
      containsText([stagingRows.email, stagingRows.firstName, stagingRows.lastName, stagingRows.company], search),
    );
  }
  const where = and(...conditions);
  const direction = order === "asc" ? asc : desc;
  const sortColumn = SORT_COLUMNS[sort];
  const [rows, [totals]] = await Promise.all([
    db
      .select(stagingRowFields)
      .from(stagingRows)
      .where(where)
      // Row number breaks ties, so pages never overlap or skip a row.
      .orderBy(
        ...(sort === "row_number" ? [direction(sortColumn)] : [direction(sortColumn), asc(stagingRows.rowNumber)]),
      )
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(stagingRows).where(where),
  ]);
  return { rows, total: totals?.total ?? 0 };
}

export async function findStagingRow({
  companyId,
  stagingId,
  db: given,
}: {
  companyId: string;
  stagingId: number;
  db?: Database;
}): Promise<StagingRowView | null> {
  const db = given ?? (await getDb());
  const [row] = await db
    .select(stagingRowFields)
    .from(stagingRows)
    .where(and(eq(stagingRows.id, stagingId), eq(stagingRows.companyId, companyId)))
    .limit(1);
  return row ?? null;
}

/** The unresolved issues that claim a row. */
export async function openIssuesOfRow({
  companyId,
  stagingId,
  db: given,
}: {
  companyId: string;
  stagingId: number;
  db?: Database;
}): Promise<{ id: number; type: (typeof issues.$inferSelect)["type"] }[]> {
  const db = given ?? (await getDb());
  return db
    .select({ id: issues.id, type: issues.type })
    .from(issueItems)
    .innerJoin(issues, eq(issues.id, issueItems.issueId))
    .where(and(eq(issueItems.stagingId, stagingId), eq(issues.companyId, companyId), eq(issues.resolved, false)))
    .orderBy(asc(issues.id));
}

/**
 * Writes an edited row's normalised values (and the status asked for, if any). A row staged without its
 * cells (the fields rebuilt them) gets `originalCells` first, so its error-file line keeps what the file said.
 */
export async function updateStagingValues({
  db,
  companyId,
  stagingId,
  values,
  originalCells,
}: {
  db: Database;
  companyId: string;
  stagingId: number;
  values: Partial<
    Pick<StagingRow, "email" | "firstName" | "lastName" | "company" | "rowCheck" | "checkDetail" | "status">
  >;
  originalCells: string[] | null;
}): Promise<void> {
  const cells =
    originalCells === null
      ? {}
      : {
          cells: sql`coalesce(${stagingRows.cells}, ARRAY[${sql.join(
            originalCells.map((cell) => sql`${cell}`),
            sql`, `,
          )}]::text[])`,
        };
  await db
    .update(stagingRows)
    .set({ ...values, ...cells })
    .where(and(eq(stagingRows.id, stagingId), eq(stagingRows.companyId, companyId)));
}

/** The columns a staged record is COPYed into, in the order of its values (lib/ingest/stage.ts's stagingRow). */
export const STAGING_COLUMNS = [
  "job_id",
  "company_id",
  "row_number",
  "email",
  "first_name",
  "last_name",
  "company",
  "cells",
  "row_check",
  "check_detail",
  "raw_text",
  "status",
] as const;

/**
 * COPYs a chunk of a job's records into staging, in one transaction that first deletes the job's rows
 * from `fromRow` on. The chunk's last row number is known only once it is read; nothing after the
 * chunk's first row can be staged yet (chunks run in order), so whatever is there is a crashed
 * attempt's, and running a chunk twice never duplicates a row.
 */
export async function copyStagingChunk({
  jobId,
  fromRow,
  rows,
}: {
  jobId: number;
  fromRow: number;
  rows: AsyncIterable<Iterable<readonly CopyValue[]>>;
}): Promise<void> {
  await copyRows(await getDatabase(), {
    table: "staging_rows",
    columns: STAGING_COLUMNS,
    rows,
    before: { sql: "DELETE FROM staging_rows WHERE job_id = $1 AND row_number >= $2", params: [jobId, fromRow] },
  });
}

/**
 * Rows no one decided to keep (still ISSUE), and rows whose own email is wrong whatever their status,
 * are SKIPPED: a reviewed job lands neither. In the caller's transaction.
 */
export async function skipUndecidedRows({ db, jobId, companyId }: JobScope): Promise<void> {
  await db.execute(sql`
      UPDATE staging_rows SET status = 'SKIPPED', updated_at = now()
      WHERE job_id = ${jobId} AND company_id = ${companyId}
        AND (status = 'ISSUE' OR (status = 'READY' AND row_check <> 'OK'))`);
}
