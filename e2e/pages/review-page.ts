import { expect, type Locator, type Page } from "@playwright/test";
import { SelectedIssues } from "./selected-issues";
import { waitUntilLoaded } from "./tables";

/** One issue on a job's review page: its rows, and the controls that decide it. */
export class IssueCard {
  constructor(readonly root: Locator) {}

  /** The status shown under a row's column header ("Has an issue", "Ready", "Skipped"). */
  rowStatus(rowNumber: number): Locator {
    return this.root.getByRole("columnheader", { name: new RegExp(`^Row ${rowNumber}(?!\\d)`) });
  }

  /** A malformed row's text as read from the file, whitespace shown. */
  rawText(rowNumber: number): Locator {
    return this.root.getByLabel(`Row ${rowNumber} as read from the file`);
  }

  /** What the row's check found, in words, above its cells. */
  rowProblem(rowNumber: number): Locator {
    return this.root.getByRole("figure").filter({ hasText: new RegExp(`^Row ${rowNumber}(?!\\d)`) });
  }

  async expectRowStatuses(statuses: Record<number, string>): Promise<void> {
    for (const [row, status] of Object.entries(statuses))
      await expect(this.rowStatus(Number(row))).toContainText(status);
  }

  /** The email cell of a row while it is being edited. */
  emailField(rowNumber: number): Locator {
    return this.root.getByRole("textbox", { name: `Email of row ${rowNumber}` });
  }

  saveEmailButton(rowNumber: number): Locator {
    return this.root.getByRole("button", { name: `Save Email of row ${rowNumber}` });
  }

  editEmailButton(rowNumber: number): Locator {
    return this.root.getByRole("button", { name: new RegExp(`^Edit email of row ${rowNumber}`) });
  }

  /** Clicks the card's heading, which gives the card the keyboard focus. */
  async focus(): Promise<void> {
    await this.root.getByRole("heading").click();
  }

  async select(): Promise<void> {
    await this.root.getByRole("checkbox", { name: /^Select issue #\d+$/ }).check();
  }

  /** Opens "Skip these rows…": what it will skip, in the server's words, and the button that does it. */
  async openSkip(): Promise<{ preview: Locator; comment: Locator; confirm: (label: string) => Locator }> {
    await this.root.getByRole("button", { name: "Skip these rows…" }).click();
    return {
      preview: this.root.getByRole("status", { name: /^What skipping the rows of issue #\d+ does$/ }),
      comment: this.root.getByLabel("Comment (optional)"),
      confirm: (label: string) => this.root.getByRole("button", { name: label, exact: true }),
    };
  }

  async keepRow(rowNumber: number): Promise<void> {
    await this.root.getByRole("button", { name: `Keep this row (row ${rowNumber})` }).click();
  }

  async reopen(): Promise<void> {
    await this.root.getByRole("button", { name: /^Reopen issue #\d+$/ }).click();
  }
}

/** A job's review page: its issue cards, the selection bar, and what the job does once the last issue is resolved. */
export class ReviewPage {
  readonly list: Locator;
  readonly issues: Locator;
  readonly selection: SelectedIssues;
  /** The announcement of the last change made on the page. */
  readonly lastChange: Locator;
  readonly reviewStatus: Locator;

  constructor(readonly page: Page) {
    this.list = page.getByRole("list", { name: "Issues" });
    this.issues = this.list.getByRole("article");
    this.selection = new SelectedIssues(page);
    this.lastChange = page.getByRole("status", { name: "Last change" });
    this.reviewStatus = page.getByRole("status", { name: "Review status" });
  }

  async goto(jobId: number): Promise<void> {
    await this.page.goto(`/jobs/${jobId}/review`);
    await waitUntilLoaded(this.list);
  }

  heading(fileName: string): Locator {
    return this.page.getByRole("heading", { name: `Review ${fileName}` });
  }

  issue(name: RegExp): IssueCard {
    return new IssueCard(this.list.getByRole("article", { name }));
  }

  async show(which: "Open" | "Resolved" | "Open and resolved"): Promise<void> {
    await this.page.getByRole("combobox", { name: "Show" }).selectOption({ label: which });
    await waitUntilLoaded(this.list);
  }

  /** Follows the finished job's link to the contacts it landed. */
  async seeContacts(): Promise<void> {
    await this.reviewStatus.getByRole("link", { name: "See its contacts" }).click();
  }
}
