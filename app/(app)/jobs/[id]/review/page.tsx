import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ReviewWorkbench } from "@/components/review/review-workbench";
import { hasGroup } from "@/lib/auth/groups";
import { requirePageContext } from "@/lib/auth/page-context";
import { loadJobDetail } from "@/app/(app)/jobs/[id]/load-job";

export const metadata: Metadata = { title: "Review" };

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requirePageContext();
  const job = await loadJobDetail({ companyId: ctx.companyId, id: (await params).id });
  if (!job) notFound();
  const canEdit = hasGroup(ctx.groups, "editor");
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/jobs/${job.job_id}`} className="text-sm text-indigo-600 hover:underline">
          ← Job #{job.job_id}
        </Link>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight break-all">Review {job.filename}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {canEdit
            ? "Fix rows in place, keep one row of a duplicate, or skip an issue's rows; reopening an issue puts its rows back."
            : `Reviewing needs the editor group in ${ctx.companyName}; you can see every issue and its rows.`}
        </p>
      </div>
      <ReviewWorkbench
        key={`${ctx.companyId}:${job.job_id}`}
        companyId={ctx.companyId}
        initialJob={job}
        canEdit={canEdit}
      />
    </div>
  );
}
