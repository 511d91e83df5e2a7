import { expect, test } from "./fixtures/test";
import { largeFile, reviewFiles } from "./fixtures/contact-files";
import {
  jobState,
  LARGE_FILE_PROCESSING,
  PROCESSING,
  uploadLarge,
  uploadSmall,
  waitForJobStatus,
} from "./fixtures/jobs";
import { ContactsPage } from "./pages/contacts-page";
import { IssuesPage } from "./pages/issues-page";
import { JobPage } from "./pages/job-page";
import { ReviewPage } from "./pages/review-page";
import { SignInPage } from "./pages/sign-in-page";

test("an editor reviews a job in the browser: fixes an email, keeps a duplicate, resolves the rest, sees it complete, then reverts it", async ({
  page,
}) => {
  const files = reviewFiles("rev");
  await new SignInPage(page).signIn();
  const contacts = new ContactsPage(page);

  // An earlier completed job establishes Ada, whom the reviewed file then conflicts with.
  const cleanJobId = await uploadSmall(page, files.clean, "COMPLETED");
  const before = await contacts.listed(files.domain);
  expect(before.map((contact) => contact[0])).toEqual([
    `ada@${files.domain}`,
    `alan@${files.domain}`,
    `grace@${files.domain}`,
  ]);
  expect(before.find((contact) => contact[0] === `ada@${files.domain}`)).toEqual([
    `ada@${files.domain}`,
    "Ada",
    "Lovelace",
    "Analytical Engines",
    `Job #${cleanJobId}`,
  ]);

  const jobId = await uploadSmall(page, files.review, "NEEDS_REVIEW");

  // The queue across jobs, narrowed to this job, links to its review.
  const queue = new IssuesPage(page);
  await queue.goto(jobId);
  await expect(queue.rows).toHaveCount(3);
  await expect(queue.openCount).toHaveText("3");
  await page.screenshot({ path: test.info().outputPath("issues-queue.png"), fullPage: true });
  await queue.reviewFirstIssue();
  await expect(page).toHaveURL(new RegExp(`/jobs/${jobId}/review$`));
  const review = new ReviewPage(page);
  await expect(review.heading(files.review.name)).toBeVisible();
  await expect(review.issues).toHaveCount(3);

  const invalid = review.issue(/Invalid email/);
  const duplicate = review.issue(/Duplicate email/);
  const conflict = review.issue(/Contact conflict/);
  // Side by side: the duplicate pair differs by name; the conflicting row is shown beside the existing contact.
  await expect(duplicate.root.getByRole("rowheader", { name: /First name\s*differs/ })).toBeVisible();
  await expect(duplicate.root.getByRole("rowheader", { name: /^Company$/ })).toBeVisible();
  await expect(conflict.root.getByRole("columnheader", { name: /Existing contact/ })).toBeVisible();
  await expect(conflict.root.getByRole("cell", { name: "Lovelace" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("review-before.png"), fullPage: true });

  // The keyboard: j lands on the first issue (the invalid email), Enter edits its row's email, Escape cancels.
  await page.keyboard.press("j");
  await expect(invalid.root).toBeFocused();
  await page.keyboard.press("Enter");
  const email = invalid.emailField(4);
  await expect(email).toBeFocused();
  await email.fill("Ivy@Nowhere");
  // Checked as you type, with the server's rule.
  await expect(email).toHaveAccessibleDescription("'ivy@nowhere' is not a valid email address");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(invalid.saveEmailButton(4)).toBeDisabled();
  await page.keyboard.press("Escape");
  await expect(email).toHaveCount(0);
  await expect(invalid.editEmailButton(4)).toBeFocused();
  await page.keyboard.press("Enter");
  await email.fill(`  Ivy@${files.domain} `);
  await expect(email).toHaveAttribute("aria-invalid", "false");
  await expect(email).toHaveAccessibleDescription("");
  await page.keyboard.press("Enter");
  // Fixed: the row leaves the issue, which is resolved and leaves the open list.
  await expect(review.lastChange).toContainText("Saved row 4");
  await expect(invalid.root).toHaveCount(0);
  await expect(review.issues).toHaveCount(2);

  // Between issues with j and k.
  await duplicate.focus();
  await expect(duplicate.root).toBeFocused();
  await page.keyboard.press("j");
  await expect(conflict.root).toBeFocused();
  await page.keyboard.press("k");
  await expect(duplicate.root).toBeFocused();

  // One click keeps Sam Smith (row 2); Samantha (row 3) is skipped.
  await duplicate.keepRow(2);
  await expect(duplicate.root).toHaveCount(0);

  // The rest, selected and their rows skipped together with a comment (told first which rows): Ada stays as she is.
  await conflict.select();
  await expect(review.selection.root).toContainText("1 selected");
  await expect(review.selection.preview).toHaveText("1 row will be skipped (row 5): it will not be imported.");
  await review.selection.comment.fill("Ada keeps her name; the file is older");
  await review.selection.skip("Skip 1 row");
  await expect(conflict.root).toHaveCount(0);

  // The last issue resolved: the job finishes by itself and the page follows it.
  await expect(review.reviewStatus).toContainText("Job completed", PROCESSING);
  await expect(review.reviewStatus).toContainText("3 new contacts, 0 updated, 2 rows skipped");
  await page.screenshot({ path: test.info().outputPath("review-completed.png"), fullPage: true });
  await review.show("Resolved");
  await expect(review.issues).toHaveCount(3);
  await expect(review.issue(/Contact conflict/).root).toContainText("Ada keeps her name; the file is older");

  // Its contacts: the three it inserted, under a job filter that can be taken off.
  await review.seeContacts();
  await expect(page).toHaveURL(new RegExp(`/contacts\\?job_id=${jobId}$`));
  await expect(contacts.heading).toBeVisible();
  await expect(contacts.jobFilter).toContainText(`Job #${jobId}`);
  await contacts.waitUntilLoaded();
  await expect(contacts.rows).toHaveCount(3);
  await contacts.clearJobFilter();
  await expect(contacts.jobFilter).toHaveCount(0);
  await expect(page).toHaveURL(/\/contacts$/);
  const after = await contacts.listed(files.domain);
  expect(after).toEqual(
    [
      ...before,
      [`ivy@${files.domain}`, "Ivy", "Invalid", "Acme", `Job #${jobId}`],
      [`nina@${files.domain}`, "Nina", "New", "Acme", `Job #${jobId}`],
      [`twin@${files.domain}`, "Sam", "Smith", "Acme", `Job #${jobId}`],
    ].sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? "")),
  );
  expect((await contacts.exportCsv()).suggestedFilename()).toMatch(/\.csv$/);
  await page.screenshot({ path: test.info().outputPath("contacts.png"), fullPage: true });

  // The job page: its figures, its error file, then revert (with its confirmation step).
  const job = new JobPage(page, jobId, files.review.name);
  await job.goto();
  await expect(job.figure("Inserted")).toHaveText("3");
  await expect(job.figure("Open issues")).toHaveText("0");
  await expect(job.figure("Resolved issues")).toHaveText("3");
  await expect(job.rows).toHaveCount(5);
  expect((await job.downloadErrorFile()).suggestedFilename()).toBe(`review-${files.tag}-errors.csv`);

  await job.askToRevert();
  await expect(job.revertConfirmation).toContainText("Revert this job?");
  await job.cancelRevert();
  await expect(job.revertConfirmation).toHaveCount(0);
  await job.revert();
  await expect(job.revertResult).toContainText("3 contacts the job added were removed");
  await expect(job.revertResult).toContainText("0 contacts it updated were restored");
  await expect(job.header).toContainText("Reverted");
  await page.screenshot({ path: test.info().outputPath("job-reverted.png"), fullPage: true });

  // The contacts are as they were before the job.
  expect(await contacts.listed(files.domain)).toEqual(before);
});

test("the review page of a 100,000-row job shows its first page of issues quickly", async ({ page }) => {
  test.setTimeout(300_000);
  await new SignInPage(page).signIn();
  const file = largeFile("big", 100_000);
  const jobId = await uploadLarge(page, file);
  await waitForJobStatus(page, jobId, "NEEDS_REVIEW", LARGE_FILE_PROCESSING);
  const state = await jobState(page, jobId);
  // 100 malformed emails and 49 duplicate pairs.
  expect(state.issues_open).toBe(149);

  const review = new ReviewPage(page);
  const reviewStart = Date.now();
  await review.goto(jobId);
  await expect(review.issues.first()).toBeVisible();
  const reviewMs = Date.now() - reviewStart;
  await expect(review.issues).toHaveCount(20);

  const job = new JobPage(page, jobId, file.name);
  const jobStart = Date.now();
  await job.goto();
  await expect(job.rows.first()).toBeVisible();
  const rowsMs = Date.now() - jobStart;
  await expect(job.rows).toHaveCount(50);

  // A sorted, filtered page of the rows, asked of the server.
  const sortStart = Date.now();
  await job.sortRowsBy("Email");
  await expect(job.rowsTable.getByRole("columnheader", { name: "Email" })).toHaveAttribute("aria-sort", "ascending");
  const sortMs = Date.now() - sortStart;
  await page.screenshot({ path: test.info().outputPath("large-job.png"), fullPage: true });

  console.log(
    `100,000-row job #${jobId}: review page first page of issues in ${reviewMs} ms; ` +
      `job page first page of rows in ${rowsMs} ms; rows sorted by email in ${sortMs} ms`,
  );
});
