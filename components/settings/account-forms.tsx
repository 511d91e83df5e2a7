"use client";

import { useActionState, useId, type InputHTMLAttributes } from "react";
import { changePasswordAction, renameAction, type AccountActionState } from "@/lib/actions/account";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/account-rules";
import { FormAlert } from "@/components/ui/form-alert";

type FieldProps = { label: string; name: string; errors: string[] | undefined; hint?: string } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "name"
>;

export function Field({ label, name, errors, hint, ...input }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [errors ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <Input
        id={id}
        name={name}
        aria-invalid={errors ? true : undefined}
        aria-describedby={describedBy}
        className="mt-1"
        {...input}
      />
      {hint ? (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors ? (
        <p id={errorId} className="mt-1 text-sm text-red-600">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

export function Outcome({ state }: { state: AccountActionState }) {
  if (!state) return null;
  if (state.ok) {
    return (
      <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
        {state.data.message}
      </p>
    );
  }
  // Field problems are shown beside their fields; the summary names the rest.
  return <FormAlert>{state.error}</FormAlert>;
}

export const fieldErrors = (state: AccountActionState, name: string) =>
  state && !state.ok ? state.fieldErrors?.[name] : undefined;

export function NameForm({ name }: { name: string }) {
  const [state, formAction, pending] = useActionState(renameAction, null);
  return (
    <form action={formAction} aria-labelledby="name-form-title" className="space-y-4" noValidate>
      <h3 id="name-form-title" className="text-base font-semibold text-slate-900">
        Name
      </h3>
      <Field
        label="Your name"
        name="name"
        autoComplete="name"
        defaultValue={name}
        errors={fieldErrors(state, "name")}
      />
      <Outcome state={state} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save name"}
      </Button>
    </form>
  );
}

export function PasswordForm({ email }: { email: string }) {
  const [state, formAction, pending] = useActionState(changePasswordAction, null);
  return (
    <form action={formAction} aria-labelledby="password-form-title" className="space-y-4" noValidate>
      <h3 id="password-form-title" className="text-base font-semibold text-slate-900">
        Password
      </h3>
      {/* Lets password managers file the new password under the right account. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field
        label="Current password"
        name="current_password"
        type="password"
        autoComplete="current-password"
        required
        errors={fieldErrors(state, "current_password")}
      />
      <Field
        label="New password"
        name="new_password"
        type="password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters, not the current password. Your other sessions will be signed out.`}
        errors={fieldErrors(state, "new_password")}
      />
      <Field
        label="Confirm new password"
        name="confirm_password"
        type="password"
        autoComplete="new-password"
        required
        errors={fieldErrors(state, "confirm_password")}
      />
      <Outcome state={state} />
      <Button type="submit" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
