import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

type MemberGroup = "Viewer" | "Uploader" | "Editor" | "Admin";

/** Settings → Members: the invite form (admins only), the copy-once invitation dialog, the list. */
export class MembersPage {
  readonly section: Locator;
  readonly inviteForm: Locator;
  readonly list: Locator;
  readonly invitationDialog: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByRole("region", { name: "Members" });
    this.inviteForm = this.section.getByRole("form", { name: "Invite a member" });
    this.list = this.section.getByRole("table", { name: "Members" });
    this.invitationDialog = page.getByRole("dialog");
  }

  /** Opens it the way a person does: Settings in the main navigation. */
  async open(): Promise<void> {
    await new AppShell(this.page).navigateTo("Settings");
    await expect(this.page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    await expect(this.list).toBeVisible();
  }

  /** Invites someone with exactly these groups; returns the link the copy-once dialog shows, and closes it. */
  async invite({ email, name, groups }: { email: string; name: string; groups: MemberGroup[] }): Promise<string> {
    await this.inviteForm.getByLabel("Email").fill(email);
    await this.inviteForm.getByLabel("Name").fill(name);
    for (const group of ["Viewer", "Uploader", "Editor", "Admin"] as const) {
      await this.inviteForm
        .getByRole("checkbox", { name: new RegExp(`^${group}\\b`) })
        .setChecked(groups.includes(group));
    }
    await this.inviteForm.getByRole("button", { name: "Invite" }).click();
    await expect(this.invitationDialog).toBeVisible();
    await expect(this.invitationDialog.getByRole("heading")).toHaveText(`Invitation for ${email}`);
    const link = await this.invitationDialog.getByLabel("Invitation link").inputValue();
    await this.invitationDialog.getByRole("button", { name: "I have copied the link" }).click();
    await expect(this.invitationDialog).toBeHidden();
    return link;
  }

  row(email: string): Locator {
    return this.list.getByRole("row").filter({ has: this.page.getByRole("cell", { name: email, exact: true }) });
  }

  cell(email: string, column: number): Locator {
    return this.row(email).getByRole("cell").nth(column);
  }
}

/** The page an invitation link opens, outside the app: who is invited where, and the new password twice. */
export class InvitationPage {
  readonly heading: Locator;
  readonly password: Locator;
  readonly confirmation: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1 });
    this.password = page.getByLabel("New password");
    this.confirmation = page.getByLabel("Repeat the password");
    // Within the page's content: Next's route announcer is an alert too.
    this.alert = page.getByRole("main").getByRole("alert");
  }

  async accept(password: string, confirmation = password): Promise<void> {
    await this.password.fill(password);
    await this.confirmation.fill(confirmation);
    await this.page.getByRole("button", { name: "Set password and sign in" }).click();
  }
}
