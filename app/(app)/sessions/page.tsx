import type { Metadata } from "next";
import { CreateProjectForm } from "@/components/sessions/browse-forms";
import { ProjectsTable } from "@/components/sessions/browse-tables";
import { Card, Stat } from "@/components/ui/card";
import { hasGroup } from "@/lib/auth/groups";
import { requirePageContext } from "@/lib/auth/page-context";
import { listCompanyProjects } from "@/lib/sessions/projects";
import { companySessionStats } from "@/lib/sessions/stats";
import { BROWSE_PAGE, projectRow } from "@/app/(app)/sessions/load";

export const metadata: Metadata = { title: "Sessions" };

export default async function Page() {
  const ctx = await requirePageContext();
  const [{ projects }, stats] = await Promise.all([
    listCompanyProjects(ctx, BROWSE_PAGE),
    companySessionStats(ctx, {}),
  ]);
  const canEdit = hasGroup(ctx.groups, "editor");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Sessions</h1>
      <p className="text-sm text-slate-600">
        Projects hold cycles; a cycle holds upload sessions, each running many files in the background.
      </p>
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat label="Sessions" value={stats.sessions.total} />
        <Stat label="In progress" value={stats.sessions.in_progress} />
        <Stat label="Files" value={stats.files.total} />
        <Stat label="Rows landed" value={stats.rowsLanded} />
      </div>
      <Card title="Projects">
        <ProjectsTable projects={projects.map(projectRow)} canEdit={canEdit} />
      </Card>
      {canEdit ? (
        <Card>
          <CreateProjectForm />
        </Card>
      ) : null}
    </div>
  );
}
