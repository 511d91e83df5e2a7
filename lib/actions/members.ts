"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { newPasswordSchema } from "@/lib/auth/account-rules";
import { acceptInvitationWithPassword } from "@/lib/auth/invitations";
import { signIn } from "@/lib/auth/nextauth";
import { DomainError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { withRequestScope } from "@/lib/request-scope";

export type AcceptInvitationState = { error: string | null; fieldErrors: Record<string, string[]> };

const acceptSchema = z
  .object({
    token: z.string().min(1).max(512),
    password: newPasswordSchema,
    confirmation: z.string(),
  })
  .refine((input) => input.password === input.confirmation, {
    path: ["confirmation"],
    message: "The two passwords differ; type the same one twice",
  });

/**
 * An invitation link's form: the person (signed out, so not an authedAction) chooses their password,
 * the link is spent, and they are signed in to the company that invited them.
 */
export async function acceptInvitationAction(
  _previous: AcceptInvitationState,
  formData: FormData,
): Promise<AcceptInvitationState> {
  const parsed = acceptSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.join(".") || "form"] ??= []).push(issue.message);
    return { error: "Some fields need attention", fieldErrors };
  }
  const { token, password } = parsed.data;
  let email: string;
  try {
    ({ email } = await withRequestScope(crypto.randomUUID(), () => acceptInvitationWithPassword({ token, password })));
  } catch (error) {
    if (error instanceof DomainError) return { error: error.message, fieldErrors: {} };
    logger().error({ err: error }, "accepting an invitation failed");
    return { error: "Something went wrong on our side; try again", fieldErrors: {} };
  }
  try {
    await signIn("credentials", { email, password, redirectTo: "/" });
  } catch (error) {
    // The password is set either way: a sign-in that fails here is left to the sign-in page.
    if (error instanceof AuthError) redirect(`/sign-in?callbackUrl=${encodeURIComponent("/")}`);
    throw error;
  }
  return { error: null, fieldErrors: {} };
}
