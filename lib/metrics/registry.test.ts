import { describe, expect, it } from "vitest";
import { incrementRateLimitRejections, metrics, observeHttpRequest } from "@/lib/metrics/registry";

const valueOf = async (name: string, labels: Record<string, string>): Promise<number> => {
  const metric = metrics().registry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  const { values } = await metric.get();
  const found = values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label));
  return found?.value ?? 0;
};

describe("metrics registry", () => {
  it("is one registry for every bundle: the same object on globalThis", () => {
    expect(metrics()).toBe(metrics());
    expect((globalThis as unknown as { intakeMetrics?: unknown }).intakeMetrics).toBe(metrics());
  });

  it.each([
    { scope: "login", times: 1 },
    { scope: "api", times: 3 },
  ])("incrementRateLimitRejections('$scope') × $times", async ({ scope, times }) => {
    const before = await valueOf("intake_rate_limit_rejections_total", { scope });
    for (let count = 0; count < times; count += 1) incrementRateLimitRejections(scope);
    expect(await valueOf("intake_rate_limit_rejections_total", { scope })).toBe(before + times);
  });

  it("observes a request in the counter and the histogram, with the status as a label", async () => {
    const labels = { method: "POST", route: "/api/jobs/{job_id}/cancel", status: "409" };
    const before = await valueOf("http_requests_total", labels);
    observeHttpRequest({ method: "POST", route: "/api/jobs/{job_id}/cancel", status: 409, seconds: 0.2 });
    expect(await valueOf("http_requests_total", labels)).toBe(before + 1);
    const histogram = await metrics().registry.getSingleMetric("http_request_duration_seconds")?.get();
    const bucket = histogram?.values.find(
      (value) =>
        "metricName" in value &&
        value.metricName === "http_request_duration_seconds_bucket" &&
        value.labels.route === labels.route &&
        value.labels.le === 0.25,
    );
    expect(bucket?.value).toBeGreaterThanOrEqual(1);
  });
});
