ALTER TABLE "upload_session_files" ADD COLUMN "from_prefix" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "upload_session_files" ADD COLUMN "issue_rows" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "upload_session_files" AS "file" SET "issue_rows" = (
  SELECT count(DISTINCT "item"."staging_id") FROM "issue_items" AS "item" WHERE "item"."job_id" = "file"."job_id"
) WHERE "file"."job_id" IS NOT NULL AND "file"."status" IN ('COMPLETED', 'NEEDS_REVIEW');
