import { z } from "zod";
import { newPasswordSchema } from "@/lib/auth/account-rules";
import { GROUPS } from "@/lib/auth/groups";

/** What an admin may send about a member; shared by the API's contracts and the Settings page's actions. */

export const memberNameSchema = z
  .string()
  .trim()
  .min(1, "Enter the member's name")
  .max(100, "Use at most 100 characters");

export const memberGroupsSchema = z
  .array(z.enum(GROUPS, { error: `Use the groups ${GROUPS.join(", ")}` }))
  .min(1, "Give the member at least one group")
  .max(GROUPS.length * 2);

export const newMemberSchema = z
  .object({
    email: z.email("Enter a valid email address").max(320),
    name: memberNameSchema,
    groups: memberGroupsSchema,
    password: newPasswordSchema.optional().describe("An initial password (the existing password rules apply)"),
    invite: z
      .literal(true)
      .optional()
      .describe("Instead of a password: a one-time link to set one, returned once as invitation_url"),
  })
  .superRefine((body, issues) => {
    if (body.password === undefined && body.invite === undefined) {
      issues.addIssue({ code: "custom", path: ["password"], message: "Send a password, or invite: true" });
    } else if (body.password !== undefined && body.invite !== undefined) {
      issues.addIssue({ code: "custom", path: ["invite"], message: "Send a password or invite: true, not both" });
    }
  });

export const memberUpdateSchema = z
  .object({
    name: memberNameSchema.optional(),
    groups: memberGroupsSchema.optional(),
    active: z.boolean().optional().describe("false deactivates the member: their access ends at their next request"),
    is_active: z.boolean().optional().describe("The same as active, under the name the responses use"),
  })
  .superRefine((body, issues) => {
    if (body.active !== undefined && body.is_active !== undefined && body.active !== body.is_active) {
      issues.addIssue({ code: "custom", path: ["is_active"], message: "active and is_active disagree; send one" });
    }
    if (
      body.name === undefined &&
      body.groups === undefined &&
      body.active === undefined &&
      body.is_active === undefined
    ) {
      issues.addIssue({ code: "custom", path: [], message: "Send at least one of name, groups, active" });
    }
  })
  .transform(({ is_active, active, ...rest }) => ({ ...rest, active: active ?? is_active }));
