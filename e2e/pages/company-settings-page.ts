import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** Settings → Company, for the company the person is acting in. */
export class CompanySettingsPage {
  readonly section: Locator;
  readonly renameForm: Locator;
  readonly nameField: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByRole("region", { name: "Company", exact: true });
    this.renameForm = this.section.getByRole("form", { name: "Rename the company" });
    this.nameField = this.renameForm.getByLabel("Company name");
  }

  async open(): Promise<void> {
    await new AppShell(this.page).navigateTo("Settings");
    await expect(this.page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    await expect(this.section).toBeVisible();
  }

  /** The value shown beside a term of the company's details (Name, Slug, Members). */
  detail(term: "Name" | "Slug" | "Members"): Locator {
    return this.section.getByRole("term").filter({ hasText: term }).locator("xpath=following-sibling::dd[1]");
  }

  async rename(name: string): Promise<void> {
    await this.nameField.fill(name);
    await this.renameForm.getByRole("button", { name: "Save company name" }).click();
    await expect(this.renameForm.getByRole("status")).toHaveText(`The company is now called '${name.trim()}'`);
  }
}
