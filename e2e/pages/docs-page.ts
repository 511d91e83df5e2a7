import { expect, type Locator, type Page } from "@playwright/test";

/** /docs: the API reference Swagger UI renders from /api/openapi.json. */
export class DocsPage {
  readonly heading: Locator;
  /** The document's own title and version, shown once Swagger UI has fetched and read it. */
  readonly documentTitle: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Intake API reference", level: 1 });
    this.documentTitle = page.getByRole("heading", { name: /^Intake API \d/ });
  }

  async open(): Promise<void> {
    await this.page.goto("/docs");
    await expect(this.heading).toBeVisible();
    await expect(this.documentTitle).toBeVisible();
  }

  /** An operation's summary row, by its method and path as the document names them. */
  operation(method: string, path: string): Locator {
    return this.page.getByRole("button", { name: new RegExp(`^${method} ${escapeRegExp(path)}(\\s|$)`) });
  }

  /** Opens an operation and returns it whole: summary, description, extensions, parameters, responses. */
  async expand(method: string, path: string): Promise<Locator> {
    const summary = this.operation(method, path);
    await summary.click();
    await expect(summary).toHaveAttribute("aria-expanded", "true");
    // Swagger UI wraps each operation in one block holding the summary row and, once open, its details.
    return this.page.locator(".opblock").filter({ has: summary });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
