import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { GROUPS } from "@/lib/auth/groups";
import { companyNameSchema } from "@/lib/tenancy/company-rules";

export const companySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string().describe("Fixed when the company is created; renaming keeps it"),
  is_active: z.boolean(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  groups: z.array(z.enum(GROUPS)).describe("The caller's groups in this company"),
});

export const companyDetailSchema = companySchema.extend({ member_count: z.number().int().min(0) });

const companyParams = z.object({ id: z.uuid() });

export const listCompaniesContract = defineContract({
  method: "GET",
  path: "/api/companies",
  summary: "The caller's companies, with their groups in each",
  description: "A person gets every active company they are a member of; an API key gets its own company.",
  tags: ["companies"],
  auth: "required",
  response: z.array(companySchema),
});

export const getCompanyContract = defineContract({
  method: "GET",
  path: "/api/companies/{id}",
  summary: "A company the caller is a member of, with its member count",
  description: "Any company the caller belongs to, not only the one they act in; 404 for every other company.",
  tags: ["companies"],
  auth: "required",
  params: companyParams,
  response: companyDetailSchema,
  errors: ["NOT_FOUND"],
});

export const updateCompanyContract = defineContract({
  method: "PUT",
  path: "/api/companies/{id}",
  summary: "Rename a company (its admins only); the slug stays",
  description:
    "The caller must be an admin of that company (403 otherwise), which need not be the one they act in; " +
    "404 for a company they are not a member of.",
  tags: ["companies"],
  auth: "required",
  params: companyParams,
  body: z.object({ name: companyNameSchema }),
  response: companyDetailSchema,
  errors: ["NOT_FOUND", "FORBIDDEN"],
});
