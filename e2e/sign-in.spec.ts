import { expect, test } from "./fixtures/test";
import { E2E_ADMIN } from "../playwright.config";
import { jobTotal } from "./fixtures/jobs";
import { AppShell } from "./pages/app-shell";
import { JobsPage } from "./pages/jobs-page";
import { OverviewPage } from "./pages/overview-page";
import { SignInPage } from "./pages/sign-in-page";

test("a signed-out visit to a page redirects to sign-in and returns there afterwards", async ({ page }) => {
  const jobs = new JobsPage(page);
  const signIn = new SignInPage(page);
  await jobs.goto();
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fjobs$/);
  await expect(signIn.heading).toBeVisible();

  await signIn.submit();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(jobs.heading).toBeVisible();
  await expect(jobs.table).toBeVisible();
});

test("a wrong password is refused with a message in place", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.submit("not-the-password");
  await expect(signIn.alerts.filter({ hasText: "Wrong email or password" })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(signIn.email).toHaveValue(E2E_ADMIN.email);

  await new OverviewPage(page).goto();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("after 10 failed sign-ins for an account the form says when to try again", async ({ page }) => {
  const signIn = new SignInPage(page);
  // An account of its own: the limit, once reached, holds it for 15 minutes.
  const email = `guessed-${Date.now()}@e2e.test`;
  await signIn.goto();
  for (let attempt = 1; attempt <= 10; attempt++) {
    await signIn.submit(`wrong-${attempt}`, email);
    // Answered: the form is reset (a password typed before then would be wiped with it).
    await expect(signIn.password).toHaveValue("");
    await expect(signIn.alerts.filter({ hasText: "Wrong email or password" })).toBeVisible();
  }
  await signIn.submit("wrong-11", email);
  await expect(
    signIn.alerts.filter({
      hasText: /^Too many failed sign-ins for this account; try again in 15 minutes \(at \d\d:\d\d UTC\)$/,
    }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);

  // Other accounts from the same browser are not locked out.
  await signIn.signIn();
});

test("the demo admin signs in, sees the overview, and signs out", async ({ page }) => {
  const overview = new OverviewPage(page);
  const shell = new AppShell(page);
  await overview.goto();
  await expect(page).toHaveURL(/\/sign-in$/);
  await new SignInPage(page).submit();

  await expect(page).toHaveURL(/\/$/);
  await expect(overview.heading).toBeVisible();
  for (const name of ["Overview", "Jobs", "Issues", "Contacts", "Sessions", "Settings"] as const) {
    await expect(shell.navLink(name)).toBeVisible();
  }
  await expect(shell.navLink("Overview")).toHaveAttribute("aria-current", "page");
  await expect(shell.currentUser).toContainText("Administrator");
  await expect(shell.currentUser).toContainText("admin");
  await expect(shell.currentCompany).toHaveText("Demo Company");
  // Real figures from the database: the Jobs figure is the company's job count, and the rows by
  // status add up to it (other specs may have uploaded files before this one runs).
  const total = await jobTotal(page);
  await expect(overview.figure("Jobs")).toHaveText(total.toLocaleString("en"));
  const byStatus = await overview.statusCounts.allTextContents();
  expect(byStatus.reduce((sum, text) => sum + Number(text.replace(/,/g, "")), 0)).toBe(total);

  await shell.signOut();
  await expect(page).toHaveURL(/\/sign-in/);
  await overview.goto();
  await expect(page).toHaveURL(/\/sign-in$/);
});
