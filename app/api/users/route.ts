import { route } from "@/lib/api/route";
import { createUserContract, listUsersContract } from "@/lib/api/contracts/users";
import { toCreatedUserJson, toUserJson } from "@/lib/api/json/users";
import { addMember, listMembers } from "@/lib/tenancy/members";

export const GET = route(listUsersContract, async ({ ctx, query }) => {
  const { members, total } = await listMembers(ctx, { page: query.page, pageSize: query.page_size });
  return { users: members.map(toUserJson), total, page: query.page, page_size: query.page_size };
});

export const POST = route(createUserContract, async ({ ctx, body, log }) => {
  const { password, invite, ...member } = body;
  const added = await addMember(ctx, {
    ...member,
    credential: password === undefined ? { invite: invite ?? true } : { password },
  });
  log.info({ member_user_id: added.member.userId, invited: added.invitation !== null }, "member added");
  return toCreatedUserJson(added);
});
