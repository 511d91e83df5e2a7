import { Card } from "@/components/ui/card";
import { requirePageContext } from "@/lib/auth/page-context";

/** An honest note for a feature that has not been built yet. */
export function NotBuiltYetNote({ title, detail }: { title: string; detail: string }) {
  return (
    <Card>
      <p className="text-sm font-semibold text-slate-900">{title} is not built yet.</p>
      <p className="mt-1 text-sm text-slate-600">{detail} will appear here.</p>
    </Card>
  );
}

/** An honest page for a section whose feature has not been built yet. */
export async function NotBuiltYetPage({ title, detail }: { title: string; detail: string }) {
  await requirePageContext();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <NotBuiltYetNote title={title} detail={detail} />
    </div>
  );
}
