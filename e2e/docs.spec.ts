import { DocsPage } from "./pages/docs-page";
import { expect, test } from "./fixtures/test";

test.describe("the API reference at /docs", () => {
  test("renders the generated document to a signed-out visitor, under the page's CSP", async ({ page }) => {
    const docs = new DocsPage(page);
    await docs.open();
    await expect(page).toHaveURL(/\/docs$/);

    const cancel = docs.operation("POST", "/api/jobs/{job_id}/cancel");
    await expect(cancel).toContainText("Stop a PENDING or PROCESSING job; it becomes CANCELLED");
    await expect(docs.operation("GET", "/api/openapi.json")).toBeVisible();
    await expect(docs.operation("GET", "/api/admin/tenants")).toBeVisible();

    const operation = await docs.expand("POST", "/api/jobs/{job_id}/cancel");
    await expect(operation).toContainText("Needs the editor group");
    await expect(operation).toContainText("x-required-group");
    await expect(operation.getByRole("cell", { name: "job_id", exact: false }).first()).toBeVisible();
    for (const status of ["200", "401", "403", "404", "409"])
      await expect(operation.getByRole("cell", { name: status, exact: true })).toBeVisible();
  });
});
