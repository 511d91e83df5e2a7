import type { Metadata } from "next";
import Link from "next/link";
import { CreateCycleForm } from "@/components/sessions/browse-forms";
import { CyclesTable } from "@/components/sessions/browse-tables";
import { Card } from "@/components/ui/card";
import { hasGroup } from "@/lib/auth/groups";
import { requirePageContext } from "@/lib/auth/page-context";
import { listCompanyCycles } from "@/lib/sessions/cycles";
import { getProject } from "@/lib/sessions/projects";
import { BROWSE_PAGE, cycleRow, orNotFound } from "@/app/(app)/sessions/load";

export const metadata: Metadata = { title: "Project" };

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const ctx = await requirePageContext();
  const project = await orNotFound((await params).projectId, (id) => getProject(ctx, id));
  const { cycles } = await listCompanyCycles(ctx, { projectId: project.id, ...BROWSE_PAGE });
  const canEdit = hasGroup(ctx.groups, "editor");
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link href="/sessions" className="hover:underline">
          Sessions
        </Link>{" "}
        / {project.name}
      </nav>
      <h1 className="text-2xl font-semibold tracking-tight">{project.name}</h1>
      {project.description ? <p className="text-sm text-slate-600">{project.description}</p> : null}
      <Card title="Cycles">
        <CyclesTable cycles={cycles.map(cycleRow)} canEdit={canEdit} />
      </Card>
      {canEdit ? (
        <Card>
          <CreateCycleForm projectId={project.id} />
        </Card>
      ) : null}
    </div>
  );
}
