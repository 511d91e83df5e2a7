import { z } from "zod";

/** What a person may choose for their account; shared by the Settings form, the server action and the API. */

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters`);

export const accountNameSchema = z.string().trim().min(1, "Enter your name").max(100, "Use at most 100 characters");
