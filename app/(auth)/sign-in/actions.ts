"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn } from "@/lib/auth/nextauth";
import { headers } from "next/headers";
import { RATE_LIMITED_CODE, RateLimitedSignin } from "@/lib/auth/password-sign-in";
import { currentRefusal } from "@/lib/auth/sign-in-limits";
import { requestAddress } from "@/lib/limits/client-address";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

export type SignInState = { error: string | null; email: string };

const schema = z.object({
  email: z.email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password"),
  callbackUrl: z.string().optional(),
});

export async function signInWithPassword(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = schema.safeParse(Object.fromEntries(formData));
  const rawEmail = formData.get("email");
  const email = typeof rawEmail === "string" ? rawEmail : "";
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Check the form", email };
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeCallbackUrl(parsed.data.callbackUrl),
    });
  } catch (error) {
    if (error instanceof RateLimitedSignin) return { error: error.tryAgain, email };
    if (error instanceof AuthError) {
      const code = "code" in error ? String(error.code) : "";
      if (code === RATE_LIMITED_CODE) {
        const refused = await currentRefusal({ email, address: requestAddress(await headers()) });
        return { error: refused?.message ?? "Too many failed sign-ins; try again in a few minutes", email };
      }
      return {
        error:
          code === "no_company"
            ? "This account does not belong to any active company; ask an administrator to add you"
            : code === "company_suspended"
              ? "Your company is suspended by the platform administrators; you can sign in once it is reactivated"
              : error.type === "CredentialsSignin"
                ? "Wrong email or password"
                : "Sign-in failed; try again",
        email,
      };
    }
    throw error;
  }
  return { error: null, email };
}

export async function signInWithCognito(formData: FormData): Promise<void> {
  const callbackUrl = formData.get("callbackUrl");
  await signIn("cognito", { redirectTo: safeCallbackUrl(typeof callbackUrl === "string" ? callbackUrl : null) });
}
