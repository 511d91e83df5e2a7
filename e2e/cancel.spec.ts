import { expect, test } from "./fixtures/test";
import { cleanLargeFile } from "./fixtures/contact-files";
import { jobState, LARGE_FILE_PROCESSING, uploadLarge, waitForJobStatus } from "./fixtures/jobs";
import { JobPage } from "./pages/job-page";
import { SignInPage } from "./pages/sign-in-page";

test("an editor cancels a running job from its page: it stops, lands nothing, and can be reprocessed", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await new SignInPage(page).signIn();
  // Large enough to be still running when the button is clicked (a few seconds on the embedded database).
  const file = cleanLargeFile("cancel", 300_000);
  const jobId = await uploadLarge(page, file);
  const job = new JobPage(page, jobId, file.name);
  await job.open();

  await job.askToCancel();
  await expect(
    page.getByText(/Stop it\? Contacts it landed are taken back; reprocessing starts it over from the file/),
  ).toBeVisible();
  await job.stop();

  await expect(job.header).toContainText("Cancelled", { timeout: 60_000 });
  const cancelled = await jobState(page, jobId);
  expect(cancelled).toMatchObject({ status: "CANCELLED", inserted_count: 0 });
  const landed = await page.request.get(`/api/contacts?job_id=${jobId}`);
  expect(((await landed.json()) as { total: number }).total).toBe(0);
  await expect(job.action("Cancel job")).toHaveCount(0);

  // Reprocessing lands every row exactly once.
  await job.reprocess();
  await waitForJobStatus(page, jobId, "COMPLETED", LARGE_FILE_PROCESSING);
  expect(await jobState(page, jobId)).toMatchObject({ inserted_count: 300_000, skipped_count: 0 });
});
