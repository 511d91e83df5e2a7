import { expect, test } from "./fixtures/test";
import { E2E_ADMIN, E2E_SECOND_COMPANY } from "../playwright.config";
import { ApiKeysPage } from "./pages/api-keys-page";
import { AppShell } from "./pages/app-shell";
import { AuditLogPage } from "./pages/audit-log-page";
import { SignInPage } from "./pages/sign-in-page";

test("an admin creates and revokes an API key, then reads both in the Audit log, the revocation as before → after", async ({
  page,
}) => {
  await new SignInPage(page).signIn();
  const apiKeys = new ApiKeysPage(page);
  await apiKeys.open();
  const name = `audit e2e ${Date.now()}`;
  const secret = await apiKeys.createKey(name, ["Viewer"]);
  await apiKeys.revoke(name);

  await page.reload();
  const auditLog = new AuditLogPage(page);
  await expect(auditLog.table).toBeVisible();
  const created = auditLog.rows("Created an API key", name);
  await expect(created).toHaveCount(1);
  await expect(created).toContainText(E2E_ADMIN.email);
  await expect(created).toContainText(`name: ${name}`);
  await expect(created).toContainText("groups: viewer");

  const revoked = auditLog.rows("Revoked an API key", name);
  await expect(revoked).toHaveCount(1);
  await expect(revoked).toContainText(E2E_ADMIN.email);
  await expect(revoked).toContainText(/revoked at: none → \d{4}-\d{2}-\d{2}T/);
  await expect(auditLog.table).not.toContainText(secret);
});

test("in a company where they are not an admin, the Audit log says only admins can read it", async ({ page }) => {
  await new SignInPage(page).signIn();
  const shell = new AppShell(page);
  const auditLog = new AuditLogPage(page);
  await shell.switchCompany(E2E_SECOND_COMPANY);
  await expect(shell.currentUser).toContainText("viewer");
  await auditLog.open();
  await expect(auditLog.section).toContainText("Only the company's admins can read its audit log.");
  await expect(auditLog.table).toHaveCount(0);
  await shell.switchCompany("Demo Company");
  await expect(shell.currentUser).toContainText("admin");
});
