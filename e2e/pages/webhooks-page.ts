import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

/** What the edit form can change; a field left out keeps what the form was filled with. */
export type WebhookEdit = { url?: string; description?: string; events?: string[] };

/** Settings → Webhooks, as a company admin sees it. */
export class WebhooksPage {
  readonly section: Locator;
  readonly createForm: Locator;
  readonly list: Locator;
  readonly secretDialog: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByRole("region", { name: "Webhooks" });
    this.createForm = this.section.getByRole("form", { name: "New webhook" });
    this.list = this.section.getByRole("list", { name: "Webhooks" });
    this.secretDialog = page.getByRole("dialog");
  }

  async open(): Promise<void> {
    await new AppShell(this.page).navigateTo("Settings");
    await expect(this.page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    await expect(this.createForm).toBeVisible();
  }

  /** Creates a webhook for these events; returns the signing secret the copy-once dialog shows, and closes it. */
  async create(url: string, events: string[]): Promise<string> {
    await this.fill(this.createForm, { url, events });
    await this.createForm.getByRole("button", { name: "Create webhook" }).click();
    return this.takeSecret("Webhook created");
  }

  webhook(url: string): Locator {
    return this.list.getByRole("listitem", { name: url, exact: true });
  }

  editForm(url: string): Locator {
    return this.webhook(url).getByRole("form", { name: "Edit webhook" });
  }

  /** Opens the webhook's edit form, changes what `edit` names and presses Save; the form is left to the caller. */
  async submitEdit(url: string, edit: WebhookEdit): Promise<Locator> {
    const form = this.editForm(url);
    if (!(await form.isVisible())) await this.webhook(url).getByRole("button", { name: "Edit", exact: true }).click();
    await expect(form).toBeVisible();
    await this.fill(form, edit);
    await form.getByRole("button", { name: "Save" }).click();
    return form;
  }

  /** Rotate secret, then the confirm step; returns the new secret the copy-once dialog shows, and closes it. */
  async rotateSecret(url: string): Promise<string> {
    const item = this.webhook(url);
    await item.getByRole("button", { name: "Rotate secret" }).click();
    await expect(item).toContainText("the old one stops working at once");
    await item.getByRole("button", { name: "Yes, rotate the secret" }).click();
    return this.takeSecret("Signing secret rotated");
  }

  async sendTestEvent(url: string): Promise<void> {
    await this.webhook(url).getByRole("button", { name: "Send test event" }).click();
  }

  deliveries(url: string): Locator {
    return this.webhook(url).getByRole("table", { name: "Deliveries" });
  }

  private async fill(form: Locator, { url, description, events }: WebhookEdit): Promise<void> {
    if (url !== undefined) await form.getByLabel("URL").fill(url);
    if (description !== undefined) await form.getByLabel("Description (optional)").fill(description);
    if (events === undefined) return;
    for (const checkbox of await form.getByRole("group", { name: "Events" }).getByRole("checkbox").all()) {
      const name = (await checkbox.evaluate((input) => input.parentElement?.textContent ?? "")).trim();
      await checkbox.setChecked(events.includes(name));
    }
  }

  private async takeSecret(title: string): Promise<string> {
    await expect(this.secretDialog).toBeVisible();
    await expect(this.secretDialog.getByRole("heading", { name: title })).toBeVisible();
    const secret = await this.secretDialog.getByLabel("Signing secret").inputValue();
    await this.secretDialog.getByRole("button", { name: "I have copied the secret" }).click();
    await expect(this.secretDialog).toBeHidden();
    return secret;
  }
}
