import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { MAX_PASSWORD_LENGTH, newPasswordSchema } from "@/lib/auth/account-rules";
import { GROUPS } from "@/lib/auth/groups";

const tokenPair = z.object({
  access_token: z.string().describe("Send as 'Authorization: Bearer <access_token>'"),
  refresh_token: z.string().describe("Single use: exchange at /api/auth/refresh for a new pair"),
  token_type: z.literal("bearer"),
  expires_in: z.number().int().describe("Seconds until the access token expires"),
});

const company = z.object({ id: z.uuid(), name: z.string(), slug: z.string() });

export const loginContract = defineContract({
  method: "POST",
  path: "/api/auth/login",
  summary: "Exchange email and password for an access token and a refresh token",
  description:
    "Send `email`, or `username` (seed 002's name for the same thing: the email). Both may be sent when they " +
    "are the same address; different ones are refused with 400.",
  tags: ["auth"],
  auth: "public",
  body: z
    .object({
      email: z.email().max(320).optional(),
      username: z.email().max(320).optional().describe("The email, under the name seed 002's clients send"),
      password: z.string().min(1).max(1024),
      company_id: z.uuid().optional().describe("The company to act in, for people in several; their first otherwise"),
    })
    .superRefine((body, issues) => {
      if (body.email === undefined && body.username === undefined) {
        issues.addIssue({ code: "custom", path: ["email"], message: "Send email (or username) with the password" });
      } else if (body.email && body.username && body.email.toLowerCase() !== body.username.toLowerCase()) {
        issues.addIssue({
          code: "custom",
          path: ["username"],
          message: "email and username name different accounts; send one of them",
        });
      }
    })
    .transform(({ email, username, ...rest }) => ({ ...rest, email: (email ?? username) as string })),
  response: tokenPair,
  errors: ["AUTHENTICATION_FAILED", "FORBIDDEN", "RATE_LIMIT_EXCEEDED"],
});

export const refreshContract = defineContract({
  method: "POST",
  path: "/api/auth/refresh",
  summary: "Exchange a refresh token for a new pair; the old refresh token stops working",
  tags: ["auth"],
  auth: "public",
  body: z.object({ refresh_token: z.string().min(1).max(512) }),
  response: tokenPair,
  errors: ["AUTHENTICATION_FAILED", "RATE_LIMIT_EXCEEDED"],
});

export const meContract = defineContract({
  method: "GET",
  path: "/api/auth/me",
  summary: "The caller: who they are, their company and groups",
  tags: ["auth"],
  auth: "required",
  response: z.object({
    auth_method: z.enum(["session", "access_token", "api_key", "cognito"]),
    user: z
      .object({
        id: z.string(),
        email: z.string().nullable(),
        name: z.string().nullable(),
        is_platform_admin: z.boolean(),
      })
      .nullable(),
    api_key: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    company,
    groups: z.array(z.enum(GROUPS)),
    companies: z.array(company.extend({ groups: z.array(z.enum(GROUPS)) })),
  }),
});

export const changePasswordContract = defineContract({
  method: "POST",
  path: "/api/auth/password",
  summary: "Change the caller's own password; their other sessions and tokens stop working",
  description:
    "For people signed in (a session or an access token), not API keys. A caller with an access token gets a new " +
    "pair, since the old tokens stop working; a browser session stays signed in.",
  tags: ["auth"],
  auth: "required",
  body: z.object({
    current_password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
    new_password: newPasswordSchema,
  }),
  response: z.object({
    message: z.string(),
    tokens: tokenPair.nullable().describe("A fresh pair when the call was made with an access token; null otherwise"),
  }),
});
