import { expect, test } from "@playwright/test";
import { E2E_ADMIN, E2E_SECOND_COMPANY } from "../playwright.config";

test("someone in two companies switches between them and their groups follow", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

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
