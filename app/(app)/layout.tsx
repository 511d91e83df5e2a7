import type { ReactNode } from "react";
import { CompanySwitcher } from "@/components/app-shell/company-switcher";
import { NavLinks } from "@/components/app-shell/nav-links";
import { Providers } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { listMemberships } from "@/db/queries/memberships";
import { requirePageContext } from "@/lib/auth/page-context";
import { signOutAction } from "@/lib/actions/company";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const ctx = await requirePageContext();
  const companies = ctx.user ? await listMemberships({ userId: ctx.user.id }) : [];
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-4 px-4 py-3">
          <div className="flex items-center gap-6">
            <span className="text-lg font-bold tracking-tight text-indigo-600">Intake</span>
            <NavLinks platformAdmin={ctx.user?.isPlatformAdmin ?? false} />
          </div>
          <div className="flex items-center gap-4">
            {companies.length > 1 ? (
              <CompanySwitcher
                companies={companies.map((c) => ({ id: c.companyId, name: c.companyName }))}
                activeId={ctx.companyId}
              />
            ) : (
              <span className="text-sm text-slate-600">{ctx.companyName}</span>
            )}
            <div className="text-right" data-testid="current-user">
              <p className="text-sm font-medium text-slate-900">{ctx.user?.name ?? ctx.user?.email}</p>
              <p className="text-xs text-slate-500">{ctx.groups.join(", ")}</p>
            </div>
            <form action={signOutAction}>
              <Button type="submit" variant="ghost">
                Sign out
              </Button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-8">
        <Providers>{children}</Providers>
      </main>
    </div>
  );
}
