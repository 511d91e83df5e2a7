import type { Metadata } from "next";
import { NameForm, PasswordForm } from "@/components/settings/account-forms";
import { ApiKeysSection } from "@/components/settings/api-keys";
import { MembersSection } from "@/components/settings/members";
import { AuditLog } from "@/components/settings/audit-log";
import { SignOutEverywhere } from "@/components/settings/sign-out-everywhere";
import { Card } from "@/components/ui/card";
import { CompanySettings } from "@/components/settings/company-settings";
import { UsageSection } from "@/components/settings/usage";
import { WebhooksSection } from "@/components/settings/webhooks";
import { findUserById } from "@/db/queries/users";
import { hasGroup } from "@/lib/auth/groups";
import { getCallerCompany } from "@/lib/tenancy/companies";
import { requirePageContext } from "@/lib/auth/page-context";
import { readCompanyUsage } from "@/lib/usage/report";

export const metadata: Metadata = { title: "Settings" };

export default async function Page() {
  const ctx = await requirePageContext();
  const user = ctx.user ? await findUserById({ id: ctx.user.id }) : null;
  const company = await getCallerCompany(ctx, ctx.companyId);
  const usage = await readCompanyUsage(ctx, {});
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      {user ? (
        <Card title="Account">
          <p className="mb-6 text-sm text-slate-600">
            Signed in as <span className="font-medium text-slate-900">{user.email}</span>
          </p>
          <div className="grid gap-10 md:grid-cols-2">
            <NameForm name={user.name ?? ""} />
            {user.passwordHash ? (
              <PasswordForm email={user.email ?? ""} />
            ) : (
              <div>
                <h3 className="text-base font-semibold text-slate-900">Password</h3>
                <p className="mt-2 text-sm text-slate-600">
                  You sign in through your identity provider; this account has no password in Intake.
                </p>
              </div>
            )}
          </div>
          <div className="mt-10 border-t border-slate-200 pt-6">
            <SignOutEverywhere />
          </div>
        </Card>
      ) : null}
      <Card title="Company">
        <CompanySettings
          company={{ name: company.name, slug: company.slug, memberCount: company.memberCount }}
          canRename={hasGroup(company.groups, "admin")}
        />
      </Card>
      <Card title="Usage">
        <UsageSection usage={usage} />
      </Card>
      <Card title="API keys">
        {hasGroup(ctx.groups, "admin") ? (
          <ApiKeysSection />
        ) : (
          <p className="text-sm text-slate-600">Only the company&apos;s admins create and revoke API keys.</p>
        )}
      </Card>
      <Card title="Webhooks">
        {hasGroup(ctx.groups, "admin") ? (
          <WebhooksSection />
        ) : (
          <p className="text-sm text-slate-600">Only the company&apos;s admins manage webhooks.</p>
        )}
      </Card>
      <Card title="Audit log">
        {hasGroup(ctx.groups, "admin") ? (
          <AuditLog />
        ) : (
          <p className="text-sm text-slate-600">Only the company&apos;s admins can read its audit log.</p>
        )}
      </Card>
      <Card title="Members">
        <MembersSection canManage={hasGroup(ctx.groups, "admin")} currentUserId={ctx.user?.id ?? null} />
      </Card>
    </div>
  );
}
