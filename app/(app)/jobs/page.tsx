import type { Metadata } from "next";
import { JobsTable } from "@/components/jobs/jobs-table";
import { UploadDropzone } from "@/components/jobs/upload-dropzone";
import { Card } from "@/components/ui/card";
import { hasGroup } from "@/lib/auth/groups";
import { requirePageContext } from "@/lib/auth/page-context";

export const metadata: Metadata = { title: "Jobs" };

export default async function JobsPage() {
  const ctx = await requirePageContext();
  const canUpload = hasGroup(ctx.groups, "uploader");
  const canDelete = hasGroup(ctx.groups, "editor");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Jobs</h1>
        <p className="mt-1 text-sm text-slate-600">
          Each uploaded contact file becomes a job: its rows are checked, problems wait for review, and clean contacts
          are imported.
        </p>
      </div>
      <Card title="Upload contact files">
        {canUpload ? (
          <UploadDropzone companyId={ctx.companyId} />
        ) : (
          <p className="text-sm text-slate-600">
            Uploading files needs the <span className="font-medium text-slate-900">uploader</span> group in{" "}
            {ctx.companyName}. Ask an administrator if you need it; you can follow every job below.
          </p>
        )}
      </Card>
      <Card title="Job history">
        <JobsTable companyId={ctx.companyId} canReprocess={canUpload} canDelete={canDelete} canCancel={canDelete} />
      </Card>
    </div>
  );
}
