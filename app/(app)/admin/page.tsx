import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TenantsAdmin } from "@/components/admin/tenants-admin";
import { Card } from "@/components/ui/card";
import { requirePageContext } from "@/lib/auth/page-context";

export const metadata: Metadata = { title: "Admin" };

/** Platform administration; anyone who is not a platform admin is told there is no such page. */
export default async function Page() {
  const ctx = await requirePageContext();
  if (!ctx.user?.isPlatformAdmin) notFound();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Admin</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every company on this Intake. A suspended company&apos;s members and API keys are refused until it is
          reactivated; deleting one removes everything it owns, in the background.
        </p>
      </div>
      <Card title="Tenants">
        <TenantsAdmin />
      </Card>
    </div>
  );
}
