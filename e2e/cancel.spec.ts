import { expect, test } from "@playwright/test";
import { cleanLargeFile } from "./fixtures/contact-files";
import { JobPage } from "./fixtures/job-page";
import { jobState, uploadLarge } from "./fixtures/jobs";
import { signIn } from "./fixtures/sign-in";

test("an editor cancels a running job from its page: it stops, lands nothing, and can be reprocessed", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page);
  // Large enough to be still running when the button is clicked (a few seconds on the embedded database).
  const file = cleanLargeFile("cancel", 300_000);
  const jobId = await uploadLarge(page, file);
  const job = new JobPage(page, jobId, file.name);
  await job.open();

  await job.action("Cancel job").click();
  await expect(page.getByText(/Stop it\? Contacts it landed are taken back; reprocessing starts it over from the file/)).toBeVisible();
  await job.action("Stop job").click();

  await expect(job.header).toContainText("Cancelled", { timeout: 60_000 });
  const cancelled = await jobState(page, jobId);
  expect(cancelled).toMatchObject({ status: "CANCELLED", inserted_count: 0 });
  const landed = await page.request.get(`/api/contacts?job_id=${jobId}`);
  expect(((await landed.json()) as { total: number }).total).toBe(0);
  await expect(job.action("Cancel job")).toHaveCount(0);

  // Reprocessing lands every row exactly once.
  await job.action("Reprocess").click();
  await expect
    .poll(async () => (await jobState(page, jobId)).status, { timeout: 240_000, intervals: [1_000] })
    .toBe("COMPLETED");
  expect(await jobState(page, jobId)).toMatchObject({ inserted_count: 300_000, skipped_count: 0 });
});
