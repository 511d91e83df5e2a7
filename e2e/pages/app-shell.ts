import type { Locator, Page } from "@playwright/test";

type Section = "Overview" | "Jobs" | "Issues" | "Contacts" | "Sessions" | "Settings" | "Admin";

/** What every signed-in page has around it: the main navigation, who is signed in, the company switcher, sign out. */
export class AppShell {
  readonly navigation: Locator;
  readonly currentUser: Locator;
  readonly companySwitcher: Locator;

  constructor(readonly page: Page) {
    this.navigation = page.getByRole("navigation", { name: "Main" });
    this.currentUser = page.getByTestId("current-user");
    // By role: Settings has a "Company" section and a "Company name" field too.
    this.companySwitcher = page.getByRole("combobox", { name: "Company", exact: true });
  }

  navLink(section: Section): Locator {
    return this.navigation.getByRole("link", { name: section });
  }

  /** The company the switcher shows as chosen. */
  get currentCompany(): Locator {
    return this.companySwitcher.locator("option:checked");
  }

  async navigateTo(section: Section): Promise<void> {
    await this.navLink(section).click();
  }

  async switchCompany(name: string): Promise<void> {
    await this.companySwitcher.selectOption({ label: name });
  }

  async signOut(): Promise<void> {
    await this.page.getByRole("button", { name: "Sign out", exact: true }).click();
  }
}
