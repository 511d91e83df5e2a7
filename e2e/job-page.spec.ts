import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import iconv from "iconv-lite";
import { signIn } from "./fixtures/sign-in";

test("a Portuguese, semicolon-separated Windows-1252 file is detected and its job page shows how it was read", async ({ page }) => {
  await signIn(page);

  const tag = randomBytes(3).toString("hex");
  const body = `E-mail;Nome;Sobrenome;Empresa\r\njose.${tag}@exemplo.com.br;José;Conceição;Açúcar & Cia\r\nmaria.${tag}@exemplo.com.br;María;Gonçalves;"Pão; Café"\r\n`;
  const fileName = `clientes-${tag}.csv`;
  // The browser's session cookie authenticates these API calls too.
  const created = await page.request.post("/api/jobs/upload", {
    multipart: { file: { name: fileName, mimeType: "text/csv", buffer: iconv.encode(body, "win1252") } },
  });
  expect(created.status()).toBe(201);
  const { job_id: jobId } = (await created.json()) as { job_id: number };
  await expect
    .poll(async () => ((await (await page.request.get(`/api/jobs/${jobId}`)).json()) as { status: string }).status, { timeout: 30_000 })
    .toBe("COMPLETED");

  await page.goto("/jobs");
  await page.getByRole("link", { name: fileName }).click();
  await expect(page.getByRole("heading", { name: fileName })).toBeVisible();
  await expect(page.getByText("Completed").first()).toBeVisible();
  const file = page.getByRole("region", { name: "File" });
  await expect(file.getByRole("definition").filter({ hasText: "windows-1252" })).toBeVisible();
  await expect(file.getByRole("definition").filter({ hasText: "semicolon" })).toBeVisible();
  const mapping = page.getByRole("table", { name: "Which column of the file gives each field" });
  await expect(mapping.getByRole("row", { name: "email E-mail" })).toBeVisible();
  await expect(mapping.getByRole("row", { name: "first_name Nome" })).toBeVisible();
  await expect(mapping.getByRole("row", { name: "last_name Sobrenome" })).toBeVisible();
  await expect(mapping.getByRole("row", { name: "company Empresa" })).toBeVisible();
  const inserted = page.locator("dl > div").filter({ hasText: "Inserted" }).getByRole("definition");
  await expect(inserted).toHaveText("2");
  await expect(page.getByRole("listitem").filter({ hasText: "2 inserted, 0 updated, 0 skipped" })).toBeVisible();
});

test("a job that does not exist (or belongs to another company) is not found", async ({ page }) => {
  await signIn(page);
  const response = await page.goto("/jobs/999999");
  expect(response?.status()).toBe(404);
});
