import { Card } from "@/components/ui/card";

/** An honest placeholder for a section whose feature has not been built yet. */
export function NotBuiltYet({ feature, detail }: { feature: string; detail: string }) {
  return (
    <Card>
      <p className="text-sm font-semibold text-slate-900">{feature} is not built yet.</p>
      <p className="mt-1 text-sm text-slate-600">{detail}</p>
    </Card>
  );
}
