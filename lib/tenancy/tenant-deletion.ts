import "server-only";
import {
  addTenantDeletionProgress,
  deleteTenantRow,
  deleteTenantRows,
  isTenantMarkedForDeletion,
  listTenantJobFiles,
  TENANT_ROW_KINDS,
} from "@/db/queries/tenant-deletion";
import type { StepRunner } from "@/lib/background/definition";
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

  let afterJobId = 0;
  for (let batch = 1; ; batch++) {
    const lastJobId = await step.run(`remove-job-files-${batch}`, () => removeJobFiles(companyId, afterJobId));
    if (lastJobId === null) break;
    afterJobId = lastJobId;
  }
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
