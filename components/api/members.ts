import type { z } from "zod";
import { apiFetch, queryString } from "@/components/api/request";
import type {
  createUserContract,
  createdUserSchema,
  listUsersContract,
  updateUserContract,
  userSchema,
} from "@/lib/api/contracts/users";

// Types only: the contracts (and the database schema they use) never reach the browser bundle.
export type Member = z.output<typeof userSchema>;
export type AddedMember = z.output<typeof createdUserSchema>;
export type NewMemberRequest = z.input<(typeof createUserContract)["body"]>;
export type MemberUpdateRequest = z.input<(typeof updateUserContract)["body"]>;
type MemberPage = z.output<(typeof listUsersContract)["response"]>;

export const membersQueryKey = ["members"] as const;

/** The Settings list shows every member on one page: the API's largest page. */
export const MEMBERS_PAGE_SIZE = 200;

export function fetchMembers(): Promise<MemberPage> {
  return apiFetch<MemberPage>(`/api/users${queryString({ page_size: MEMBERS_PAGE_SIZE })}`);
}

export function addMember(request: NewMemberRequest): Promise<AddedMember> {
  return apiFetch<AddedMember>("/api/users", { method: "POST", json: request });
}

export function updateMember(id: string, request: MemberUpdateRequest): Promise<Member> {
  return apiFetch<Member>(`/api/users/${encodeURIComponent(id)}`, { method: "PUT", json: request });
}

export function removeMember(id: string): Promise<Member> {
  return apiFetch<Member>(`/api/users/${encodeURIComponent(id)}`, { method: "DELETE" });
}
