import { expect, test } from "./fixtures/test";
import { AdminPage } from "./pages/admin-page";
import { AppShell } from "./pages/app-shell";
import { SignInPage } from "./pages/sign-in-page";

test("a platform admin creates a tenant, suspends it (its admin is told so), reactivates it, sets its limits and deletes it", async ({
  browser,
  page,
}) => {
  await new SignInPage(page).signIn();
  const admin = new AdminPage(page);
  await admin.open();

  const stamp = Date.now();
  const name = `E2E Tenant ${stamp}`;
  const firstAdmin = { email: `tenant-admin-${stamp}@example.com`, password: `pw-${stamp}-tenant` };
  await admin.createTenant(name, firstAdmin);
  await expect(admin.status(name)).toHaveText("active");
  await expect(admin.row(name).getByRole("cell").nth(2)).toHaveText("1");

  await admin.toggleActive(name, "Suspend");
  await expect(admin.status(name)).toHaveText("suspended");

  // The tenant's own admin, in a browser of their own, is told why they cannot sign in.
  const theirs = await browser.newContext();
  const theirPage = await theirs.newPage();
  await theirPage.goto("/sign-in");
  await theirPage.getByLabel("Email").fill(firstAdmin.email);
  await theirPage.getByLabel("Password").fill(firstAdmin.password);
  await theirPage.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(theirPage.getByRole("alert").filter({ hasText: "suspended" })).toHaveText(
    "Your company is suspended by the platform administrators; you can sign in once it is reactivated",
  );

  await admin.toggleActive(name, "Reactivate");
  await expect(admin.status(name)).toHaveText("active");
  await theirPage.getByLabel("Email").fill(firstAdmin.email);
  await theirPage.getByLabel("Password").fill(firstAdmin.password);
  await theirPage.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(theirPage.getByRole("heading", { name: "Overview" })).toBeVisible();
  // Admin is for platform administrators only: not in their navigation, and no page for them.
  await expect(new AppShell(theirPage).navigation.getByRole("link", { name: "Admin" })).toHaveCount(0);
  const refused = await theirPage.goto("/admin");
  expect(refused?.status()).toBe(404);
  await theirs.close();

  await admin.setLimits(name, { minute: 60, hour: 3000, day: 50000 });
  await expect(admin.row(name)).toContainText("60 / 3,000 / 50,000");

  await admin.delete(name);
  await expect(admin.row(name)).toHaveCount(0, { timeout: 30_000 });
});
