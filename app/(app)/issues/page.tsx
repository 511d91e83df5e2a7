import type { Metadata } from "next";
import { IssuesTable } from "@/components/issues/issues-table";
import { requirePageContext } from "@/lib/auth/page-context";

export const metadata: Metadata = { title: "Issues" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? null;

export default async function IssuesPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await requirePageContext();
  const params = await searchParams;
  const jobId = Number(first(params.job_id));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Issues</h1>
        <p className="mt-1 text-sm text-slate-600">
          Rows that could not be imported as they are: duplicate, invalid or missing emails, and conflicts with existing contacts. Open a
          job&apos;s review to fix them.
        </p>
      </div>
      <IssuesTable
        key={ctx.companyId}
        companyId={ctx.companyId}
        initial={{
          jobId: Number.isSafeInteger(jobId) && jobId > 0 ? jobId : null,
          type: first(params.type),
          resolved: first(params.resolved),
        }}
      />
    </div>
  );
}
