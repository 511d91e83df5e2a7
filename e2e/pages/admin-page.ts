import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** Admin → Tenants, as a platform administrator sees it. */
export class AdminPage {
  readonly createForm: Locator;
  readonly tenants: Locator;

  constructor(readonly page: Page) {
    this.createForm = page.getByRole("form", { name: "New tenant" });
    this.tenants = page.getByRole("table", { name: "Tenants" });
  }

  /** Opens it the way a person does: Admin in the main navigation. */
  async open(): Promise<void> {
    await new AppShell(this.page).navigateTo("Admin");
    await expect(this.page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
    await expect(this.tenants).toBeVisible();
  }

  /** Creates a tenant whose first admin gets this initial password. */
  async createTenant(name: string, admin: { email: string; password: string }): Promise<void> {
    await this.createForm.getByLabel("Company name").fill(name);
    await this.createForm.getByLabel("First admin's email (optional)").fill(admin.email);
    await this.createForm.getByRole("radio", { name: "Set an initial password" }).check();
    await this.createForm.getByLabel("Initial password", { exact: true }).fill(admin.password);
    await this.createForm.getByRole("button", { name: "Create tenant" }).click();
    await expect(this.createForm.getByRole("status")).toContainText(`Tenant “${name}” created`);
  }

  row(name: string): Locator {
    return this.tenants.getByRole("row", { name, exact: true });
  }

  status(name: string): Locator {
    return this.row(name).getByRole("cell").nth(1);
  }

  async toggleActive(name: string, action: "Suspend" | "Reactivate"): Promise<void> {
    await this.row(name).getByRole("button", { name: action }).click();
  }

  async setLimits(name: string, limits: { minute: number; hour: number; day: number }): Promise<void> {
    await this.row(name).getByRole("button", { name: "Edit limits" }).click();
    const form = this.page.getByRole("form", { name: `Rate limits of ${name}` });
    await form.getByLabel("Requests per minute").fill(String(limits.minute));
    await form.getByLabel("Requests per hour").fill(String(limits.hour));
    await form.getByLabel("Requests per day").fill(String(limits.day));
    await form.getByRole("button", { name: "Save limits" }).click();
    await expect(form).toBeHidden();
  }

  /** Delete, then the confirm step. */
  async delete(name: string): Promise<void> {
    await this.row(name).getByRole("button", { name: "Delete" }).click();
    const confirm = this.page.getByRole("group", { name: `Delete ${name}` });
    await expect(confirm).toContainText("This cannot be undone");
    await confirm.getByRole("button", { name: `Delete ${name}` }).click();
  }
}
