import { expect, test } from "@playwright/test";
import { E2E_SECOND_COMPANY } from "../playwright.config";
import { signIn } from "./fixtures/sign-in";

test("someone in two companies switches between them and their groups follow", async ({ page }) => {
  await signIn(page);

  const switcher = page.getByLabel("Company");
  await expect(switcher).toHaveValue(/.+/);
  await expect(switcher.locator("option:checked")).toHaveText("Demo Company");
  await expect(page.getByTestId("current-user")).toContainText("admin");

  await switcher.selectOption({ label: E2E_SECOND_COMPANY });
  await expect(page.getByTestId("current-user")).toContainText("viewer");
  await expect(switcher.locator("option:checked")).toHaveText(E2E_SECOND_COMPANY);

  // The choice is kept in the session: a reload stays in the second company.
  await page.reload();
  await expect(page.getByTestId("current-user")).toContainText("viewer");

  await page.getByLabel("Company").selectOption({ label: "Demo Company" });
  await expect(page.getByTestId("current-user")).toContainText("admin");
});
