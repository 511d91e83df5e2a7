import "server-only";
import type { z } from "zod";
import { countJobIssues } from "@/db/queries/issues";
import { findJobWithCreator, listJobEvents } from "@/db/queries/jobs";
import type { jobDetailSchema } from "@/lib/api/contracts/jobs";
import { toJobDetailJson } from "@/lib/api/json/jobs";

/** A company's job as GET /api/jobs/{job_id} gives it (and the job pages start from); null when it is not theirs. */
export async function findJobDetail({
  companyId,
  jobId,
}: {
  companyId: string;
  jobId: number;
}): Promise<z.input<typeof jobDetailSchema> | null> {
  const job = await findJobWithCreator({ jobId, companyId });
  if (!job) return null;
  const [events, issueCounts] = await Promise.all([
    listJobEvents({ jobId: job.id }),
    countJobIssues({ companyId, jobId: job.id }),
  ]);
  return toJobDetailJson(job, events, issueCounts);
}
