import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** Sessions: the projects list, a project's cycles and a cycle's sessions, each with its create form. */
export class SessionsBrowsePage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await new AppShell(this.page).navigateTo("Sessions");
    await expect(this.page.getByRole("heading", { name: "Sessions", level: 1 })).toBeVisible();
  }

  table(name: "Projects" | "Cycles" | "Sessions"): Locator {
    return this.page.getByRole("table", { name });
  }

  row(table: "Projects" | "Cycles" | "Sessions", name: string): Locator {
    return this.table(table)
      .getByRole("row")
      .filter({ has: this.page.getByRole("link", { name, exact: true }) });
  }

  form(title: "New project" | "New cycle" | "New session"): Locator {
    return this.page.getByRole("form", { name: title });
  }

  async createProject(name: string, description: string): Promise<void> {
    const form = this.form("New project");
    await form.getByLabel("Project name").fill(name);
    await form.getByLabel("Description").fill(description);
    await form.getByRole("button", { name: "Create project" }).click();
    await expect(form.getByRole("status")).toHaveText(`Project "${name}" created`);
  }

  async createCycle(name: string, { start, end, status }: { start: string; end: string; status: string }) {
    const form = this.form("New cycle");
    await form.getByLabel("Cycle name").fill(name);
    await form.getByLabel("Start date").fill(start);
    await form.getByLabel("End date").fill(end);
    await form.getByLabel("Status").selectOption(status);
    await form.getByRole("button", { name: "Create cycle" }).click();
  }

  async createSession(name: string, { source, importMode }: { source: string; importMode: string }) {
    const form = this.form("New session");
    await form.getByLabel("Session name").fill(name);
    await form.getByLabel("Source").fill(source);
    await form.getByLabel("Import mode").selectOption(importMode);
    await form.getByRole("button", { name: "Create session" }).click();
    await expect(form.getByRole("status")).toHaveText(`Session "${name}" created`);
  }

  async openLink(name: string): Promise<void> {
    await this.page.getByRole("link", { name, exact: true }).click();
    await expect(this.page.getByRole("heading", { name, level: 1 })).toBeVisible();
  }

  /** Renames a row's record; the caller checks what the page says. */
  async rename(table: "Projects" | "Cycles" | "Sessions", name: string, to: string): Promise<Locator> {
    const row = this.row(table, name);
    await row.getByRole("button", { name: /^Rename / }).click();
    const form = row.getByRole("form", { name: /^Rename / });
    await form.getByLabel("New name").fill(to);
    await form.getByRole("button", { name: "Save name" }).click();
    return row;
  }

  /** Starts deleting a row's record and confirms; the caller checks what the page says. */
  async delete(table: "Projects" | "Cycles" | "Sessions", name: string, { cascade = false } = {}): Promise<Locator> {
    const row = this.row(table, name);
    await row.getByRole("button", { name: /^Delete / }).click();
    if (cascade) await row.getByLabel(/Also delete its/).check();
    await row.getByRole("button", { name: "Confirm delete" }).click();
    return row;
  }
}
