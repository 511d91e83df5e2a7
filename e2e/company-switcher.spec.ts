import { expect, test } from "./fixtures/test";
import { E2E_SECOND_COMPANY } from "../playwright.config";
import { AppShell } from "./pages/app-shell";
import { SignInPage } from "./pages/sign-in-page";

test("someone in two companies switches between them and their groups follow", async ({ page }) => {
  await new SignInPage(page).signIn();
  const shell = new AppShell(page);

  await expect(shell.companySwitcher).toHaveValue(/.+/);
  await expect(shell.currentCompany).toHaveText("Demo Company");
  await expect(shell.currentUser).toContainText("admin");

  await shell.switchCompany(E2E_SECOND_COMPANY);
  await expect(shell.currentUser).toContainText("viewer");
  await expect(shell.currentCompany).toHaveText(E2E_SECOND_COMPANY);

  // The choice is kept in the session: a reload stays in the second company.
  await page.reload();
  await expect(shell.currentUser).toContainText("viewer");

  await shell.switchCompany("Demo Company");
  await expect(shell.currentUser).toContainText("admin");
});
