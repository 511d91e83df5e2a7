"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { signOutEverywhereAction, type AccountActionState } from "@/lib/actions/account";
import { FormAlert } from "@/components/ui/form-alert";

/** Ends every session and token of the account, after saying what that means. */
export function SignOutEverywhere() {
  const [state, formAction, pending] = useActionState<AccountActionState, FormData>(signOutEverywhereAction, null);
  const [confirming, setConfirming] = useState(false);
  return (
    <section aria-labelledby="sign-out-everywhere-title" className="space-y-3">
      <h3 id="sign-out-everywhere-title" className="text-base font-semibold text-slate-900">
        Sessions
      </h3>
      <p className="text-sm text-slate-600">
        Signs this account out of every browser and ends every access and refresh token issued to it, this browser
        included. Your password stays the same.
      </p>
      {confirming ? (
        <form action={formAction} className="flex flex-wrap items-center gap-3">
          <p className="text-sm font-medium text-slate-900">Sign out of every session now?</p>
          <Button type="submit" disabled={pending}>
            {pending ? "Signing out…" : "Yes, sign out everywhere"}
          </Button>
          <Button type="button" variant="secondary" onClick={() => setConfirming(false)} disabled={pending}>
            Keep my sessions
          </Button>
        </form>
      ) : (
        <Button type="button" variant="secondary" onClick={() => setConfirming(true)}>
          Sign out everywhere
        </Button>
      )}
      {state && !state.ok ? <FormAlert>{state.error}</FormAlert> : null}
    </section>
  );
}
