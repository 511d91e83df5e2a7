import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { pageQuery } from "@/lib/api/contracts/shared";
import { GROUPS } from "@/lib/auth/groups";
import { memberUpdateSchema, newMemberSchema } from "@/lib/tenancy/members-input";

const timestamp = z.iso.datetime();

export const userSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  groups: z.array(z.enum(GROUPS)).describe("The member's groups in this company"),
  is_active: z.boolean().describe("false: deactivated, signs in to nothing in this company"),
  created_at: timestamp.describe("When they joined this company"),
  last_sign_in_at: timestamp
    .nullable()
    .describe("Their latest API sign-in (login or token refresh) in this company; browser sign-ins are not recorded"),
  has_password: z.boolean().describe("false until an invited member sets one (or for single sign-on accounts)"),
  invitation: z
    .object({
      state: z.enum(["pending", "expired", "accepted"]),
      expires_at: timestamp,
      accepted_at: timestamp.nullable(),
    })
    .nullable()
    .describe("Their latest invitation to this company, if they were invited"),
});

export const createdUserSchema = userSchema.extend({
  existing_account: z
    .boolean()
    .describe("true: the email had an Intake account already; it joined as it is, its password unchanged"),
  invitation_url: z
    .string()
    .nullable()
    .describe("The one-time link to set a password, shown this once: pass it on to the person"),
  notice: z.string().describe("What happened, in words for the admin"),
});

const userParams = z.object({ id: z.string().trim().min(1).max(255) });

export const listUsersContract = defineContract({
  method: "GET",
  path: "/api/users",
  summary: "The company's members, by email",
  tags: ["users"],
  auth: "required",
  query: z.object(pageQuery),
  response: z.object({
    users: z.array(userSchema),
    total: z.number().int(),
    page: z.number().int(),
    page_size: z.number().int(),
  }),
});

export const getUserContract = defineContract({
  method: "GET",
  path: "/api/users/{id}",
  summary: "One member of the company",
  description: "404 for anyone who is not a member of the caller's company.",
  tags: ["users"],
  auth: "required",
  params: userParams,
  response: userSchema,
  errors: ["NOT_FOUND"],
});

export const createUserContract = defineContract({
  method: "POST",
  path: "/api/users",
  summary: "Adds a member: a new account with a password or an invitation, or an existing account as it is",
  description:
    "Send `password` (an initial one) or `invite: true` (a one-time link to set one, valid for INVITATION_TTL_DAYS, " +
    "returned once as `invitation_url`). An email that already has an Intake account (another company's member) " +
    "joins with these groups and keeps its password (`existing_account: true`). 409 when already a member.",
  tags: ["users"],
  auth: "required",
  group: "admin",
  body: newMemberSchema,
  response: createdUserSchema,
  status: 201,
  errors: ["CONFLICT"],
});

export const updateUserContract = defineContract({
  method: "PUT",
  path: "/api/users/{id}",
  summary: "Changes a member's name, groups or active state",
  description:
    "Deactivating (`active: false`) ends the member's sessions, access tokens and refresh tokens in this company at " +
    "their next use. 409 for a change that would leave the company without an active admin, and for the name of " +
    "someone who also belongs to other companies (only they change it).",
  tags: ["users"],
  auth: "required",
  group: "admin",
  params: userParams,
  body: memberUpdateSchema,
  response: userSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
});

export const deleteUserContract = defineContract({
  method: "DELETE",
  path: "/api/users/{id}",
  summary: "Removes a member from the company; their account stays",
  description:
    "Their access to this company ends at their next request; their refresh tokens there are revoked. 409 for the " +
    "company's last active admin.",
  tags: ["users"],
  auth: "required",
  group: "admin",
  params: userParams,
  response: userSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
});
