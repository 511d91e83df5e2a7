import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { auth } from "@/lib/auth/nextauth";
import { Button } from "@/components/ui/button";
import { env } from "@/lib/env";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { signInWithCognito } from "./actions";
import { SignInForm } from "./sign-in-form";
import { FormAlert } from "@/components/ui/form-alert";

export const metadata: Metadata = { title: "Sign in" };

// Auth.js sends people back here with ?error=… when an outside provider fails.
const PROVIDER_ERRORS: Record<string, string> = {
  AccessDenied: "That account may not sign in to Intake",
  Configuration: "Sign-in is misconfigured on the server; tell an administrator",
  OAuthAccountNotLinked: "That email is already used by another sign-in method",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  const target = safeCallbackUrl(callbackUrl);
  if ((await auth())?.user) redirect(target);
  const providerError = error ? (PROVIDER_ERRORS[error] ?? "Sign-in failed; try again") : null;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-6">
        <div>
          <p className="text-2xl font-bold tracking-tight text-indigo-600">Intake</p>
          <h1 className="mt-2 text-xl font-semibold text-slate-900">Sign in to your company</h1>
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          {providerError ? <FormAlert className="mb-4">{providerError}</FormAlert> : null}
          <SignInForm callbackUrl={target} />
          {env().cognito ? (
            <form action={signInWithCognito} className="mt-4 border-t border-slate-200 pt-4">
              <input type="hidden" name="callbackUrl" value={target} />
              <Button type="submit" variant="secondary" className="w-full">
                Sign in with Cognito
              </Button>
            </form>
          ) : null}
        </div>
      </div>
    </main>
  );
}
