import type { Locator, Page } from "@playwright/test";
import { SelectedIssues } from "./selected-issues";
import { dataRows, waitUntilLoaded } from "./tables";

/** The Issues page: the queue across jobs, where an editor selects issues and skips their rows together. */
export class IssuesPage {
  readonly table: Locator;
  readonly selection: SelectedIssues;
  readonly lastChange: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole("table", { name: "Issues" });
    this.selection = new SelectedIssues(page);
    this.lastChange = page.getByRole("status", { name: "Last change" });
  }

  /** The queue narrowed to one job. */
  async goto(jobId: number): Promise<void> {
    await this.page.goto(`/issues?job_id=${jobId}`);
    await waitUntilLoaded(this.table);
  }

  get rows(): Locator {
    return dataRows(this.table);
  }

  /** The count of open issues in the counts above the queue. */
  get openCount(): Locator {
    return this.page
      .getByRole("region", { name: "Issue counts" })
      .locator("dl > div")
      .filter({ hasText: /^Open/ })
      .getByRole("definition");
  }

  async reviewFirstIssue(): Promise<void> {
    await this.table
      .getByRole("link", { name: /^Review issue/ })
      .first()
      .click();
  }
}
