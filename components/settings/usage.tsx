import { UsageChart } from "@/components/settings/usage-chart";
import { formatCount } from "@/lib/format/numbers";
import type { UsageReport } from "@/lib/usage/report";

const TOP_ROUTES = 8;

/** Settings → Usage: the company's API requests over the report's days, and the limits they count against. */
export function UsageSection({ usage }: { usage: UsageReport }) {
  const { totals, limits } = usage;
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600">
        API requests by members and API keys from {usage.from} to {usage.to} (UTC days).
      </p>
      <div className="grid gap-6 md:grid-cols-[5fr_3fr]">
        <div>
          <h3 id="usage-totals" className="mb-2 text-sm font-semibold text-slate-900">
            Totals
          </h3>
          <dl aria-labelledby="usage-totals" className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-5">
            <Amount label="Requests" value={formatCount(totals.requests)} />
            <Amount label="Successful (2xx)" value={formatCount(totals.byStatusClass["2xx"])} />
            <Amount label="Client errors (4xx)" value={formatCount(totals.byStatusClass["4xx"])} />
            <Amount label="Server errors (5xx)" value={formatCount(totals.byStatusClass["5xx"])} />
            <Amount label="Average time" value={`${totals.averageDurationMs.toLocaleString("en")} ms`} />
          </dl>
        </div>
        <div className="md:border-l md:border-slate-200 md:pl-6">
          <h3 id="usage-limits" className="mb-2 text-sm font-semibold text-slate-900">
            Rate limits
          </h3>
          <dl aria-labelledby="usage-limits" className="grid grid-cols-3 gap-4 text-sm">
            <Amount label="Per minute" value={formatCount(limits.perMinute)} />
            <Amount label="Per hour" value={formatCount(limits.perHour)} />
            <Amount label="Per day" value={formatCount(limits.perDay)} />
          </dl>
        </div>
      </div>
      {/* Only what the chart draws crosses to the browser, not each day's routes. */}
      <UsageChart days={usage.days.map(({ date, byStatusClass }) => ({ date, byStatusClass }))} />
      {usage.routes.length === 0 ? (
        <p className="text-sm text-slate-600">No API requests in these days.</p>
      ) : (
        <div className="-mx-5 overflow-x-auto">
          <table aria-label="Top routes" className="w-full text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-left text-slate-500">
                <th scope="col" className="px-5 py-2 font-medium">
                  Route
                </th>
                {["Requests", "2xx", "4xx", "5xx", "Average time"].map((column) => (
                  <th key={column} scope="col" className="px-5 py-2 text-right font-medium">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {usage.routes.slice(0, TOP_ROUTES).map((route) => (
                <tr key={`${route.method} ${route.route}`}>
                  <th scope="row" className="px-5 py-2 text-left font-mono font-normal text-slate-900">
                    {route.method} {route.route}
                  </th>
                  <td className="px-5 py-2 text-right tabular-nums">{formatCount(route.requests)}</td>
                  <td className="px-5 py-2 text-right tabular-nums">{formatCount(route.byStatusClass["2xx"])}</td>
                  <td className="px-5 py-2 text-right tabular-nums">{formatCount(route.byStatusClass["4xx"])}</td>
                  <td className="px-5 py-2 text-right tabular-nums">{formatCount(route.byStatusClass["5xx"])}</td>
                  <td className="px-5 py-2 text-right tabular-nums">
                    {route.averageDurationMs.toLocaleString("en")} ms
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Amount({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="font-medium text-slate-500">{label}</dt>
      <dd className="mt-1 text-lg font-semibold tabular-nums text-slate-900">{value}</dd>
    </div>
  );
}
