import type { Metadata } from "next";
import Link from "next/link";
import { CreateSessionForm } from "@/components/sessions/browse-forms";
import { SessionsTable, StatusBadge } from "@/components/sessions/browse-tables";
import { Card } from "@/components/ui/card";
import { hasGroup } from "@/lib/auth/groups";
import { requirePageContext } from "@/lib/auth/page-context";
import { getCycle } from "@/lib/sessions/cycles";
import { getProject } from "@/lib/sessions/projects";
import { listCompanySessions } from "@/lib/sessions/sessions";
import { cycleStatusName } from "@/lib/sessions/status";
import { BROWSE_PAGE, orNotFound, sessionRow } from "@/app/(app)/sessions/load";

export const metadata: Metadata = { title: "Cycle" };

export default async function CyclePage({ params }: { params: Promise<{ cycleId: string }> }) {
  const ctx = await requirePageContext();
  const cycle = await orNotFound((await params).cycleId, (id) => getCycle(ctx, id));
  const [project, { sessions }] = await Promise.all([
    getProject(ctx, cycle.projectId),
    listCompanySessions(ctx, { cycleId: cycle.id, ...BROWSE_PAGE }),
  ]);
  const canCreate = hasGroup(ctx.groups, "uploader");
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link href="/sessions" className="hover:underline">
          Sessions
        </Link>{" "}
        /{" "}
        <Link href={`/sessions/projects/${project.id}`} className="hover:underline">
          {project.name}
        </Link>{" "}
        / {cycle.name}
      </nav>
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{cycle.name}</h1>
        <StatusBadge status={cycleStatusName(cycle.status)} />
      </div>
      <Card title="Sessions">
        <SessionsTable sessions={sessions.map(sessionRow)} canEdit={canCreate} />
      </Card>
      {canCreate ? (
        <Card>
          <CreateSessionForm cycleId={cycle.id} />
        </Card>
      ) : null}
    </div>
  );
}
