import { expect, type Locator } from "@playwright/test";

/** A table's rows of data (the header row has no cells). */
export function dataRows(table: Locator): Locator {
  return table.getByRole("row").filter({ has: table.page().getByRole("cell") });
}

/** Waits until a table (or list) shows the current filter's and page's own data, not the previous one's. */
export async function waitUntilLoaded(view: Locator): Promise<void> {
  await expect(view).toHaveAttribute("aria-busy", "false");
}
