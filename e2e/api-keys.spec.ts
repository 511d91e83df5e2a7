import { expect, test } from "./fixtures/test";
import { ApiKeysPage } from "./pages/api-keys-page";
import { SignInPage } from "./pages/sign-in-page";

test("an admin creates an API key in Settings, a program uses it, and once revoked in Settings it gets 401", async ({
  page,
  request,
}) => {
  await new SignInPage(page).signIn();
  const apiKeys = new ApiKeysPage(page);
  await apiKeys.open();

  const name = `e2e key ${Date.now()}`;
  const secret = await apiKeys.createKey(name, ["Viewer"]);
  expect(secret).toMatch(/^ik_/);
  const row = apiKeys.row(name);
  await expect(row.getByRole("cell", { name: "Active", exact: true })).toBeVisible();
  await expect(row).not.toContainText(secret);

  const withKey = { headers: { authorization: `Bearer ${secret}` } };
  const before = await request.get("/api/jobs", withKey);
  expect(before.status(), await before.text()).toBe(200);

  await apiKeys.revoke(name);
  const after = await request.get("/api/jobs", withKey);
  expect(after.status()).toBe(401);
  expect(((await after.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
});
