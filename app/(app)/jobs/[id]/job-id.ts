/** The job id in a page's path, or null when it cannot be one (the page is then not found). */
export function parseJobId(value: string): number | null {
  const jobId = Number(value);
  return Number.isSafeInteger(jobId) && jobId > 0 ? jobId : null;
}
