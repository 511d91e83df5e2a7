import { expect, type Locator, type Page } from "@playwright/test";
import { AppShell } from "./app-shell";

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
    await this.createForm.getByLabel("URL").fill(url);
    for (const checkbox of await this.createForm.getByRole("checkbox").all()) {
      const name = (await checkbox.evaluate((input) => input.parentElement?.textContent ?? "")).trim();
      await checkbox.setChecked(events.includes(name));
    }
    await this.createForm.getByRole("button", { name: "Create webhook" }).click();
    await expect(this.secretDialog).toBeVisible();
    const secret = await this.secretDialog.getByLabel("Signing secret").inputValue();
    await this.secretDialog.getByRole("button", { name: "I have copied the secret" }).click();
    await expect(this.secretDialog).toBeHidden();
    return secret;
  }

  webhook(url: string): Locator {
    return this.list.getByRole("listitem", { name: url });
  }

  async sendTestEvent(url: string): Promise<void> {
    await this.webhook(url).getByRole("button", { name: "Send test event" }).click();
  }

  deliveries(url: string): Locator {
    return this.webhook(url).getByRole("table", { name: "Deliveries" });
  }
}
