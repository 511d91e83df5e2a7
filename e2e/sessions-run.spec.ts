import { expect, sameOrigin, test } from "./fixtures/test";
import { csvFile } from "./fixtures/contact-files";
import { SessionRunPage } from "./pages/session-run-page";
import { SignInPage } from "./pages/sign-in-page";

const RUNNING = { timeout: 120_000 };

test("twenty files dropped into a session run to completed: 18 landed, one to review, one refused with its reason", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const tag = Math.random().toString(36).slice(2, 8);
  await new SignInPage(page).signIn();
  const headers = sameOrigin();
  const project = await page.request.post("/api/projects", { headers, data: { name: `Run ${tag}` } });
  expect(project.status()).toBe(201);
  const cycle = await page.request.post("/api/cycles", {
    headers,
    data: { project_id: ((await project.json()) as { id: number }).id, name: `Cycle ${tag}` },
  });
  expect(cycle.status()).toBe(201);
  const created = await page.request.post("/api/sessions", {
    headers,
    data: { cycle_id: ((await cycle.json()) as { id: number }).id, name: `Twenty files ${tag}` },
  });
  expect(created.status()).toBe(201);
  const sessionId = ((await created.json()) as { id: number }).id;

  const good = Array.from({ length: 18 }, (_, index) =>
    csvFile(`good-${index}-${tag}.csv`, [`p${index}-${tag}@run.e2e.test,Person,${index},Acme`]),
  );
  const noEmail = csvFile(`no-email-${tag}.csv`, ["Ada,Lovelace,Engines"], "text/csv", "first_name,last_name,company");
  const withIssues = csvFile(`with-issues-${tag}.csv`, [
    `ok-${tag}@run.e2e.test,Ok,Row,Acme`,
    "not-an-email,Bad,Row,Acme",
  ]);

  const run = new SessionRunPage(page);
  await run.goto(sessionId);
  await run.drop([...good, noEmail, withIssues]);
  await expect(run.uploads.getByRole("progressbar")).toHaveCount(20);
  await expect(run.upload(noEmail.name)).toContainText(/email/i, RUNNING);
  for (const file of [...good, withIssues]) {
    await expect(run.upload(file.name)).toHaveAttribute("data-phase", "queued", RUNNING);
  }
  await expect(run.files.getByRole("row")).toHaveCount(21);

  await run.start();
  await expect(run.status()).toContainText("completed", RUNNING);
  for (const file of good) await expect(run.fileRow(file.name)).toContainText("Completed");
  await expect(run.fileRow(withIssues.name)).toContainText("Needs review");
  await expect(run.fileRow(withIssues.name).getByRole("link", { name: /Review job #\d+/ })).toHaveAttribute(
    "href",
    /^\/jobs\/\d+\/review$/,
  );
  await expect(run.fileRow(noEmail.name)).toContainText("Refused");
  await expect(run.fileRow(noEmail.name)).toContainText(/email/i);

  const status = await page.request.get(`/api/uploads/status/session-${sessionId}`);
  expect(await status.json()).toMatchObject({
    status: "completed",
    progress: 100,
    session: { files: { total: 20, completed: 18, needs_review: 1, refused: 1 }, rows_landed: 18 },
  });
  await page.screenshot({ path: test.info().outputPath("session-run-completed.png"), fullPage: true });
});
