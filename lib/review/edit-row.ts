import "server-only";
import { getDb } from "@/db";
import { lockJob } from "@/db/queries/jobs";
import { findStagingRow, openIssuesOfRow, updateStagingValues, type StagingRowView } from "@/db/queries/staging";
import type { Issue } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/context";
import { cellsFromFields, normaliseFields, type NormalisedFields } from "@/lib/csv";
import { DomainError } from "@/lib/errors";
import { actorName } from "@/lib/review/actor";
import { requireReview } from "@/lib/review/guard";
import { finishReviewedJobs } from "@/lib/review/notify";
import { recheckRow } from "@/lib/review/recheck";

/** An editor's change to a staged row: a field left out keeps its value; blank or null clears it. */
export type RowChanges = {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  status?: "READY" | "SKIPPED";
};

export type EditedRow = { row: StagingRowView; openIssues: Pick<Issue, "id" | "type">[] };

/**
 * The row's check after an edit. Fields edited: the check of the values as they now are (a malformed row
 * was rebuilt by the person, so it is malformed no more; its raw text stays, as the record of what the file
 * said). Only the status changed: a malformed row stays so. A name still too long after an edit that left
 * the names alone keeps its detail, which gave the length read from the file rather than the part kept.
 */
function checkAfterEdit(
  current: Pick<StagingRowView, "rowCheck" | "checkDetail">,
  changes: RowChanges,
  fields: NormalisedFields,
): Pick<StagingRowView, "rowCheck" | "checkDetail"> {
  const namesEdited =
    changes.firstName !== undefined || changes.lastName !== undefined || changes.company !== undefined;
  const fieldsEdited = namesEdited || changes.email !== undefined;
  const unchanged = { rowCheck: current.rowCheck, checkDetail: current.checkDetail };
  if (current.rowCheck === "MALFORMED_ROW" && !fieldsEdited) return unchanged;
  if (current.rowCheck === "VALUE_TOO_LONG" && fields.check === "VALUE_TOO_LONG" && !namesEdited) return unchanged;
  return { rowCheck: fields.check, checkDetail: fields.detail ?? null };
}

const notFound = (stagingId: number) => new DomainError("NOT_FOUND", `Staging row ${stagingId} not found`);

/**
 * Writes an edit to a row of a job in review, normalised and checked exactly as at ingestion, then
 * re-checks the row against the job's other rows and the company's contacts (lib/review/recheck.ts),
 * all in one transaction under the job's lock. A job left with no open issue is sent on to finish.
 */
export async function editStagingRow({
  ctx,
  stagingId,
  changes,
}: {
  ctx: TenantContext;
  stagingId: number;
  changes: RowChanges;
}): Promise<EditedRow> {
  const companyId = ctx.companyId;
  const db = await getDb();
  const edited = await db.transaction(async (tx) => {
    const located = await findStagingRow({ companyId, stagingId, db: tx });
    if (!located) throw notFound(stagingId);
    const job = await lockJob({ db: tx, jobId: located.jobId, companyId });
    if (!job) throw notFound(stagingId);
    requireReview(job, "its rows can be edited");
    // Read again under the lock: another edit of the same job may have committed in between.
    const current = (await findStagingRow({ companyId, stagingId, db: tx })) ?? located;

    const fields = normaliseFields({
      email: changes.email === undefined ? current.email : changes.email,
      firstName: changes.firstName === undefined ? current.firstName : changes.firstName,
      lastName: changes.lastName === undefined ? current.lastName : changes.lastName,
      company: changes.company === undefined ? current.company : changes.company,
    });
    await updateStagingValues({
      db: tx,
      companyId,
      stagingId,
      values: {
        email: fields.email,
        firstName: fields.firstName,
        lastName: fields.lastName,
        company: fields.company,
        ...checkAfterEdit(current, changes, fields),
        ...(changes.status ? { status: changes.status } : {}),
      },
      originalCells: job.layout ? cellsFromFields(current, job.layout) : null,
    });
    await recheckRow({
      db: tx,
      row: { id: stagingId, jobId: job.id, companyId, rowNumber: current.rowNumber },
      actor: actorName(ctx),
    });

    const row = await findStagingRow({ companyId, stagingId, db: tx });
    if (!row) throw notFound(stagingId);
    return { row, openIssues: await openIssuesOfRow({ companyId, stagingId, db: tx }) };
  });
  await finishReviewedJobs({ jobIds: [edited.row.jobId] });
  return edited;
}
