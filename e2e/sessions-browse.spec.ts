import { expect, test } from "./fixtures/test";
import { SessionsBrowsePage } from "./pages/sessions-browse-page";
import { SignInPage } from "./pages/sign-in-page";

test("a project, its cycle and a session are created and listed; deleting is confirmed and refusals are shown", async ({
  page,
}) => {
  const tag = Math.random().toString(36).slice(2, 8);
  const project = `Spring imports ${tag}`;
  const cycle = `Q2 ${tag}`;
  const session = `April CRM files ${tag}`;

  await new SignInPage(page).signIn();
  const sessions = new SessionsBrowsePage(page);
  await sessions.open();

  await sessions.createProject(`${project} draft`, "Contacts from the spring campaigns");
  await sessions.createProject(`${project} taken`, "");
  const taken = await sessions.rename("Projects", `${project} draft`, `${project} taken`);
  await expect(taken.getByRole("alert")).toHaveText(`The company already has a project named "${project} taken"`);
  await taken.getByRole("button", { name: "Cancel" }).click();
  await sessions.rename("Projects", `${project} draft`, project);
  const projectRow = sessions.row("Projects", project);
  await expect(projectRow).toContainText("Contacts from the spring campaigns");
  await sessions.delete("Projects", `${project} taken`);
  await expect(sessions.row("Projects", `${project} taken`)).toHaveCount(0);
  await sessions.openLink(project);
  await expect(sessions.page.getByText("No cycles yet.")).toBeVisible();

  await sessions.createCycle(cycle, { start: "2026-04-30", end: "2026-04-01", status: "planned" });
  await expect(sessions.form("New cycle").getByLabel("End date")).toHaveAccessibleDescription(/on or after/);
  await sessions.createCycle(cycle, { start: "2026-04-01", end: "2026-06-30", status: "planned" });
  await expect(sessions.form("New cycle").getByRole("status")).toHaveText(`Cycle "${cycle}" created`);
  const cycleRow = sessions.row("Cycles", cycle);
  await expect(cycleRow).toContainText("2026-04-01 – 2026-06-30");
  await expect(cycleRow).toContainText("planned");

  await sessions.openLink(cycle);
  await sessions.createSession(session, { source: "CRM export", importMode: "create" });
  const sessionRow = sessions.row("Sessions", session);
  await expect(sessionRow).toContainText("pending");
  await expect(sessionRow).toContainText("CRM export · create");
  await expect(sessionRow).toContainText("0 attached");
  await expect(sessionRow.getByRole("link", { name: session })).toHaveAttribute("href", /^\/sessions\/\d+$/);

  // The project holds a pending session: deleting it, even with its sessions, is refused as the API says.
  await sessions.open();
  await expect(sessions.row("Projects", project)).toContainText("1");
  const refused = await sessions.delete("Projects", project, { cascade: true });
  await expect(refused.getByRole("alert")).toContainText("1 session still pending or in progress");

  await sessions.openLink(project);
  await sessions.openLink(cycle);
  await sessions.delete("Sessions", session);
  await expect(sessions.page.getByText("No sessions yet.")).toBeVisible();

  await sessions.open();
  await sessions.delete("Projects", project);
  await expect(sessions.row("Projects", project)).toHaveCount(0);
});
