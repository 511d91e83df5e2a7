import type { Metadata } from "next";
import { Card, Stat } from "@/components/ui/card";
import { getOverview } from "@/db/queries/overview";
import { JOB_STATUSES } from "@/db/schema";
import { requirePageContext } from "@/lib/auth/page-context";
import { STATUS_LABELS } from "@/components/jobs/status-badge";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const ctx = await requirePageContext();
  const overview = await getOverview({ companyId: ctx.companyId });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Overview</h1>
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <Stat label="Jobs" value={overview.totalJobs} />
        <Stat label="Open issues" value={overview.openIssues} />
        <Stat label="Contacts" value={overview.contacts} />
      </dl>
      <Card title="Jobs by status">
        <table className="w-full text-sm">
          <caption className="sr-only">Jobs by status</caption>
          <tbody>
            {JOB_STATUSES.map((status) => (
              <tr key={status} className="border-t border-slate-100 first:border-0">
                <th scope="row" className="py-2 text-left font-normal text-slate-600">
                  {STATUS_LABELS[status]}
                </th>
                <td className="py-2 text-right font-medium tabular-nums">{overview.jobsByStatus[status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
