"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { StatusClass, StatusClassCounts } from "@/lib/usage/report";

/** Each status class's colour (Tailwind's emerald, sky, amber and red 500). */
const SERIES: readonly { statusClass: StatusClass; name: string; color: string }[] = [
  { statusClass: "2xx", name: "2xx success", color: "#10b981" },
  { statusClass: "3xx", name: "3xx redirect", color: "#0ea5e9" },
  { statusClass: "4xx", name: "4xx client error", color: "#f59e0b" },
  { statusClass: "5xx", name: "5xx server error", color: "#ef4444" },
];

/** Requests per UTC day, stacked by status class. */
export function UsageChart({ days }: { days: readonly { date: string; byStatusClass: StatusClassCounts }[] }) {
  const data = days.map((day) => ({ date: day.date, ...day.byStatusClass }));
  return (
    <figure aria-label="Requests per day" className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          {/* MM-DD: the days are UTC, and the same on the server and in every browser. */}
          <XAxis
            dataKey="date"
            tickFormatter={(date: string) => date.slice(5)}
            tick={{ fontSize: 12 }}
            minTickGap={16}
          />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {SERIES.map((series) => (
            <Bar
              key={series.statusClass}
              dataKey={series.statusClass}
              name={series.name}
              stackId="requests"
              fill={series.color}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
