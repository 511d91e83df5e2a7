import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { JobDetailView } from "@/components/jobs/job-detail";
import { hasGroup } from "@/lib/auth/groups";
import { requirePageContext } from "@/lib/auth/page-context";
import { loadJobDetail } from "./load-job";

export const metadata: Metadata = { title: "Job" };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requirePageContext();
  const job = await loadJobDetail({ companyId: ctx.companyId, id: (await params).id });
  if (!job) notFound();
  return (
    <JobDetailView
      key={`${ctx.companyId}:${job.job_id}`}
      companyId={ctx.companyId}
      initialJob={job}
      permissions={{
        canReprocess: hasGroup(ctx.groups, "uploader"),
        canDelete: hasGroup(ctx.groups, "editor"),
        canCancel: hasGroup(ctx.groups, "editor"),
        canRevert: hasGroup(ctx.groups, "editor"),
      }}
    />
  );
}
