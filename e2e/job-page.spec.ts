import { randomBytes } from "node:crypto";
import { expect, test } from "./fixtures/test";
import iconv from "iconv-lite";
import { uploadSmall } from "./fixtures/jobs";
import { JobPage } from "./pages/job-page";
import { JobsPage } from "./pages/jobs-page";
import { SignInPage } from "./pages/sign-in-page";

test("a Portuguese, semicolon-separated Windows-1252 file is detected and its job page shows how it was read", async ({
  page,
}) => {
  await new SignInPage(page).signIn();

  const tag = randomBytes(3).toString("hex");
  const body = `E-mail;Nome;Sobrenome;Empresa\r\njose.${tag}@exemplo.com.br;José;Conceição;Açúcar & Cia\r\nmaria.${tag}@exemplo.com.br;María;Gonçalves;"Pão; Café"\r\n`;
  const fileName = `clientes-${tag}.csv`;
  // The browser's session cookie authenticates these API calls too.
  const file = { name: fileName, mimeType: "text/csv", buffer: iconv.encode(body, "win1252") };
  const jobId = await uploadSmall(page, file, "COMPLETED");

  const jobs = new JobsPage(page);
  await jobs.goto();
  await jobs.openJob(fileName);
  const job = new JobPage(page, jobId, fileName);
  await expect(job.heading).toBeVisible();
  await expect(page.getByText("Completed").first()).toBeVisible();
  await expect(job.fileFact("windows-1252")).toBeVisible();
  await expect(job.fileFact("semicolon")).toBeVisible();
  await expect(job.mapping("email E-mail")).toBeVisible();
  await expect(job.mapping("first_name Nome")).toBeVisible();
  await expect(job.mapping("last_name Sobrenome")).toBeVisible();
  await expect(job.mapping("company Empresa")).toBeVisible();
  await expect(job.figure("Inserted")).toHaveText("2");
  await expect(job.timelineEntry("2 inserted, 0 updated, 0 skipped")).toBeVisible();
});

test("a job that does not exist (or belongs to another company) is not found", async ({ page }) => {
  await new SignInPage(page).signIn();
  const response = await page.goto("/jobs/999999");
  expect(response?.status()).toBe(404);
});
