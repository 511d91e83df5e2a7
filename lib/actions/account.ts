"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction, type ActionResult } from "@/lib/actions/authed-action";
import { accountNameSchema, MAX_PASSWORD_LENGTH, newPasswordSchema } from "@/lib/auth/account-rules";
import { renameCallerAccount, signOutCallerEverywhere } from "@/lib/auth/account";
import { changeCallerPassword } from "@/lib/auth/caller-password";
import { signOut } from "@/lib/auth/nextauth";

export type AccountActionState = ActionResult<{ message: string }> | null;

const changePasswordSchema = z
  .object({
    current_password: z.string().min(1, "Enter your current password").max(MAX_PASSWORD_LENGTH),
    new_password: newPasswordSchema,
    confirm_password: z.string(),
  })
  .refine((input) => input.confirm_password === input.new_password, {
    path: ["confirm_password"],
    message: "Type the same new password twice",
  });

const changePassword = authedAction({ schema: changePasswordSchema }, async ({ input, ctx }) => {
  const { message } = await changeCallerPassword(
    ctx,
    { currentPassword: input.current_password, newPassword: input.new_password },
    { fieldPrefix: "" },
  );
  return { message };
});

export async function changePasswordAction(
  _previous: AccountActionState,
  formData: FormData,
): Promise<AccountActionState> {
  return changePassword(formData);
}

const rename = authedAction({ schema: z.object({ name: accountNameSchema }) }, async ({ input, ctx }) => {
  await renameCallerAccount(ctx, { name: input.name });
  revalidatePath("/", "layout");
  return { message: "Your name has been saved" };
});

export async function renameAction(_previous: AccountActionState, formData: FormData): Promise<AccountActionState> {
  return rename(formData);
}

const signOutEverywhereNow = authedAction({ schema: z.object({}) }, async ({ ctx }) => {
  await signOutCallerEverywhere(ctx);
  return { message: "Signed out everywhere" };
});

/** Ends every session and token of the caller's account, this browser's too, and opens the sign-in page. */
export async function signOutEverywhereAction(
  _previous: AccountActionState,
  formData: FormData,
): Promise<AccountActionState> {
  const result = await signOutEverywhereNow(formData);
  if (!result.ok) return result;
  await signOut({ redirectTo: "/sign-in" });
  return result;
}
