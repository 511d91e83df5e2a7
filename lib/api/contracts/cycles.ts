import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { cascadeQuery, DELETE_WITH_SESSIONS } from "@/lib/api/contracts/projects";
import { idParam, pageQuery } from "@/lib/api/contracts/shared";
import { CYCLE_STATUSES } from "@/lib/sessions/status";

export const cycleSchema = z.object({
  id: z.number().int(),
  project_id: z.number().int(),
  name: z.string(),
  start_date: z.iso.date().nullable(),
  end_date: z.iso.date().nullable(),
  status: z.enum(CYCLE_STATUSES),
  session_count: z.number().int(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

const cycleFields = {
  name: z.string().trim().min(1, "must not be empty").max(200),
  start_date: z.iso.date().nullable().describe("YYYY-MM-DD"),
  end_date: z.iso.date().nullable().describe("YYYY-MM-DD, on or after start_date"),
  status: z.enum(CYCLE_STATUSES),
};
const cycleParams = z.object({ id: idParam });

export const listCyclesContract = defineContract({
  method: "GET",
  path: "/api/cycles",
  summary: "The company's cycles, latest start first",
  description: "`?project_id=` keeps one project's (404 when the company has no such project).",
  tags: ["sessions"],
  auth: "required",
  query: z.object({ project_id: idParam.optional(), ...pageQuery }),
  response: z.object({
    cycles: z.array(cycleSchema),
    total: z.number().int(),
    page: z.number().int(),
    page_size: z.number().int(),
  }),
  errors: ["NOT_FOUND"],
});

export const getCycleContract = defineContract({
  method: "GET",
  path: "/api/cycles/{id}",
  summary: "One cycle",
  tags: ["sessions"],
  auth: "required",
  params: cycleParams,
  response: cycleSchema,
  errors: ["NOT_FOUND"],
});

export const createCycleContract = defineContract({
  method: "POST",
  path: "/api/cycles",
  summary: "Creates a cycle of a project",
  description: "404 when the company has no such project; 409 when the project has a cycle of that name.",
  tags: ["sessions"],
  auth: "required",
  group: "editor",
  body: z.strictObject({
    project_id: idParam,
    name: cycleFields.name,
    start_date: cycleFields.start_date.optional(),
    end_date: cycleFields.end_date.optional(),
    status: cycleFields.status.default("active"),
  }),
  response: cycleSchema,
  status: 201,
  errors: ["NOT_FOUND", "CONFLICT"],
});

export const updateCycleContract = defineContract({
  method: "PUT",
  path: "/api/cycles/{id}",
  summary: "Changes a cycle's name, dates or status",
  description: "The end date stays on or after the start date; 409 when the project has another cycle of that name.",
  tags: ["sessions"],
  auth: "required",
  group: "editor",
  params: cycleParams,
  body: z
    .strictObject({
      name: cycleFields.name.optional(),
      start_date: cycleFields.start_date.optional(),
      end_date: cycleFields.end_date.optional(),
      status: cycleFields.status.optional(),
    })
    .refine((body) => Object.values(body).some((value) => value !== undefined), {
      message: "Send at least one of name, start_date, end_date, status",
    }),
  response: cycleSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
});

export const deleteCycleContract = defineContract({
  method: "DELETE",
  path: "/api/cycles/{id}",
  summary: "Deletes a cycle",
  description: DELETE_WITH_SESSIONS,
  tags: ["sessions"],
  auth: "required",
  group: "editor",
  params: cycleParams,
  query: cascadeQuery,
  response: cycleSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
});
