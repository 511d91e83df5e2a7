"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { acceptInvitationAction, type AcceptInvitationState } from "@/lib/actions/members";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/account-rules";
import { FormAlert } from "@/components/ui/form-alert";

export function AcceptInvitationForm({ token, email }: { token: string; email: string }) {
  const [state, formAction, pending] = useActionState<AcceptInvitationState, FormData>(acceptInvitationAction, {
    error: null,
    fieldErrors: {},
  });
  const passwordError = state.fieldErrors.password?.[0];
  const confirmationError = state.fieldErrors.confirmation?.[0];
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      {/* Lets password managers save the new password under the right account. */}
      <input type="email" name="username" value={email} autoComplete="username" readOnly hidden />
      <div>
        <label htmlFor="password" className="block text-sm font-medium text-slate-700">
          New password
        </label>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          aria-invalid={passwordError ? true : undefined}
          aria-describedby="password-rule"
          className="mt-1"
        />
        <p id="password-rule" className={`mt-1 text-xs ${passwordError ? "text-red-700" : "text-slate-500"}`}>
          {passwordError ?? `At least ${MIN_PASSWORD_LENGTH} characters`}
        </p>
      </div>
      <div>
        <label htmlFor="confirmation" className="block text-sm font-medium text-slate-700">
          Repeat the password
        </label>
        <Input
          id="confirmation"
          name="confirmation"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={confirmationError ? true : undefined}
          className="mt-1"
        />
        {confirmationError ? <p className="mt-1 text-xs text-red-700">{confirmationError}</p> : null}
      </div>
      {state.error ? <FormAlert>{state.error}</FormAlert> : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Setting your password…" : "Set password and sign in"}
      </Button>
    </form>
  );
}
