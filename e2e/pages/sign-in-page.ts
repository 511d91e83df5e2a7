import { expect, type Locator, type Page } from "@playwright/test";
import { E2E_ADMIN } from "../../playwright.config";

/** The sign-in form. Every spec signs in as the e2e administrator, the one person with a password. */
export class SignInPage {
  readonly heading: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly alerts: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Sign in to your company" });
    this.email = page.getByLabel("Email");
    this.password = page.getByLabel("Password");
    this.alerts = page.getByRole("alert");
  }

  async goto(): Promise<void> {
    await this.page.goto("/sign-in");
  }

  /** Sends the form as the administrator (or `email`) with `password` (a form reached by a redirect keeps its return address). */
  async submit(password = E2E_ADMIN.password, email = E2E_ADMIN.email): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
  }

  /** Signs in as the administrator from wherever the page is and waits for the overview. */
  async signIn(password = E2E_ADMIN.password): Promise<void> {
    if (!this.page.url().includes("/sign-in")) await this.goto();
    await this.submit(password);
    await expect(this.page.getByRole("heading", { name: "Overview" })).toBeVisible();
  }
}
