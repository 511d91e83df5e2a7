import { expect, type Locator, type Page } from "@playwright/test";

type Amount = "Requests" | "Successful (2xx)" | "Client errors (4xx)" | "Server errors (5xx)";
type Limit = "Per minute" | "Per hour" | "Per day";

/** Settings → Usage: the company's API requests per day, its totals and top routes, and its rate limits. */
export class UsagePage {
  readonly section: Locator;
  readonly chart: Locator;
  /** recharts' SVG surface of the chart (the legend's icons are small surfaces of their own). */
  readonly surface: Locator;
  readonly totals: Locator;
  readonly limits: Locator;
  readonly topRoutes: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByRole("region", { name: "Usage", exact: true });
    this.chart = this.section.getByRole("figure", { name: "Requests per day" });
    this.surface = this.chart.getByRole("application");
    this.totals = this.section.getByLabel("Totals", { exact: true });
    this.limits = this.section.getByLabel("Rate limits", { exact: true });
    this.topRoutes = this.section.getByRole("table", { name: "Top routes" });
  }

  /** Loads Settings afresh: its usage is read when the page is rendered. */
  async open(): Promise<void> {
    await this.page.goto("/settings");
    await expect(this.page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    await expect(this.section).toBeVisible();
  }

  /** The bars recharts drew on the chart's surface. */
  bars(): Locator {
    return this.surface.locator(".recharts-bar-rectangle path");
  }

  total(term: Amount): Locator {
    return valueOf(this.totals, term);
  }

  limit(term: Limit): Locator {
    return valueOf(this.limits, term);
  }

  /** The top-routes row of `METHOD /path/{template}`. */
  routeRow(route: string): Locator {
    return this.topRoutes
      .getByRole("row")
      .filter({ has: this.page.getByRole("rowheader", { name: route, exact: true }) });
  }
}

/** The value (dd) beside a term (dt) of a description list. */
function valueOf(list: Locator, term: string): Locator {
  return list.getByRole("term").filter({ hasText: term }).locator("xpath=following-sibling::dd[1]");
}
