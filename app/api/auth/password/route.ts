import { changeCallerPassword } from "@/lib/auth/caller-password";
import { changePasswordContract } from "@/lib/api/contracts/auth";
import { route } from "@/lib/api/route";

export const POST = route(changePasswordContract, ({ ctx, body }) =>
  changeCallerPassword(
    ctx,
    { currentPassword: body.current_password, newPassword: body.new_password },
    { fieldPrefix: "body." },
  ),
);
