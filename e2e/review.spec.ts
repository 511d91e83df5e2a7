import { expect, test, type Locator, type Page } from "@playwright/test";
import { largeFile, reviewFiles } from "./fixtures/contact-files";
import { jobState, PROCESSING, uploadLarge, uploadSmall } from "./fixtures/jobs";
import { signIn } from "./fixtures/sign-in";

function issueList(page: Page): Locator {
  return page.getByRole("list", { name: "Issues" });
}

function issue(page: Page, name: RegExp): Locator {
  return issueList(page).getByRole("article", { name });
}

/** The contacts whose email contains `text`, as the Contacts page lists them: email, names, company, source job. */
async function listedContacts(page: Page, text: string): Promise<string[][]> {
  await page.goto("/contacts");
  await page.getByLabel("Search contacts").fill(text);
  const table = page.getByRole("table", { name: "Contacts" });
  await expect(table).toHaveAttribute("aria-busy", "false");
  const rows = table.getByRole("row").filter({ has: page.getByRole("cell") });
  const listed: string[][] = [];
  for (const row of await rows.all()) {
    const cells = (await row.getByRole("cell").allTextContents()).map((cell) => cell.trim());
    if (cells.length > 1) listed.push(cells.slice(0, 5));
  }
  return listed.sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
}

function figure(page: Page, label: string): Locator {
  return page
    .locator("dl > div")
    .filter({ has: page.getByRole("term").filter({ hasText: new RegExp(`^${label}$`) }) })
    .getByRole("definition");
}

test("an editor reviews a job in the browser: fixes an email, keeps a duplicate, resolves the rest, sees it complete, then reverts it", async ({
  page,
}) => {
  const files = reviewFiles("rev");
  await signIn(page);

  // An earlier completed job establishes Ada, whom the reviewed file then conflicts with.
  const cleanJobId = await uploadSmall(page, files.clean, "COMPLETED");
  const before = await listedContacts(page, files.domain);
  expect(before.map((contact) => contact[0])).toEqual([`ada@${files.domain}`, `alan@${files.domain}`, `grace@${files.domain}`]);
  expect(before.find((contact) => contact[0] === `ada@${files.domain}`)).toEqual([
    `ada@${files.domain}`,
    "Ada",
    "Lovelace",
    "Analytical Engines",
    `Job #${cleanJobId}`,
  ]);

  const jobId = await uploadSmall(page, files.review, "NEEDS_REVIEW");

  // The queue across jobs, narrowed to this job, links to its review.
  await page.goto(`/issues?job_id=${jobId}`);
  const queue = page.getByRole("table", { name: "Issues" });
  await expect(queue).toHaveAttribute("aria-busy", "false");
  await expect(queue.getByRole("row").filter({ has: page.getByRole("cell") })).toHaveCount(3);
  await expect(page.getByRole("region", { name: "Issue counts" }).locator("dl > div").filter({ hasText: /^Open/ }).getByRole("definition")).toHaveText("3");
  await page.screenshot({ path: test.info().outputPath("issues-queue.png"), fullPage: true });
  await queue.getByRole("link", { name: /^Review issue/ }).first().click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${jobId}/review$`));
  await expect(page.getByRole("heading", { name: `Review ${files.review.name}` })).toBeVisible();
  await expect(issueList(page).getByRole("article")).toHaveCount(3);

  const invalid = issue(page, /Invalid email/);
  const duplicate = issue(page, /Duplicate email/);
  const conflict = issue(page, /Contact conflict/);
  // Side by side: the duplicate pair differs by name; the conflicting row is shown beside the existing contact.
  await expect(duplicate.getByRole("rowheader", { name: /First name\s*differs/ })).toBeVisible();
  await expect(duplicate.getByRole("rowheader", { name: /^Company$/ })).toBeVisible();
  await expect(conflict.getByRole("columnheader", { name: /Existing contact/ })).toBeVisible();
  await expect(conflict.getByRole("cell", { name: "Lovelace" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("review-before.png"), fullPage: true });

  // The keyboard: j lands on the first issue (the invalid email), Enter edits its row's email, Escape cancels.
  await page.keyboard.press("j");
  await expect(invalid).toBeFocused();
  await page.keyboard.press("Enter");
  const email = invalid.getByRole("textbox", { name: "Email of row 4" });
  await expect(email).toBeFocused();
  await email.fill("Ivy@Nowhere");
  // Checked as you type, with the server's rule.
  await expect(email).toHaveAccessibleDescription("'ivy@nowhere' is not a valid email address");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(invalid.getByRole("button", { name: "Save Email of row 4" })).toBeDisabled();
  await page.keyboard.press("Escape");
  await expect(email).toHaveCount(0);
  const editEmail = invalid.getByRole("button", { name: /^Edit email of row 4/ });
  await expect(editEmail).toBeFocused();
  await page.keyboard.press("Enter");
  await email.fill(`  Ivy@${files.domain} `);
  await expect(email).toHaveAttribute("aria-invalid", "false");
  await expect(email).toHaveAccessibleDescription("");
  await page.keyboard.press("Enter");
  // Fixed: the row leaves the issue, which is resolved and leaves the open list.
  await expect(page.getByRole("status", { name: "Last change" })).toContainText("Saved row 4");
  await expect(invalid).toHaveCount(0);
  await expect(issueList(page).getByRole("article")).toHaveCount(2);

  // Between issues with j and k.
  await duplicate.getByRole("heading").click();
  await expect(duplicate).toBeFocused();
  await page.keyboard.press("j");
  await expect(conflict).toBeFocused();
  await page.keyboard.press("k");
  await expect(duplicate).toBeFocused();

  // One click keeps Sam Smith (row 2); Samantha (row 3) is skipped.
  await duplicate.getByRole("button", { name: "Keep this row (row 2)" }).click();
  await expect(duplicate).toHaveCount(0);

  // The rest, selected and their rows skipped together with a comment (told first which rows): Ada stays as she is.
  await conflict.getByRole("checkbox", { name: /^Select issue #\d+$/ }).check();
  const bulk = page.getByRole("group", { name: "Skip rows of selected issues" });
  await expect(bulk).toContainText("1 selected");
  await expect(bulk.getByRole("status", { name: "What skipping the selected issues does" })).toHaveText(
    "1 row will be skipped (row 5): it will not be imported.",
  );
  await bulk.getByLabel("Comment for the selected issues").fill("Ada keeps her name; the file is older");
  await bulk.getByRole("button", { name: "Skip 1 row" }).click();
  await expect(conflict).toHaveCount(0);

  // The last issue resolved: the job finishes by itself and the page follows it.
  const status = page.getByRole("status", { name: "Review status" });
  await expect(status).toContainText("Job completed", PROCESSING);
  await expect(status).toContainText("3 new contacts, 0 updated, 2 rows skipped");
  await page.screenshot({ path: test.info().outputPath("review-completed.png"), fullPage: true });
  await page.getByRole("combobox", { name: "Show" }).selectOption({ label: "Resolved" });
  await expect(issueList(page).getByRole("article")).toHaveCount(3);
  await expect(issue(page, /Contact conflict/)).toContainText("Ada keeps her name; the file is older");

  // Its contacts: the three it inserted, under a job filter that can be taken off.
  await status.getByRole("link", { name: "See its contacts" }).click();
  await expect(page).toHaveURL(new RegExp(`/contacts\\?job_id=${jobId}$`));
  await expect(page.getByRole("heading", { name: "Contacts" })).toBeVisible();
  const jobFilter = page.getByRole("group", { name: "Job filter" });
  await expect(jobFilter).toContainText(`Job #${jobId}`);
  const contactsTable = page.getByRole("table", { name: "Contacts" });
  await expect(contactsTable).toHaveAttribute("aria-busy", "false");
  await expect(contactsTable.getByRole("row").filter({ has: page.getByRole("cell") })).toHaveCount(3);
  await jobFilter.getByRole("button").click();
  await expect(jobFilter).toHaveCount(0);
  await expect(page).toHaveURL(/\/contacts$/);
  const after = await listedContacts(page, files.domain);
  expect(after).toEqual(
    [
      ...before,
      [`ivy@${files.domain}`, "Ivy", "Invalid", "Acme", `Job #${jobId}`],
      [`nina@${files.domain}`, "Nina", "New", "Acme", `Job #${jobId}`],
      [`twin@${files.domain}`, "Sam", "Smith", "Acme", `Job #${jobId}`],
    ].sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? "")),
  );
  const exported = page.waitForEvent("download");
  await page.getByRole("link", { name: /^Export CSV/ }).click();
  expect((await exported).suggestedFilename()).toMatch(/\.csv$/);
  await page.screenshot({ path: test.info().outputPath("contacts.png"), fullPage: true });

  // The job page: its figures, its error file, then revert (with its confirmation step).
  await page.goto(`/jobs/${jobId}`);
  await expect(figure(page, "Inserted")).toHaveText("3");
  await expect(figure(page, "Open issues")).toHaveText("0");
  await expect(figure(page, "Resolved issues")).toHaveText("3");
  const rows = page.getByRole("table", { name: "Rows of the file" });
  await expect(rows.getByRole("row").filter({ has: page.getByRole("cell") })).toHaveCount(5);
  const errorFile = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download error file" }).click();
  expect((await errorFile).suggestedFilename()).toBe(`review-${files.tag}-errors.csv`);

  await page.getByRole("button", { name: "Revert" }).click();
  const confirm = page.getByRole("group", { name: "Confirm revert" });
  await expect(confirm).toContainText("Revert this job?");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await page.getByRole("button", { name: "Revert" }).click();
  await page.getByRole("button", { name: "Confirm revert" }).click();
  const result = page.getByRole("status", { name: "Revert result" });
  await expect(result).toContainText("3 contacts the job added were removed");
  await expect(result).toContainText("0 contacts it updated were restored");
  await expect(page.getByRole("heading", { name: files.review.name }).locator("..")).toContainText("Reverted");
  await page.screenshot({ path: test.info().outputPath("job-reverted.png"), fullPage: true });

  // The contacts are as they were before the job.
  expect(await listedContacts(page, files.domain)).toEqual(before);
});

test("the review page of a 100,000-row job shows its first page of issues quickly", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page);
  const file = largeFile("big", 100_000);
  const jobId = await uploadLarge(page, file);
  await expect.poll(async () => (await jobState(page, jobId)).status, { timeout: 240_000, intervals: [1_000] }).toBe("NEEDS_REVIEW");
  const state = await jobState(page, jobId);
  // 100 malformed emails and 49 duplicate pairs.
  expect(state.issues_open).toBe(149);

  const reviewStart = Date.now();
  await page.goto(`/jobs/${jobId}/review`);
  await expect(issueList(page).getByRole("article").first()).toBeVisible();
  const reviewMs = Date.now() - reviewStart;
  await expect(issueList(page).getByRole("article")).toHaveCount(20);

  const jobStart = Date.now();
  await page.goto(`/jobs/${jobId}`);
  const rows = page.getByRole("table", { name: "Rows of the file" });
  await expect(rows.getByRole("row").filter({ has: page.getByRole("cell") }).first()).toBeVisible();
  const rowsMs = Date.now() - jobStart;
  await expect(rows.getByRole("row").filter({ has: page.getByRole("cell") })).toHaveCount(50);

  // A sorted, filtered page of the rows, asked of the server.
  const sortStart = Date.now();
  await rows.getByRole("button", { name: "Email" }).click();
  await expect(rows).toHaveAttribute("aria-busy", "false");
  await expect(rows.getByRole("columnheader", { name: "Email" })).toHaveAttribute("aria-sort", "ascending");
  const sortMs = Date.now() - sortStart;
  await page.screenshot({ path: test.info().outputPath("large-job.png"), fullPage: true });

  console.log(
    `100,000-row job #${jobId}: review page first page of issues in ${reviewMs} ms; ` +
      `job page first page of rows in ${rowsMs} ms; rows sorted by email in ${sortMs} ms`,
  );
});
