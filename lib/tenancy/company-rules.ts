import { z } from "zod";

/** What a company's name may be; shared by the Settings form, the server action and the API. */

export const MAX_COMPANY_NAME_LENGTH = 100;

export const companyNameSchema = z
  .string()
  .trim()
  .min(1, "Enter the company's name")
  .max(MAX_COMPANY_NAME_LENGTH, `Use at most ${MAX_COMPANY_NAME_LENGTH} characters`);
