import type { Metadata } from "next";
import Link from "next/link";
import { SessionRun } from "@/components/sessions/session-run";
import { sessionJson } from "@/lib/api/json/sessions";
import { hasGroup } from "@/lib/auth/groups";
import { requirePageContext } from "@/lib/auth/page-context";
import { getCycle } from "@/lib/sessions/cycles";
import { getSession } from "@/lib/sessions/sessions";
import { orNotFound } from "@/app/(app)/sessions/load";

export const metadata: Metadata = { title: "Upload session" };

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requirePageContext();
  const session = await orNotFound((await params).id, (id) => getSession(ctx, id));
  const cycle = await getCycle(ctx, session.cycleId);
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link href="/sessions" className="hover:underline">
          Sessions
        </Link>{" "}
        /{" "}
        <Link href={`/sessions/cycles/${cycle.id}`} className="hover:underline">
          {cycle.name}
        </Link>{" "}
        / {session.name}
      </nav>
      <h1 className="text-2xl font-semibold tracking-tight">{session.name}</h1>
      <SessionRun
        companyId={ctx.companyId}
        initial={sessionJson(session)}
        canUpload={hasGroup(ctx.groups, "uploader")}
      />
    </div>
  );
}
