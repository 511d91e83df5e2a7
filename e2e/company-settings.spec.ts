import { expect, test } from "./fixtures/test";
import { E2E_ADMIN, E2E_SECOND_COMPANY } from "../playwright.config";
import { AppShell } from "./pages/app-shell";
import { CompanySettingsPage } from "./pages/company-settings-page";
import { SignInPage } from "./pages/sign-in-page";

// Other specs find the administrator's company by its name: this one renames it and puts the name
// back, and afterAll puts it back through the API if a step in between failed.
const COMPANY = "Demo Company";
const RENAMED = "Demo Company Renamed";

test.afterAll(async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  try {
    const login = await request.post("/api/auth/login", {
      data: { username: E2E_ADMIN.email, password: E2E_ADMIN.password },
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${token}` };
    const companies = (await (await request.get("/api/companies", { headers })).json()) as {
      id: string;
      name: string;
    }[];
    const renamed = companies.find((company) => company.name === RENAMED);
    if (renamed) {
      const restored = await request.put(`/api/companies/${renamed.id}`, { data: { name: COMPANY }, headers });
      expect(restored.status(), await restored.text()).toBe(200);
    }
  } finally {
    await request.dispose();
  }
});

test("an admin renames the company in Settings and the header shows the new name; the slug stays", async ({ page }) => {
  await new SignInPage(page).signIn();
  const shell = new AppShell(page);
  const settings = new CompanySettingsPage(page);
  await settings.open();
  await expect(settings.detail("Name")).toHaveText(COMPANY);
  const slug = await settings.detail("Slug").innerText();
  await expect(settings.detail("Members")).toHaveText(/^[1-9]\d*$/);

  await settings.nameField.fill("   ");
  await settings.renameForm.getByRole("button", { name: "Save company name" }).click();
  await expect(settings.nameField).toHaveAccessibleDescription(/Enter the company's name/);

  await settings.rename(`  ${RENAMED}  `);
  await expect(shell.currentCompany).toHaveText(RENAMED);
  await expect(settings.detail("Name")).toHaveText(RENAMED);
  await expect(settings.detail("Slug")).toHaveText(slug);

  await settings.rename(COMPANY);
  await expect(shell.currentCompany).toHaveText(COMPANY);
});

test("in a company where they are not an admin, the company is shown read-only", async ({ page }) => {
  await new SignInPage(page).signIn();
  const shell = new AppShell(page);
  const settings = new CompanySettingsPage(page);
  await shell.switchCompany(E2E_SECOND_COMPANY);
  await expect(shell.currentUser).toContainText("viewer");
  await settings.open();
  await expect(settings.detail("Name")).toHaveText(E2E_SECOND_COMPANY);
  await expect(settings.section).toContainText("Only the company's admins can rename it.");
  await expect(settings.renameForm).toHaveCount(0);
  await shell.switchCompany(COMPANY);
  await expect(shell.currentUser).toContainText("admin");
});
