"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { contactsKey } from "@/components/api/contacts";
import { issuesKey } from "@/components/api/issues";
import { jobsKey } from "@/components/api/jobs";

/**
 * After a review write: the issue lists, the jobs (counts, status: the last resolved issue starts the
 * finishing) and the contacts (a finished job changes them) are fetched again. Settles once the
 * issue lists have been, so the page never shows a stale state.
 */
export function useReviewRefresh(companyId: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    void queryClient.invalidateQueries({ queryKey: jobsKey(companyId) });
    void queryClient.invalidateQueries({ queryKey: contactsKey(companyId) });
    await queryClient.invalidateQueries({ queryKey: issuesKey(companyId) });
  }, [queryClient, companyId]);
}
