import { route } from "@/lib/api/route";
import { deleteUserContract, getUserContract, updateUserContract } from "@/lib/api/contracts/users";
import { toUserJson } from "@/lib/api/json/users";
import { getMember, removeMember, updateMember } from "@/lib/tenancy/members";

export const GET = route(getUserContract, async ({ ctx, params }) => toUserJson(await getMember(ctx, params.id)));

export const PUT = route(updateUserContract, async ({ ctx, params, body, log }) => {
  const member = await updateMember(ctx, params.id, body);
  log.info({ member_user_id: member.userId }, "member updated");
  return toUserJson(member);
});

export const DELETE = route(deleteUserContract, async ({ ctx, params, log }) => {
  const member = await removeMember(ctx, params.id);
  log.info({ member_user_id: member.userId }, "member removed");
  return toUserJson(member);
});
