"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { fetchJob, jobKey, type JobDetail } from "@/components/api/jobs";
import { FINISHING_POLL_MS, isSettling } from "./review-status";

/**
 * The job under review, asked for again while it finishes by itself; once it has completed, `refresh`
 * runs, since finishing changes its rows (imported, skipped) and the contacts.
 */
export function useReviewJob(initialJob: JobDetail, companyId: string, refresh: () => Promise<void>) {
  const jobId = initialJob.job_id;
  const job = useQuery({
    queryKey: jobKey(companyId, jobId),
    queryFn: ({ signal }) => fetchJob(jobId, signal),
    initialData: initialJob,
    refetchInterval: (current) => (isSettling(current.state.data) ? FINISHING_POLL_MS : false),
  });

  const status = job.data.status;
  const previousStatus = useRef(status);
  useEffect(() => {
    if (status === "COMPLETED" && previousStatus.current !== "COMPLETED") void refresh();
    previousStatus.current = status;
  }, [status, refresh]);
  return job;
}
