import type { Metadata } from "next";
import { IssuesTable } from "@/components/issues/issues-table";
import { hasGroup } from "@/lib/auth/groups";
import { requirePageContext } from "@/lib/auth/page-context";
import { firstParam, idParamOf, type SearchParams } from "@/lib/page-params";

export const metadata: Metadata = { title: "Issues" };

export default async function IssuesPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await requirePageContext();
  const params = await searchParams;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Issues</h1>
        <p className="mt-1 text-sm text-slate-600">
          Rows that could not be imported as they are: duplicate, invalid or missing emails, conflicts with existing
          contacts, rows the file broke and values too long. Open a job&apos;s review to fix them, or select issues to
          skip their rows.
        </p>
      </div>
      <IssuesTable
        key={ctx.companyId}
        companyId={ctx.companyId}
        canEdit={hasGroup(ctx.groups, "editor")}
        initial={{
          jobId: idParamOf(firstParam(params.job_id)),
          type: firstParam(params.type),
          resolved: firstParam(params.resolved),
        }}
      />
    </div>
  );
}
