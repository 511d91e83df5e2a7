"use client";

import { useActionState } from "react";
import { Field, fieldErrors, Outcome } from "@/components/settings/account-forms";
import { Button } from "@/components/ui/button";
import { renameCompanyAction } from "@/lib/actions/company";
import { MAX_COMPANY_NAME_LENGTH } from "@/lib/tenancy/company-rules";

type CompanySummary = { name: string; slug: string; memberCount: number };

export function CompanySettings({ company, canRename }: { company: CompanySummary; canRename: boolean }) {
  return (
    <div className="grid gap-10 md:grid-cols-2">
      <dl className="space-y-3 text-sm">
        <div>
          <dt className="font-medium text-slate-500">Name</dt>
          <dd className="text-slate-900">{company.name}</dd>
        </div>
        <div>
          <dt className="font-medium text-slate-500">Slug</dt>
          <dd className="font-mono text-slate-900">{company.slug}</dd>
        </div>
        <div>
          <dt className="font-medium text-slate-500">Members</dt>
          <dd className="text-slate-900">{company.memberCount.toLocaleString("en")}</dd>
        </div>
      </dl>
      {canRename ? (
        <RenameCompanyForm name={company.name} />
      ) : (
        <p className="text-sm text-slate-600">Only the company&apos;s admins can rename it.</p>
      )}
    </div>
  );
}

function RenameCompanyForm({ name }: { name: string }) {
  const [state, formAction, pending] = useActionState(renameCompanyAction, null);
  return (
    <form action={formAction} aria-labelledby="company-name-form-title" className="space-y-4" noValidate>
      <h3 id="company-name-form-title" className="text-base font-semibold text-slate-900">
        Rename the company
      </h3>
      <Field
        label="Company name"
        name="name"
        defaultValue={name}
        required
        maxLength={MAX_COMPANY_NAME_LENGTH}
        hint="The slug stays as it is, so links and stored files keep working."
        errors={fieldErrors(state, "name")}
      />
      <Outcome state={state} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save company name"}
      </Button>
    </form>
  );
}
