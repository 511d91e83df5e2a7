import { expect, test } from "./fixtures/test";
import { csvFile, skipFile } from "./fixtures/contact-files";
import { jobState, uploadSmall, waitForJobStatus } from "./fixtures/jobs";
import { ContactsPage } from "./pages/contacts-page";
import { IssuesPage } from "./pages/issues-page";
import { ReviewPage } from "./pages/review-page";
import { SignInPage } from "./pages/sign-in-page";

test("resolving without keeping a row says first how many rows it skips, reopening puts them back, and the job lands the rest", async ({
  page,
}) => {
  await new SignInPage(page).signIn();
  const { file, rows } = skipFile("skip");
  const jobId = await uploadSmall(page, file, "NEEDS_REVIEW");

  const review = new ReviewPage(page);
  await review.goto(jobId);
  await expect(review.issues).toHaveCount(3);
  const duplicate = review.issue(/Duplicate email/);
  await duplicate.expectRowStatuses({ 2: "Has an issue", 3: "Has an issue" });

  // One issue: before anything is written, the server says which rows go, and the button says how many.
  const skip = await duplicate.openSkip();
  await expect(skip.preview).toHaveText("2 rows will be skipped (rows 2 and 3): they will not be imported.");
  await skip.comment.fill("Neither Sam is sure");
  await page.screenshot({ path: test.info().outputPath("skip-preview.png"), fullPage: true });
  await skip.confirm("Skip 2 rows").click();
  await expect(review.lastChange).toHaveText(
    "Resolved 1 issue; skipped 2 rows. Reopening an issue puts its rows back.",
  );
  await expect(duplicate.root).toHaveCount(0);

  // Reopened, its rows are back as they were.
  await review.show("Resolved");
  await duplicate.expectRowStatuses({ 2: "Skipped", 3: "Skipped" });
  await duplicate.reopen();
  await expect(review.lastChange).toContainText("Reopened issue");
  await review.show("Open");
  await duplicate.expectRowStatuses({ 2: "Has an issue", 3: "Has an issue" });

  // A kept row, reopened: the row it skipped is back too.
  await duplicate.keepRow(2);
  await expect(duplicate.root).toHaveCount(0);
  await review.show("Open and resolved");
  await duplicate.expectRowStatuses({ 2: "Ready", 3: "Skipped" });
  await duplicate.reopen();
  await duplicate.expectRowStatuses({ 2: "Has an issue", 3: "Has an issue" });
  expect(await jobState(page, jobId)).toMatchObject({ status: "NEEDS_REVIEW", issues_open: 3 });

  // Many at once, from the Issues page: the count is the server's, for exactly this selection.
  const queue = new IssuesPage(page);
  await queue.goto(jobId);
  await expect(queue.rows).toHaveCount(3);
  await queue.selection.selectAllOnPage();
  await expect(queue.selection.root).toContainText("3 selected");
  await expect(queue.selection.preview).toHaveText(
    "4 rows will be skipped (rows 2, 3, 4 and 5): they will not be imported.",
  );
  await page.screenshot({ path: test.info().outputPath("skip-selected.png"), fullPage: true });
  await queue.selection.skip("Skip 4 rows");
  await expect(queue.lastChange).toHaveText(
    "Resolved 3 issues; skipped 4 rows. Reopening an issue puts its rows back.",
  );

  // The last issue resolved, the job finishes: what it lands is every row the preview did not skip.
  await waitForJobStatus(page, jobId, "COMPLETED");
  expect(await jobState(page, jobId)).toMatchObject({ skipped_count: 4, inserted_count: rows - 4 });
  expect(await new ContactsPage(page).countForJob(jobId)).toBe(rows - 4);
});

test("a malformed row's issue shows the record as the file had it, whitespace visible, above its cells", async ({
  page,
}) => {
  await new SignInPage(page).signIn();
  const tag = `raw-${Math.random().toString(36).slice(2, 8)}`;
  const file = csvFile(`raw-${tag}.csv`, [
    `ann@${tag}.e2e.test,Ann,Lee,Acme`,
    `tia@${tag}.e2e.test,Tia,\tTab,Acme,extra`,
  ]);
  const jobId = await uploadSmall(page, file, "NEEDS_REVIEW");

  const review = new ReviewPage(page);
  await review.goto(jobId);
  const malformed = review.issue(/Malformed row/);
  await expect(malformed.rawText(3)).toHaveText(`tia@${tag}.e2e.test,Tia,→Tab,Acme,extra`);
  await expect(malformed.rowProblem(3)).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("malformed-row.png"), fullPage: true });
});
