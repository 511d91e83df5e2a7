import type { Locator, Page } from "@playwright/test";

/** The bar that skips the rows of the selected issues together, on a job's review page and on the Issues page. */
export class SelectedIssues {
  readonly root: Locator;
  /** What skipping the selected issues' rows will do, in the server's words. */
  readonly preview: Locator;
  readonly comment: Locator;

  constructor(page: Page) {
    this.root = page.getByRole("group", { name: "Skip rows of selected issues" });
    this.preview = this.root.getByRole("status", { name: "What skipping the selected issues does" });
    this.comment = this.root.getByLabel("Comment for the selected issues");
  }

  async selectAllOnPage(): Promise<void> {
    await this.root.getByRole("checkbox", { name: "Select all open issues on this page" }).check();
  }

  /** Skips the selected issues' rows with the button that says how many ("Skip 4 rows"). */
  async skip(label: string): Promise<void> {
    await this.root.getByRole("button", { name: label, exact: true }).click();
  }
}
