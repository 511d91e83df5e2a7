import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** Settings → Audit log: the company's changes, newest first. */
export class AuditLogPage {
  readonly section: Locator;
  readonly table: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByRole("region", { name: "Audit log" });
    this.table = this.section.getByRole("table", { name: "Audit log" });
  }

  async open(): Promise<void> {
    await new AppShell(this.page).navigateTo("Settings");
    await expect(this.page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    await expect(this.section).toBeVisible();
  }

  /** The rows of one kind of change (its label, e.g. "Revoked an API key") that mention `text`. */
  rows(what: string, text: string): Locator {
    return this.table
      .getByRole("row")
      .filter({ has: this.page.getByRole("cell", { name: what, exact: true }) })
      .filter({ hasText: text });
  }
}
