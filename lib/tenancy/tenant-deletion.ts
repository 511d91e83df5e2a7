import "server-only";
import {
  addTenantDeletionProgress,
  countTenantJobsIn,
  deleteTenantRow,
  deleteTenantRows,
  isTenantMarkedForDeletion,
  listTenantJobFiles,
  listTenantJobsIn,
  TENANT_ROW_KINDS,
} from "@/db/queries/tenant-deletion";
import type { StepRunner } from "@/lib/background/definition";
import { requestCancel } from "@/lib/ingest/cancel";
import { JOB_ACTION_STATUSES } from "@/lib/ingest/job-status";
import { companyUploadsPrefix, getStorage } from "@/lib/storage";

/** The progress key of stored objects removed (the other keys are TENANT_ROW_KINDS). */
export const STORED_FILES_PROGRESS = "stored_files";

/**
 * Rows one step deletes: a crashed step repeats at most this much, and a company of ten million
 * staged rows stays within a few hundred steps. Stored objects go a few hundred a step (one request each).
 */
const batchSizes = { rows: 50_000, files: 500 };

/** Smaller batches, so that a test's company of a few rows crosses several of them. */
export function setTenantDeletionBatchSizesForTests(sizes: { rows: number; files: number }): void {
  Object.assign(batchSizes, sizes);
}

/**
 * Removes everything the company owns, then the company itself: its jobs' stored files and any other
 * object under its prefix, then its rows kind by kind (TENANT_ROW_KINDS), each in bounded batches, one
 * step each, with the deletion progress counted as it goes. A resumed run replays the steps it
 * finished and carries on; a step that crashed repeats on what is left. The company must be marked
 * for deletion (markTenantForDeletion): a run for any other company does nothing.
 */
export async function deleteTenant({
  companyId,
  step,
}: {
  companyId: string;
  step: StepRunner;
}): Promise<{ deleted: boolean }> {
  const marked = await step.run("check-marked-for-deletion", () => isTenantMarkedForDeletion({ companyId }));
  if (!marked) return { deleted: false };

  // A job's run writes rows as it goes: each is asked to stop, and nothing is removed until all have.
  await throughJobs(step, "stop-running-jobs", (afterJobId) => stopRunningJobs(companyId, afterJobId));
  await step.run("wait-for-running-jobs", () => ensureNoJobRuns(companyId));

  await throughJobs(step, "remove-job-files", (afterJobId) => removeJobFiles(companyId, afterJobId));
  for (let batch = 1; ; batch++) {
    const removed = await step.run(`remove-stored-objects-${batch}`, () => removeObjectsUnderPrefix(companyId));
    if (removed < batchSizes.files) break;
  }
  for (const kind of TENANT_ROW_KINDS) {
    for (let batch = 1; ; batch++) {
      const removed = await step.run(`delete-${kind.replaceAll("_", "-")}-${batch}`, () =>
        deleteTenantRows({ companyId, kind, limit: batchSizes.rows }),
      );
      if (removed < batchSizes.rows) break;
    }
  }
  const deleted = await step.run("delete-company", () => deleteTenantRow({ companyId }));
  return { deleted };
}

/** Runs `work` over the company's jobs a batch a step, each from the last job id the one before returned, until one returns null. */
async function throughJobs(
  step: StepRunner,
  stepId: string,
  work: (afterJobId: number) => Promise<number | null>,
): Promise<void> {
  let afterJobId = 0;
  for (let batch = 1; ; batch++) {
    const lastJobId = await step.run(`${stepId}-${batch}`, () => work(afterJobId));
    if (lastJobId === null) return;
    afterJobId = lastJobId;
  }
}

/** Asks the company's next running jobs after `afterJobId` to stop (a PENDING one is CANCELLED at once); the last one's id, or null when none was left. */
async function stopRunningJobs(companyId: string, afterJobId: number): Promise<number | null> {
  const running = await listTenantJobsIn({
    companyId,
    statuses: JOB_ACTION_STATUSES.cancel,
    afterId: afterJobId,
    limit: batchSizes.files,
  });
  for (const jobId of running) {
    await requestCancel({ jobId, companyId, actorUserId: null, actorName: "the deletion of the company" });
  }
  return running.at(-1) ?? null;
}

/** Throws while a job's run is still stopping: the step is retried (later, by the runner) until none is. */
async function ensureNoJobRuns(companyId: string): Promise<void> {
  const stopping = await countTenantJobsIn({ companyId, statuses: JOB_ACTION_STATUSES.cancel });
  if (stopping > 0) throw new Error(`${stopping} of the company's jobs are still stopping; trying again shortly`);
}

/** Removes the stored files of the company's next jobs after `afterJobId`; the last job's id, or null when none was left. */
async function removeJobFiles(companyId: string, afterJobId: number): Promise<number | null> {
  const batch = await listTenantJobFiles({ companyId, afterId: afterJobId, limit: batchSizes.files });
  const storage = getStorage();
  for (const job of batch) await storage.remove(job.storageKey);
  await addTenantDeletionProgress({ companyId, kind: STORED_FILES_PROGRESS, removed: batch.length });
  return batch.at(-1)?.id ?? null;
}

/** Removes up to a batch of whatever is still stored under the company's prefix (uploads never registered as jobs); how many. */
async function removeObjectsUnderPrefix(companyId: string): Promise<number> {
  const storage = getStorage();
  const keys: string[] = [];
  for await (const object of storage.list(companyUploadsPrefix(companyId))) {
    keys.push(object.key);
    if (keys.length >= batchSizes.files) break;
  }
  for (const key of keys) await storage.remove(key);
  await addTenantDeletionProgress({ companyId, kind: STORED_FILES_PROGRESS, removed: keys.length });
  return keys.length;
}
