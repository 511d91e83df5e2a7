ALTER TYPE "public"."issue_type" ADD VALUE 'MALFORMED_ROW';--> statement-breakpoint
ALTER TYPE "public"."issue_type" ADD VALUE 'VALUE_TOO_LONG';--> statement-breakpoint
ALTER TYPE "public"."job_status" ADD VALUE 'CANCELLED';--> statement-breakpoint
ALTER TYPE "public"."row_check" ADD VALUE 'MALFORMED_ROW';--> statement-breakpoint
ALTER TYPE "public"."row_check" ADD VALUE 'VALUE_TOO_LONG';--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "malformed_rows" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "blank_rows" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "staging_rows" ADD COLUMN "check_detail" text;--> statement-breakpoint
ALTER TABLE "staging_rows" ADD COLUMN "raw_text" text;