import { expect, test } from "./fixtures/test";
import { E2E_SECOND_COMPANY } from "../playwright.config";
import { contactFiles, csvFile } from "./fixtures/contact-files";
import { jobState, jobTotal, postUpload, PROCESSING } from "./fixtures/jobs";
import { AppShell } from "./pages/app-shell";
import { JobsPage } from "./pages/jobs-page";
import { OverviewPage } from "./pages/overview-page";
import { SignInPage } from "./pages/sign-in-page";

/** A count as the overview shows it (with thousands separators: other specs may have landed many contacts). */
const shownCount = (count: number) => count.toLocaleString("en-US");

test.describe("uploading contact files on the Jobs page", () => {
  test("a clean file lands first; then a file with every issue type and one missing a header are dropped together", async ({
    page,
  }) => {
    const files = contactFiles("seq");
    await new SignInPage(page).signIn();
    const overview = new OverviewPage(page);
    const before = await overview.counts();

    const jobs = new JobsPage(page);
    const shell = new AppShell(page);
    await shell.navigateTo("Jobs");
    await expect(jobs.heading).toBeVisible();
    await expect(jobs.dropzone.getByText("Drop CSV files here, or click to choose")).toBeVisible();

    await jobs.drop([files.clean]);
    await expect(jobs.uploadProgress(files.clean.name)).toBeVisible();
    await expect(jobs.upload(files.clean.name)).toContainText(/Queued as job #\d+/);
    // The list follows the job without a reload.
    await expect(jobs.row(files.clean.name)).toContainText("Completed", PROCESSING);
    await expect(await jobs.cell(files.clean.name, "Rows")).toHaveText("5");
    await expect(await jobs.cell(files.clean.name, "Issues")).toHaveText("0");
    await expect(await jobs.cell(files.clean.name, "By")).toContainText(/Administrator|admin@e2e\.test/);

    await jobs.drop([files.issues, files.missingCompany]);
    await expect(jobs.uploads.getByRole("progressbar")).toHaveCount(3);
    await jobs.expectRefused(files.missingCompany.name, "company");
    await expect(jobs.upload(files.issues.name)).toContainText(/Queued as job #\d+/);

    // With the clean file's contacts in place, all four issue types are found.
    await expect(jobs.row(files.issues.name)).toContainText("Needs review", PROCESSING);
    await expect(await jobs.cell(files.issues.name, "Issues")).toHaveText("4");
    // A refused file never becomes a job.
    await expect(jobs.row(files.missingCompany.name)).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath("jobs-after-sequential-upload.png"), fullPage: true });

    await shell.navigateTo("Overview");
    await expect(overview.figure("Contacts")).toHaveText(shownCount(before.contacts + 5));
    await expect(overview.figure("Open issues")).toHaveText(shownCount(before.openIssues + 4));
  });

  test("three files dropped at once: the clean one completes, the one with issues waits for review, the third is refused", async ({
    page,
  }) => {
    const files = contactFiles("all");
    await new SignInPage(page).signIn();
    const overview = new OverviewPage(page);
    const before = await overview.counts();
    const jobs = new JobsPage(page);
    await jobs.goto();

    // Hold the bytes back a moment so the uploading state can be seen (and photographed).
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/storage/**", async (route) => {
      await held;
      await route.continue();
    });

    await jobs.drop([files.clean, files.issues, files.missingCompany]);
    await expect(jobs.uploads.getByRole("progressbar")).toHaveCount(3);
    for (const file of [files.clean, files.issues, files.missingCompany]) {
      const bar = jobs.uploadProgress(file.name);
      await expect(bar).toBeVisible();
      await expect(bar).toHaveAttribute("aria-valuenow", /^\d+$/);
    }
    await expect(jobs.uploads.getByText("Uploading…")).toHaveCount(3);
    await page.screenshot({ path: test.info().outputPath("jobs-uploading.png"), fullPage: true });
    release();

    await jobs.expectRefused(files.missingCompany.name, "company");
    await expect(jobs.upload(files.missingCompany.name).getByRole("alert")).toContainText("Missing required header");
    await expect(jobs.upload(files.clean.name)).toContainText(/Queued as job #\d+/);
    await expect(jobs.upload(files.issues.name)).toContainText(/Queued as job #\d+/);
    for (const file of [files.clean, files.issues]) {
      await expect(jobs.uploadProgress(file.name)).toHaveAttribute("aria-valuenow", "100");
    }

    await expect(jobs.row(files.clean.name)).toContainText("Completed", PROCESSING);
    await expect(jobs.row(files.issues.name)).toContainText("Needs review", PROCESSING);
    // Whether the clean file's contacts landed before the other file was checked decides the
    // CONTACT_CONFLICT: three issues always, four when they had.
    const issuesCell = await jobs.cell(files.issues.name, "Issues");
    await expect(issuesCell).toHaveText(/^[34]$/);
    const issueCount = Number(await issuesCell.textContent());
    await expect(jobs.row(files.missingCompany.name)).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath("jobs-after-upload.png"), fullPage: true });

    await overview.goto();
    // A job waiting for review lands nothing: only the clean file's contacts are new.
    await expect(overview.figure("Contacts")).toHaveText(shownCount(before.contacts + 5));
    await expect(overview.figure("Open issues")).toHaveText(shownCount(before.openIssues + issueCount));
  });

  test("the status filter, reprocess and delete (with its confirm step) work from the table", async ({ page }) => {
    const files = contactFiles("act");
    await new SignInPage(page).signIn();
    const jobs = new JobsPage(page);
    await jobs.goto();

    await jobs.drop([files.issues, csvFile("notes.xlsx", ["a,b"], "application/vnd.ms-excel")]);
    await jobs.expectRefused("notes.xlsx", "not a contact file");
    await expect(jobs.row(files.issues.name)).toContainText("Needs review", PROCESSING);

    await jobs.filterByStatus("Needs review");
    await expect(jobs.row(files.issues.name)).toBeVisible();
    for (const text of await jobs.rows.allTextContents()) {
      expect(text).toContain("Needs review");
    }
    await jobs.filterByStatus("Completed");
    await expect(jobs.row(files.issues.name)).toHaveCount(0);
    await jobs.filterByStatus("All statuses");

    const row = jobs.row(files.issues.name);
    const jobId = await jobs.jobId(files.issues.name);
    expect(jobId).toBeGreaterThan(0);
    const processingRuns = async () => {
      const job = await jobState(page, jobId);
      return { status: job.status, runs: job.events.filter((event) => event.status === "PROCESSING").length };
    };
    expect(await processingRuns()).toEqual({ status: "NEEDS_REVIEW", runs: 1 });
    await jobs.reprocess(files.issues.name);
    // It goes round again (PENDING → PROCESSING) and comes back to review.
    await expect.poll(processingRuns, PROCESSING).toEqual({ status: "NEEDS_REVIEW", runs: 2 });
    await expect(row).toContainText("Needs review", PROCESSING);

    await jobs.rowAction(files.issues.name, "Delete").click();
    await expect(jobs.rowAction(files.issues.name, "Confirm delete")).toBeVisible();
    await jobs.rowAction(files.issues.name, "Cancel").click();
    await expect(jobs.rowAction(files.issues.name, "Confirm delete")).toHaveCount(0);
    await jobs.delete(files.issues.name);
    await expect(jobs.row(files.issues.name)).toHaveCount(0);
    expect((await page.request.get(`/api/jobs/${jobId}`)).status()).toBe(404);
  });

  test("a file over the size limit is refused with a clear message and nothing is sent", async ({ page }) => {
    await new SignInPage(page).signIn();
    const jobs = new JobsPage(page);
    await jobs.goto();
    // The limit is 1 GB by default: the server's documented 413 answer stands in for a file that large.
    await page.route("**/api/uploads", (route) =>
      route.fulfill({
        status: 413,
        contentType: "application/json",
        json: {
          error: {
            code: "PAYLOAD_TOO_LARGE",
            message: "huge.csv is 2048 bytes; the limit is 1024 bytes",
            details: { size: 2048, limit: 1024 },
            request_id: "e2e-too-large",
            timestamp: new Date().toISOString(),
          },
        },
      }),
    );
    let sent = 0;
    page.on("request", (request) => {
      if (
        request.url().includes("/api/storage/") ||
        (request.url().endsWith("/api/jobs") && request.method() === "POST")
      )
        sent += 1;
    });
    await jobs.drop([csvFile("huge.csv", ["x".repeat(2000)])]);
    await jobs.expectRefused("huge.csv", /huge\.csv is too large: 2 KB, and files may be at most 1 KB/);
    await expect(jobs.upload("huge.csv").getByRole("button", { name: /Retry/ })).toHaveCount(0);
    expect(sent).toBe(0);
  });

  test("someone who may not upload sees the jobs but no dropzone and no actions", async ({ page }) => {
    await new SignInPage(page).signIn();
    const shell = new AppShell(page);
    await shell.switchCompany(E2E_SECOND_COMPANY);
    await expect(shell.currentUser).toContainText("viewer");
    try {
      const jobs = new JobsPage(page);
      await jobs.goto();
      await expect(jobs.heading).toBeVisible();
      await expect(page.getByText("Uploading files needs the uploader group")).toBeVisible();
      await expect(jobs.dropzone).toHaveCount(0);
      await expect(jobs.table).toContainText("No jobs yet");
      await expect(jobs.pagePosition(1, 1)).toBeVisible();
    } finally {
      await new OverviewPage(page).goto();
      await shell.switchCompany("Demo Company");
      await expect(shell.currentUser).toContainText("admin");
    }
  });

  test("the table pages through the jobs 25 at a time", async ({ page }) => {
    await new SignInPage(page).signIn();
    // Enough small jobs, registered through the API with the browser's session, to need two pages.
    const existing = await jobTotal(page);
    const needed = Math.max(0, 26 - existing);
    const { tag } = contactFiles("page");
    for (let index = 0; index < needed; index += 1) {
      await postUpload(
        page,
        csvFile(`page-${tag}-${index}.csv`, [`page${index}@${tag}.e2e.test,Page,Number ${index},Paging Ltd`]),
      );
    }
    const total = existing + needed;
    const pages = Math.ceil(total / 25);

    const jobs = new JobsPage(page);
    await jobs.goto();
    await expect(jobs.table.getByRole("row")).toHaveCount(26); // header + 25
    await expect(jobs.pagePosition(1, pages)).toBeVisible();
    await expect(jobs.previousPage).toBeDisabled();
    await jobs.nextPage.click();
    await expect(jobs.pagePosition(2, pages)).toBeVisible();
    await expect(jobs.table.getByRole("row")).toHaveCount(1 + Math.min(25, total - 25));
    await jobs.previousPage.click();
    await expect(jobs.pagePosition(1, pages)).toBeVisible();
  });
});
