import type { Locator, Page } from "@playwright/test";
import { figure } from "./figures";

/** The Overview: the company's figures and its jobs by status. */
export class OverviewPage {
  readonly heading: Locator;
  /** The cells of the jobs-by-status table. */
  readonly statusCounts: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Overview" });
    this.statusCounts = page.getByRole("table").getByRole("cell");
  }

  async goto(): Promise<void> {
    await this.page.goto("/");
  }

  figure(label: "Jobs" | "Open issues" | "Contacts"): Locator {
    return figure(this.page, label);
  }

  /** Opens the Overview and reads its contact and open-issue counts as numbers. */
  async counts(): Promise<{ contacts: number; openIssues: number }> {
    await this.goto();
    const read = async (label: "Contacts" | "Open issues") =>
      Number(((await this.figure(label).textContent()) ?? "").replace(/,/g, ""));
    return { contacts: await read("Contacts"), openIssues: await read("Open issues") };
  }
}
