import { expect, test } from "./fixtures/test";
import { AppShell } from "./pages/app-shell";
import { JobsPage } from "./pages/jobs-page";
import { InvitationPage, MembersPage } from "./pages/members-page";
import { SignInPage } from "./pages/sign-in-page";

test("an admin invites a viewer in Settings; the invitee sets a password from the link, signs in and may only read", async ({
  page,
  browser,
}) => {
  await new SignInPage(page).signIn();
  const members = new MembersPage(page);
  await members.open();

  const email = `viewer-${Date.now()}@e2e.test`;
  const password = "viewer-chosen-password";
  const link = await members.invite({ email, name: "Vera Viewer", groups: ["Viewer"] });
  expect(link).toMatch(/\/invite\/inv_[\w-]+$/);
  await expect(members.cell(email, 2)).toHaveText("viewer");
  await expect(members.cell(email, 3)).toHaveText("Invited");

  // The invitee is someone else, in a browser of their own.
  const theirs = await browser.newContext();
  try {
    const invitee = await theirs.newPage();
    await invitee.goto(link);
    const invitation = new InvitationPage(invitee);
    await expect(invitation.heading).toHaveText("Join Demo Company");
    await expect(invitee.getByText(email)).toBeVisible();

    await invitation.accept(password, "a-different-password");
    await expect(invitee.getByText("The two passwords differ")).toBeVisible();
    await invitation.accept(password);
    await expect(invitee.getByRole("heading", { name: "Overview" })).toBeVisible();

    // Signed out, the chosen password signs them in again; the link is spent.
    await new AppShell(invitee).signOut();
    await expect(invitee.getByRole("heading", { name: "Sign in to your company" })).toBeVisible();
    await invitee.goto(link);
    await expect(new InvitationPage(invitee).alert).toHaveText(/already used/);
    await invitee.goto("/sign-in");
    await invitee.getByLabel("Email").fill(email);
    await invitee.getByLabel("Password").fill(password);
    await invitee.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(invitee.getByRole("heading", { name: "Overview" })).toBeVisible();
    await expect(new AppShell(invitee).currentUser).toContainText("Vera Viewer");
    await expect(new AppShell(invitee).currentUser).toContainText("viewer");

    // Only what a viewer may: no upload control, members and API keys read-only.
    const jobs = new JobsPage(invitee);
    await jobs.goto();
    await expect(jobs.heading).toBeVisible();
    await expect(invitee.getByText(/Uploading files needs the uploader group/)).toBeVisible();
    await expect(jobs.dropzone).toHaveCount(0);

    const theirMembers = new MembersPage(invitee);
    await theirMembers.open();
    await expect(theirMembers.cell(email, 2)).toHaveText("viewer");
    await expect(theirMembers.cell(email, 3)).toHaveText("Active");
    await expect(theirMembers.inviteForm).toHaveCount(0);
    await expect(theirMembers.section).toContainText("Only the company's admins invite members");
    await expect(theirMembers.list.getByRole("button")).toHaveCount(0);
  } finally {
    await theirs.close();
  }

  // The admin's list follows: the invitation was accepted.
  await page.reload();
  await expect(members.cell(email, 3)).toHaveText("Active");
});

test("an admin cannot take away the company's last active admin: the controls say why", async ({ page }) => {
  await new SignInPage(page).signIn();
  const members = new MembersPage(page);
  await members.open();
  const admin = members.list.getByRole("row").filter({ hasText: "(you)" });
  await expect(admin.getByRole("button", { name: /^Remove / })).toBeDisabled();
  await expect(admin.getByRole("button", { name: /^Deactivate / })).toBeDisabled();
  await expect(admin).toContainText("You are the company's last active admin");
  await admin.getByRole("button", { name: /^Change groups of / }).click();
  await admin.getByRole("checkbox", { name: /^Admin\b/ }).uncheck();
  await expect(admin.getByRole("button", { name: "Save groups" })).toBeDisabled();
  await admin.getByRole("button", { name: "Cancel" }).click();
});
