import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { booleanQuery, idParam, pageQuery } from "@/lib/api/contracts/shared";

export const projectSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  cycle_count: z.number().int(),
  session_count: z.number().int(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

const name = z.string().trim().min(1, "must not be empty").max(200);
const description = z.string().trim().max(2000).nullable();
const projectParams = z.object({ id: idParam });

/** What deleting a project or cycle does to its sessions. */
export const DELETE_WITH_SESSIONS =
  "409 naming how many sessions it has, unless every one is finished and `?cascade=true` is given, which deletes " +
  "them too (their jobs stay, no longer in a session).";

/** `?cascade=true` on deleting a project or cycle. */
export const cascadeQuery = z.object({
  cascade: booleanQuery
    .default(false)
    .describe("true: delete its sessions with it, when every one is finished (completed, failed or cancelled)"),
});

export const listProjectsContract = defineContract({
  method: "GET",
  path: "/api/projects",
  summary: "The company's projects, by name",
  tags: ["sessions"],
  auth: "required",
  query: z.object(pageQuery),
  response: z.object({
    projects: z.array(projectSchema),
    total: z.number().int(),
    page: z.number().int(),
    page_size: z.number().int(),
  }),
});

export const getProjectContract = defineContract({
  method: "GET",
  path: "/api/projects/{id}",
  summary: "One project",
  tags: ["sessions"],
  auth: "required",
  params: projectParams,
  response: projectSchema,
  errors: ["NOT_FOUND"],
});

export const createProjectContract = defineContract({
  method: "POST",
  path: "/api/projects",
  summary: "Creates a project: a group of cycles of upload sessions",
  description: "409 when the company has a project of that name.",
  tags: ["sessions"],
  auth: "required",
  group: "editor",
  body: z.strictObject({ name, description: description.optional() }),
  response: projectSchema,
  status: 201,
  errors: ["CONFLICT"],
});

export const updateProjectContract = defineContract({
  method: "PUT",
  path: "/api/projects/{id}",
  summary: "Renames a project or changes its description",
  description: "409 when the company has another project of that name.",
  tags: ["sessions"],
  auth: "required",
  group: "editor",
  params: projectParams,
  body: z
    .strictObject({ name: name.optional(), description: description.optional() })
    .refine((body) => body.name !== undefined || body.description !== undefined, {
      message: "Send name or description",
    }),
  response: projectSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
});

export const deleteProjectContract = defineContract({
  method: "DELETE",
  path: "/api/projects/{id}",
  summary: "Deletes a project and its cycles",
  description: DELETE_WITH_SESSIONS,
  tags: ["sessions"],
  auth: "required",
  group: "editor",
  params: projectParams,
  query: cascadeQuery,
  response: projectSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
});
