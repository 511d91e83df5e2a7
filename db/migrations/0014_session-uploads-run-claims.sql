ALTER TYPE "public"."session_file_status" ADD VALUE 'UPLOADING' BEFORE 'ATTACHED';--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "processing_run_id" text;