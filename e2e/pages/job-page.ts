import { expect, type Download, type Locator, type Page } from "@playwright/test";
import { figure } from "./figures";
import { dataRows, waitUntilLoaded } from "./tables";

type JobFigure = "Inserted" | "Open issues" | "Resolved issues";

/** The page of one job: its heading (the status badge beside it), figures, how the file was read, rows, actions. */
export class JobPage {
  readonly heading: Locator;
  readonly fileDetails: Locator;
  readonly columnMapping: Locator;
  readonly rowsTable: Locator;
  readonly revertConfirmation: Locator;
  readonly revertResult: Locator;

  constructor(
    readonly page: Page,
    readonly jobId: number,
    readonly fileName: string,
  ) {
    this.heading = page.getByRole("heading", { name: fileName });
    this.fileDetails = page.getByRole("region", { name: "File" });
    this.columnMapping = page.getByRole("table", { name: "Which column of the file gives each field" });
    this.rowsTable = page.getByRole("table", { name: "Rows of the file" });
    this.revertConfirmation = page.getByRole("group", { name: "Confirm revert" });
    this.revertResult = page.getByRole("status", { name: "Revert result" });
  }

  async goto(): Promise<void> {
    await this.page.goto(`/jobs/${this.jobId}`);
  }

  async open(): Promise<void> {
    await this.goto();
    await expect(this.heading).toBeVisible();
  }

  /** The heading's block, where the status badge is. */
  get header(): Locator {
    return this.heading.locator("..");
  }

  action(name: string): Locator {
    return this.page.getByRole("button", { name, exact: true });
  }

  figure(label: JobFigure): Locator {
    return figure(this.page, label);
  }

  /** A fact about how the file was read ("windows-1252", "semicolon"). */
  fileFact(text: string): Locator {
    return this.fileDetails.getByRole("definition").filter({ hasText: text });
  }

  /** The mapping's row for a field, named by the field and the file's column ("email E-mail"). */
  mapping(fieldAndColumn: string): Locator {
    return this.columnMapping.getByRole("row", { name: fieldAndColumn });
  }

  timelineEntry(text: string): Locator {
    return this.page.getByRole("listitem").filter({ hasText: text });
  }

  get rows(): Locator {
    return dataRows(this.rowsTable);
  }

  /** Sorts the rows by a column, which asks the server for the sorted page. */
  async sortRowsBy(column: string): Promise<void> {
    await this.rowsTable.getByRole("button", { name: column }).click();
    await waitUntilLoaded(this.rowsTable);
  }

  async downloadErrorFile(): Promise<Download> {
    const download = this.page.waitForEvent("download");
    await this.page.getByRole("link", { name: "Download error file" }).click();
    return download;
  }

  /** Asks to cancel a running job, which shows the confirm step. */
  async askToCancel(): Promise<void> {
    await this.action("Cancel job").click();
  }

  /** Confirms the cancel: the job stops. */
  async stop(): Promise<void> {
    await this.action("Stop job").click();
  }

  async reprocess(): Promise<void> {
    await this.action("Reprocess").click();
  }

  /** Asks to revert, which shows the confirm step. */
  async askToRevert(): Promise<void> {
    await this.action("Revert").click();
  }

  async cancelRevert(): Promise<void> {
    await this.revertConfirmation.getByRole("button", { name: "Cancel" }).click();
  }

  async revert(): Promise<void> {
    await this.askToRevert();
    await this.action("Confirm revert").click();
  }
}
