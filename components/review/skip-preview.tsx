"use client";

import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import { previewKey, previewResolution, type ResolutionPreview, type ResolutionRequest } from "@/components/api/issues";
import { describeSkip } from "./outcome";

/**
 * What resolving these issues without keeping a row would do, asked of the server (the rule its write
 * follows). Keyed by the exact set of issues, so a count is never shown for another selection.
 */
export function useSkipPreview(
  companyId: string,
  issueIds: readonly number[],
  enabled: boolean,
): UseQueryResult<ResolutionPreview> {
  const request: ResolutionRequest = { action: "skip", issue_ids: [...issueIds].sort((a, b) => a - b) };
  return useQuery({
    queryKey: previewKey(companyId, request),
    queryFn: ({ signal }) => previewResolution(request, signal),
    enabled: enabled && issueIds.length > 0,
  });
}

/** The preview in words, announced as it changes; the server's refusal (a job no longer in review) as an alert. */
export function SkipPreviewText({ preview, label }: { preview: UseQueryResult<ResolutionPreview>; label: string }) {
  if (preview.isError) {
    return (
      <p role="alert" className="text-sm text-red-700">
        {preview.error.message}
      </p>
    );
  }
  return (
    <p role="status" aria-label={label} className="text-sm text-slate-700">
      {preview.data ? describeSkip(preview.data) : "Counting the rows…"}
    </p>
  );
}
