import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { idParam, pageQuery, searchQuery } from "@/lib/api/contracts/shared";

export const contactSchema = z.object({
  contact_id: z.number().int(),
  staging_id: z.number().int().nullable().describe("The staging row it was last inserted or updated from"),
  contacts_user_id: z
    .string()
    .nullable()
    .describe("The member whose job inserted it; null when an API key's job did, or the member is gone"),
  contact_email: z.string(),
  contact_first_name: z.string().nullable(),
  contact_last_name: z.string().nullable(),
  contact_company: z.string().nullable(),
  contact_source_job_id: z.number().int().nullable().describe("The job that inserted it"),
  contact_last_job_id: z.number().int().nullable().describe("The job that last inserted or updated it"),
  contact_created_at: z.iso.datetime(),
  contact_updated_at: z.iso.datetime(),
});

export const contactListSchema = z.object({
  contacts: z.array(contactSchema),
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
});

export const listContactsContract = defineContract({
  method: "GET",
  path: "/api/contacts",
  summary: "The company's contacts, newest first; or, with ?email=, the one contact with that email",
  description:
    "With `email` the answer is a list of the one contact with that email (`total` 1; 404 when the company has none); " +
    "otherwise a page of contacts, narrowed by `job_id` (404 when it is not the company's job) and `q`.",
  tags: ["contacts"],
  auth: "required",
  query: z.object({
    email: z
      .string()
      .trim()
      .min(1)
      .max(320)
      .optional()
      .describe("Compared after trimming and lower-casing, as emails are stored"),
    job_id: idParam
      .optional()
      .describe("Only the contacts this job inserted or last changed (contact_source_job_id or contact_last_job_id)"),
    q: searchQuery.describe("Text found in the email, names or company (case-insensitive)"),
    ...pageQuery,
  }),
  response: contactListSchema,
  errors: ["NOT_FOUND"],
});
