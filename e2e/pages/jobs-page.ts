import { expect, type Locator, type Page } from "@playwright/test";
import type { UploadFile } from "../fixtures/contact-files";
import { dataRows, waitUntilLoaded } from "./tables";

/** The Jobs page: the dropzone with its list of uploads, and the table of the company's jobs. */
export class JobsPage {
  readonly heading: Locator;
  readonly dropzone: Locator;
  readonly uploads: Locator;
  readonly table: Locator;
  readonly statusFilter: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Jobs", exact: true });
    this.dropzone = page.getByTestId("upload-dropzone");
    this.uploads = page.getByRole("list", { name: "Uploads" });
    this.table = page.getByRole("table", { name: "Jobs" });
    this.statusFilter = page.getByLabel("Status");
  }

  async goto(): Promise<void> {
    await this.page.goto("/jobs");
  }

  /** Drops files on the dropzone (through its file input, as a chooser would). */
  async drop(files: UploadFile[]): Promise<void> {
    await this.dropzone.locator('input[type="file"]').setInputFiles(files);
  }

  /** One file's entry in the list of uploads. */
  upload(fileName: string): Locator {
    return this.uploads.getByRole("listitem").filter({ hasText: fileName });
  }

  uploadProgress(fileName: string): Locator {
    return this.uploads.getByRole("progressbar", { name: `Upload of ${fileName}` });
  }

  async expectRefused(fileName: string, words: string | RegExp): Promise<void> {
    await expect(this.upload(fileName).getByRole("alert")).toContainText(words);
    await expect(this.upload(fileName)).toContainText("Refused");
  }

  get rows(): Locator {
    return dataRows(this.table);
  }

  /** The table's row of the job made from `fileName`. */
  row(fileName: string): Locator {
    return this.table.getByRole("row").filter({ has: this.page.getByRole("link", { name: fileName, exact: true }) });
  }

  /** A job row's cell under a column header ("Issues", "Status", …). */
  async cell(fileName: string, header: string): Promise<Locator> {
    const headers = (await this.table.getByRole("columnheader").allTextContents()).map((text) =>
      text.trim().toLowerCase(),
    );
    const index = headers.indexOf(header.toLowerCase());
    expect(index, `column ${header} in ${headers.join(", ")}`).toBeGreaterThanOrEqual(0);
    return this.row(fileName).getByRole("cell").nth(index);
  }

  /** The id of the job made from `fileName`, read from its row ("#12"). */
  async jobId(fileName: string): Promise<number> {
    return Number(/#(\d+)/.exec((await this.row(fileName).getByRole("cell").first().textContent()) ?? "")?.[1]);
  }

  async openJob(fileName: string): Promise<void> {
    await this.page.getByRole("link", { name: fileName }).click();
  }

  /** A button in a job's row: "Reprocess", "Delete", and the "Confirm delete" and "Cancel" of its confirm step. */
  rowAction(fileName: string, name: string): Locator {
    return this.row(fileName).getByRole("button", { name });
  }

  async reprocess(fileName: string): Promise<void> {
    await this.rowAction(fileName, "Reprocess").click();
  }

  async delete(fileName: string): Promise<void> {
    await this.rowAction(fileName, "Delete").click();
    await this.rowAction(fileName, "Confirm delete").click();
  }

  async filterByStatus(label: string): Promise<void> {
    await this.statusFilter.selectOption({ label });
    await waitUntilLoaded(this.table);
  }

  pagePosition(page: number, of: number): Locator {
    return this.page.getByText(`Page ${page} of ${of}`);
  }

  get previousPage(): Locator {
    return this.page.getByRole("button", { name: "Previous" });
  }

  get nextPage(): Locator {
    return this.page.getByRole("button", { name: "Next" });
  }
}
