import "server-only";
import { getDb } from "@/db";
import { lockJob, transitionJob } from "@/db/queries/jobs";
import { announceJobOutcomeAfterRequest } from "@/lib/ingest/outcome";
import {
  deleteInsertedContacts,
  listKeptContacts,
  restoreUpdatedContacts,
  type KeptContact,
} from "@/db/queries/revert";
import { jobNotFound } from "@/lib/ingest/company-job";
import { jobAllows, statusesAllowing } from "@/lib/ingest/job-status";
import { DomainError } from "@/lib/errors";

/** How many kept contacts a revert lists (all are counted). */
export const KEPT_LISTED = 100;

export type RevertOutcome = {
  jobId: number;
  removed: number;
  restored: number;
  keptCount: number;
  kept: { contactId: number; email: string; reason: string }[];
};

/**
 * Undoes a COMPLETED job's contact changes in one transaction: removes the contacts it inserted,
 * restores the previous values of those it updated, except contacts a later job changed since (left
 * alone and reported). Staging rows and issues stay as they were; the job becomes REVERTED, with the
 * counts on its timeline. Throws 404 for a job the company does not have, 409 for one not COMPLETED.
 */
export async function revertJob({
  jobId,
  companyId,
  actorUserId,
}: {
  jobId: number;
  companyId: string;
  actorUserId: string | null;
}): Promise<RevertOutcome> {
  const db = await getDb();
  const outcome = await db.transaction(async (tx): Promise<RevertOutcome> => {
    // Locked first: a second revert of the same job waits here, then finds it REVERTED.
    const job = await lockJob({ db: tx, jobId, companyId });
    if (!job) throw jobNotFound(jobId);
    if (!jobAllows(job.status, "revert")) {
      throw new DomainError(
        "CONFLICT",
        `Job ${jobId} is ${job.status}; only ${statusesAllowing("revert")} jobs can be reverted`,
        { status: job.status },
      );
    }

    const removed = await deleteInsertedContacts({ db: tx, jobId, companyId });
    const restored = await restoreUpdatedContacts({ db: tx, jobId, companyId });
    const kept = await listKeptContacts({ db: tx, jobId, companyId, limit: KEPT_LISTED });

    const reverted = await transitionJob({
      db: tx,
      jobId,
      from: ["COMPLETED"],
      to: "REVERTED",
      message: revertSummary({ removed, restored, kept: kept.total }),
      actorUserId,
    });
    if (!reverted) throw new Error(`Job ${jobId} left COMPLETED while locked for its revert`);

    return {
      jobId,
      removed,
      restored,
      keptCount: kept.total,
      kept: kept.first.map((contact) => ({
        contactId: contact.contactId,
        email: contact.email,
        reason: keptReason(contact),
      })),
    };
  });
  await announceJobOutcomeAfterRequest({ jobId });
  return outcome;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export function revertSummary({
  removed,
  restored,
  kept,
}: {
  removed: number;
  restored: number;
  kept: number;
}): string {
  const parts = [
    `${plural(removed, "inserted contact", "inserted contacts")} removed`,
    `${plural(restored, "updated contact", "updated contacts")} restored`,
  ];
  if (kept > 0) parts.push(`${plural(kept, "contact", "contacts")} kept (changed by a later job)`);
  return `Reverted: ${parts.join(", ")}`;
}

function keptReason(contact: KeptContact): string {
  if (contact.laterJobId === null) return "Changed since this job, not by a recorded job; left as it is";
  const file = contact.laterJobFileName === null ? "" : ` (${contact.laterJobFileName})`;
  return `Changed since by job ${contact.laterJobId}${file}; left as it is`;
}
