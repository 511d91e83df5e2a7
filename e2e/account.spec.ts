import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { E2E_ADMIN } from "../playwright.config";
import { AccountPage } from "./pages/account-page";
import { AppShell } from "./pages/app-shell";
import { JobsPage } from "./pages/jobs-page";
import { SignInPage } from "./pages/sign-in-page";

// The e2e set-up has one person with a password, the administrator the other specs sign in as: this
// spec changes that password and puts it back, and afterAll puts it back through the API if a step
// in between failed.
const CHANGED_PASSWORD = "changed-in-settings-1";

async function restorePassword(request: APIRequestContext): Promise<void> {
  const login = await request.post("/api/auth/login", { data: { email: E2E_ADMIN.email, password: CHANGED_PASSWORD } });
  if (login.status() !== 200) return;
  const { access_token: token } = (await login.json()) as { access_token: string };
  const restored = await request.post("/api/auth/password", {
    data: { current_password: CHANGED_PASSWORD, new_password: E2E_ADMIN.password },
    headers: { authorization: `Bearer ${token}` },
  });
  expect(restored.status(), await restored.text()).toBe(200);
}

test.afterAll(async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  try {
    await restorePassword(request);
  } finally {
    await request.dispose();
  }
});

test("a member changes their password in Settings → Account, stays signed in there, and is signed out elsewhere", async ({
  page,
  browser,
}) => {
  const elsewhere = await browser.newPage();
  try {
    await new SignInPage(elsewhere).signIn();
    const signInPage = new SignInPage(page);
    await signInPage.signIn();
    const settings = new AccountPage(page);
    const shell = new AppShell(page);
    await settings.open();

    await settings.changePassword({ current: "not-my-password", next: CHANGED_PASSWORD });
    await expect(settings.field("Current password")).toHaveAttribute("aria-invalid", "true");
    await expect(settings.field("Current password")).toHaveAccessibleDescription("The current password is wrong");

    await settings.changePassword({ current: E2E_ADMIN.password, next: "short" });
    await expect(settings.field("New password")).toHaveAccessibleDescription(/Use at least 8 characters/);

    await settings.changePassword({ current: E2E_ADMIN.password, next: CHANGED_PASSWORD, confirm: "something-else" });
    await expect(settings.field("Confirm new password")).toHaveAccessibleDescription(
      "Type the same new password twice",
    );

    await settings.changePassword({ current: E2E_ADMIN.password, next: CHANGED_PASSWORD });
    await expect(settings.passwordOutcome).toContainText("Password changed");

    // This browser stays signed in; the other one is sent to sign in at its next page.
    await page.reload();
    await expect(settings.account).toBeVisible();
    await new JobsPage(elsewhere).goto();
    await expect(elsewhere).toHaveURL(/\/sign-in/);

    await shell.signOut();
    await expect(page).toHaveURL(/\/sign-in/);
    await signInPage.submit();
    await expect(signInPage.alerts.filter({ hasText: "Wrong email or password" })).toBeVisible();
    await signInPage.signIn(CHANGED_PASSWORD);

    // Put the administrator's password back for the other specs, through the same form.
    await settings.open();
    await settings.changePassword({ current: CHANGED_PASSWORD, next: E2E_ADMIN.password });
    await expect(settings.passwordOutcome).toContainText("Password changed");
    await shell.signOut();
    await signInPage.signIn();
  } finally {
    await elsewhere.close();
  }
});

test("a member changes the name the header shows", async ({ page }) => {
  await new SignInPage(page).signIn();
  const settings = new AccountPage(page);
  const shell = new AppShell(page);
  await settings.open();
  await expect(settings.nameField).toHaveValue("Administrator");
  try {
    await settings.rename("Ada Administrator");
    await expect(shell.currentUser).toContainText("Ada Administrator");
    await page.reload();
    await expect(settings.nameField).toHaveValue("Ada Administrator");
  } finally {
    await settings.rename("Administrator");
  }
  await expect(shell.currentUser.getByText("Administrator", { exact: true })).toBeVisible();
});

test("signing out everywhere from Settings ends this browser's session, another browser's and the account's tokens", async ({
  page,
  browser,
  request,
}) => {
  const elsewhere = await browser.newPage();
  try {
    await new SignInPage(elsewhere).signIn();
    const login = await request.post("/api/auth/login", {
      data: { email: E2E_ADMIN.email, password: E2E_ADMIN.password },
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const signInPage = new SignInPage(page);
    await signInPage.signIn();
    const settings = new AccountPage(page);
    await settings.open();

    await settings.signOutEverywhere();
    await expect(signInPage.heading).toBeVisible();
    await new JobsPage(elsewhere).goto();
    await expect(elsewhere).toHaveURL(/\/sign-in/);
    const stale = await request.get("/api/auth/me", { headers: { authorization: `Bearer ${token}` } });
    expect(stale.status()).toBe(401);

    // The password is unchanged: signing in again works.
    await signInPage.signIn();
  } finally {
    await elsewhere.close();
  }
});
