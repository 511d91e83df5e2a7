"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { switchCompanyAction } from "@/lib/actions/company";
import type { ActionResult } from "@/lib/actions/authed-action";

type Company = { id: string; name: string };

export function CompanySwitcher({ companies, activeId }: { companies: Company[]; activeId: string }) {
  const [state, formAction, pending] = useActionState<ActionResult<{ companyName: string }> | null, FormData>(
    switchCompanyAction,
    null,
  );
  const router = useRouter();
  // The new company lives in the session cookie the action just set; re-render with it.
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  return (
    <form action={formAction} className="flex items-center gap-2">
      <label htmlFor="company-switcher" className="sr-only">
        Company
      </label>
      <select
        key={activeId}
        id="company-switcher"
        name="companyId"
        defaultValue={activeId}
        disabled={pending}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
        className="rounded-md border-0 py-1.5 pr-8 pl-2 text-sm ring-1 ring-slate-300 ring-inset"
      >
        {companies.map((company) => (
          <option key={company.id} value={company.id}>
            {company.name}
          </option>
        ))}
      </select>
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-600">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
