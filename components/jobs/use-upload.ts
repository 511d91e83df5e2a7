"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, useSyncExternalStore } from "react";
import { jobsKey } from "@/components/api/jobs";
import { UploadQueue, type UploadItem, type UploadRegistrar } from "@/components/jobs/upload-queue";

const NO_ITEMS: UploadItem[] = [];

/**
 * The page's uploads: each file gets an upload URL, is PUT there (progress in bytes), then is
 * registered as a job; three at a time. A registered job refreshes the company's job list.
 */
export function useUploads({ companyId, register }: { companyId: string; register?: UploadRegistrar }) {
  const queryClient = useQueryClient();
  const [queue] = useState(() => new UploadQueue({ register }));
  const items = useSyncExternalStore(queue.subscribe, queue.getSnapshot, () => NO_ITEMS);

  useEffect(() => {
    queue.setOnRegistered(() => {
      void queryClient.invalidateQueries({ queryKey: jobsKey(companyId) });
    });
  }, [queue, queryClient, companyId]);

  // Leaving the page mid-upload loses the files still in flight: ask first.
  const busy = items.some(
    (item) => item.phase === "waiting" || item.phase === "uploading" || item.phase === "checking",
  );
  useEffect(() => {
    if (!busy) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [busy]);

  return { items, queue, busy };
}
