import { expect, test } from "./fixtures/test";
import { SignInPage } from "./pages/sign-in-page";
import { UsagePage } from "./pages/usage-page";

type StatusClasses = Record<"2xx" | "3xx" | "4xx" | "5xx", number>;
type Usage = {
  routes: { method: string; route: string; requests: number; by_status_class: StatusClasses }[];
  totals: { requests: number; by_status_class: StatusClasses };
  limits: { rate_limit_per_minute: number; rate_limit_per_hour: number; rate_limit_per_day: number };
};

const formatted = (value: number) => value.toLocaleString("en");

test("the API requests a member makes are counted by route and status, and Settings charts them beside the limits", async ({
  page,
}) => {
  await new SignInPage(page).signIn();
  // Nothing else may call the API meanwhile: the overview's own requests would be counted too.
  await page.goto("about:blank");
  const readUsage = async (): Promise<Usage> => {
    const response = await page.request.get("/api/usage");
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()) as Usage;
  };
  const routeOf = (usage: Usage, route: string) =>
    usage.routes.find((each) => `${each.method} ${each.route}` === route) ?? {
      requests: 0,
      by_status_class: { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0 },
    };

  const before = await readUsage();
  for (let request = 0; request < 3; request += 1) expect((await page.request.get("/api/jobs")).status()).toBe(200);
  for (const id of ["987654321", "987654322"]) expect((await page.request.get(`/api/jobs/${id}`)).status()).toBe(404);
  expect((await page.request.get("/api/jobs?page=0")).status()).toBe(400);
  const after = await readUsage();

  const jobs = [routeOf(before, "GET /api/jobs"), routeOf(after, "GET /api/jobs")] as const;
  expect(jobs[1].by_status_class["2xx"] - jobs[0].by_status_class["2xx"]).toBe(3);
  expect(jobs[1].by_status_class["4xx"] - jobs[0].by_status_class["4xx"]).toBe(1);
  const job = [routeOf(before, "GET /api/jobs/{job_id}"), routeOf(after, "GET /api/jobs/{job_id}")] as const;
  expect(job[1].requests - job[0].requests).toBe(2);
  expect(job[1].by_status_class["4xx"] - job[0].by_status_class["4xx"]).toBe(2);
  // The six requests and the first report (each report counts in the next one).
  expect(after.totals.requests - before.totals.requests).toBe(7);

  const usage = new UsagePage(page);
  await usage.open();
  await expect(usage.surface).toBeVisible();
  expect(await usage.surface.evaluate((element) => element.tagName.toLowerCase())).toBe("svg");
  await expect(usage.bars().first()).toBeVisible();
  expect(await usage.bars().count()).toBeGreaterThan(0);

  // What Settings shows is the API's report plus that report's own request: a 2xx.
  await expect(usage.total("Requests")).toHaveText(formatted(after.totals.requests + 1));
  await expect(usage.total("Successful (2xx)")).toHaveText(formatted(after.totals.by_status_class["2xx"] + 1));
  await expect(usage.total("Client errors (4xx)")).toHaveText(formatted(after.totals.by_status_class["4xx"]));
  await expect(usage.total("Server errors (5xx)")).toHaveText(formatted(after.totals.by_status_class["5xx"]));

  const jobRow = usage.routeRow("GET /api/jobs/{job_id}");
  await expect(jobRow.getByRole("cell").first()).toHaveText(formatted(job[1].requests));

  await expect(usage.limit("Per minute")).toHaveText(formatted(after.limits.rate_limit_per_minute));
  await expect(usage.limit("Per hour")).toHaveText(formatted(after.limits.rate_limit_per_hour));
  await expect(usage.limit("Per day")).toHaveText(formatted(after.limits.rate_limit_per_day));
});
