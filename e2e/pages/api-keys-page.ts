import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

type KeyGroup = "Viewer" | "Uploader" | "Editor" | "Admin";

/** Settings → API keys, as a company admin sees it. */
export class ApiKeysPage {
  readonly section: Locator;
  readonly createForm: Locator;
  readonly list: Locator;
  readonly newKeyDialog: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByRole("region", { name: "API keys" });
    this.createForm = this.section.getByRole("form", { name: "New API key" });
    this.list = this.section.getByRole("table", { name: "API keys" });
    this.newKeyDialog = page.getByRole("dialog");
  }

  /** Opens it the way a person does: Settings in the main navigation. */
  async open(): Promise<void> {
    await new AppShell(this.page).navigateTo("Settings");
    await expect(this.page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    await expect(this.createForm).toBeVisible();
  }

  /** Creates a key with exactly these groups; returns the secret the copy-once dialog shows, and closes it. */
  async createKey(name: string, groups: KeyGroup[]): Promise<string> {
    await this.createForm.getByLabel("Key name").fill(name);
    for (const group of ["Viewer", "Uploader", "Editor", "Admin"] as const) {
      await this.createForm
        .getByRole("checkbox", { name: new RegExp(`^${group}\\b`) })
        .setChecked(groups.includes(group));
    }
    await this.createForm.getByRole("button", { name: "Create key" }).click();
    await expect(this.newKeyDialog).toBeVisible();
    const secret = await this.newKeyDialog.getByLabel("Secret key").inputValue();
    await expect(this.newKeyDialog.getByLabel("Example request")).toContainText(`Bearer ${secret}`);
    await this.newKeyDialog.getByRole("button", { name: "I have copied the key" }).click();
    await expect(this.newKeyDialog).toBeHidden();
    return secret;
  }

  row(name: string): Locator {
    return this.list.getByRole("row").filter({ has: this.page.getByRole("cell", { name, exact: true }) });
  }

  /** Revoke, then the confirm step. */
  async revoke(name: string): Promise<void> {
    const row = this.row(name);
    await row.getByRole("button", { name: `Revoke ${name}` }).click();
    await row.getByRole("button", { name: "Yes, revoke" }).click();
    await expect(row.getByRole("cell", { name: "Revoked", exact: true })).toBeVisible();
  }
}
