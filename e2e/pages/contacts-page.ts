import type { Download, Locator, Page } from "@playwright/test";
import { dataRows, waitUntilLoaded } from "./tables";

/** The Contacts page: the company's contacts, searchable, optionally narrowed to the contacts of one job. */
export class ContactsPage {
  readonly heading: Locator;
  readonly table: Locator;
  readonly jobFilter: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Contacts" });
    this.table = page.getByRole("table", { name: "Contacts" });
    this.jobFilter = page.getByRole("group", { name: "Job filter" });
  }

  /** All contacts, or those a job inserted or last changed. */
  async goto(jobId?: number): Promise<void> {
    await this.page.goto(jobId === undefined ? "/contacts" : `/contacts?job_id=${jobId}`);
  }

  get rows(): Locator {
    return dataRows(this.table);
  }

  async waitUntilLoaded(): Promise<void> {
    await waitUntilLoaded(this.table);
  }

  async search(text: string): Promise<void> {
    await this.page.getByLabel("Search contacts").fill(text);
    await this.waitUntilLoaded();
  }

  /** The contacts whose email contains `text` as listed (email, names, company, source job), sorted by email. */
  async listed(text: string): Promise<string[][]> {
    await this.goto();
    await this.search(text);
    const listed: string[][] = [];
    for (const row of await this.rows.all()) {
      const cells = (await row.getByRole("cell").allTextContents()).map((cell) => cell.trim());
      if (cells.length > 1) listed.push(cells.slice(0, 5));
    }
    return listed.sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
  }

  /** How many contacts a job inserted or last changed, as the page counts them under its job filter. */
  async countForJob(jobId: number): Promise<number> {
    await this.goto(jobId);
    await this.waitUntilLoaded();
    return this.rows.count();
  }

  async clearJobFilter(): Promise<void> {
    await this.jobFilter.getByRole("button").click();
  }

  async exportCsv(): Promise<Download> {
    const download = this.page.waitForEvent("download");
    await this.page.getByRole("link", { name: /^Export CSV/ }).click();
    return download;
  }
}
