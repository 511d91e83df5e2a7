import type { Locator, Page } from "@playwright/test";

/** The figure under a label in a page's figures (a `dl` of term and definition pairs): "Jobs", "Inserted", … */
export function figure(page: Page, label: string): Locator {
  return page
    .locator("dl > div")
    .filter({ has: page.getByRole("term").filter({ hasText: new RegExp(`^${label}$`) }) })
    .getByRole("definition");
}
