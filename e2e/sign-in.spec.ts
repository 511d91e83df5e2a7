import { expect, test, type Page } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";

async function signIn(page: Page, password = E2E_ADMIN.password) {
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("a signed-out visit to a page redirects to sign-in and returns there afterwards", async ({ page }) => {
  await page.goto("/jobs");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fjobs$/);
  await expect(page.getByRole("heading", { name: "Sign in to your company" })).toBeVisible();

  await signIn(page);
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Jobs" })).toBeVisible();
});

test("a wrong password is refused with a message in place", async ({ page }) => {
  await page.goto("/sign-in");
  await signIn(page, "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByLabel("Email")).toHaveValue(E2E_ADMIN.email);

  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("the demo admin signs in, sees the overview, and signs out", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await signIn(page);

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Overview", "Jobs", "Issues", "Contacts", "Sessions", "Settings"]) {
    await expect(nav.getByRole("link", { name })).toBeVisible();
  }
  await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("current-user")).toContainText("Administrator");
  await expect(page.getByTestId("current-user")).toContainText("admin");
  await expect(page.getByLabel("Company").locator("option:checked")).toHaveText("Demo Company");
  // Real figures from the database: the Jobs figure is the company's job count, and the rows by
  // status add up to it (other specs may have uploaded files before this one runs).
  const { total } = (await (await page.request.get("/api/jobs")).json()) as { total: number };
  await expect(page.getByRole("definition").first()).toHaveText(total.toLocaleString("en"));
  const byStatus = await page.getByRole("table").getByRole("cell").allTextContents();
  expect(byStatus.reduce((sum, text) => sum + Number(text.replace(/,/g, "")), 0)).toBe(total);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
});
