CREATE TYPE "public"."cycle_status" AS ENUM('PLANNED', 'ACTIVE', 'CLOSED');--> statement-breakpoint
CREATE TYPE "public"."session_file_status" AS ENUM('ATTACHED', 'RUNNING', 'COMPLETED', 'NEEDS_REVIEW', 'REFUSED', 'FAILED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."webhook_delivery_status" AS ENUM('PENDING', 'SUCCEEDED', 'FAILED');--> statement-breakpoint
CREATE TABLE "upload_session_files" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "upload_session_files_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" uuid NOT NULL,
	"session_id" bigint NOT NULL,
	"storage_key" text NOT NULL,
	"file_name" text NOT NULL,
	"size_bytes" bigint,
	"status" "session_file_status" DEFAULT 'ATTACHED' NOT NULL,
	"reason" text,
	"job_id" bigint,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" uuid NOT NULL,
	"webhook_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" "webhook_delivery_status" DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"url" text NOT NULL,
	"events" text[] NOT NULL,
	"description" text,
	"secret_ciphertext" text NOT NULL,
	"secret_prefix" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "upload_sessions" DROP CONSTRAINT "upload_sessions_cycle_id_cycles_id_fk";
--> statement-breakpoint
-- No code ever made a session without a cycle (there was no session API): none is lost here.
DELETE FROM "upload_sessions" WHERE "cycle_id" IS NULL;--> statement-breakpoint
ALTER TABLE "upload_sessions" ALTER COLUMN "cycle_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "cycles" ADD COLUMN "status" "cycle_status" DEFAULT 'ACTIVE' NOT NULL;--> statement-breakpoint
ALTER TABLE "upload_sessions" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "upload_sessions" ADD COLUMN "import_mode" "import_mode" DEFAULT 'upsert' NOT NULL;--> statement-breakpoint
ALTER TABLE "upload_sessions" ADD COLUMN "needs_review_files" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "upload_sessions" ADD COLUMN "refused_files" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "upload_sessions" ADD COLUMN "cancelled_files" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "upload_sessions" ADD COLUMN "rows_staged" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "upload_sessions" ADD COLUMN "rows_landed" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "upload_sessions" ADD COLUMN "rows_with_issues" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "upload_sessions" ADD COLUMN "bytes" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "upload_sessions" ADD COLUMN "failure_reason" text;--> statement-breakpoint
ALTER TABLE "upload_sessions" ADD COLUMN "cancel_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "upload_session_files" ADD CONSTRAINT "upload_session_files_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upload_session_files" ADD CONSTRAINT "upload_session_files_session_id_upload_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."upload_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upload_session_files" ADD CONSTRAINT "upload_session_files_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "upload_session_files_session_key" ON "upload_session_files" USING btree ("session_id","storage_key");--> statement-breakpoint
CREATE INDEX "upload_session_files_session_status_idx" ON "upload_session_files" USING btree ("session_id","status");--> statement-breakpoint
CREATE INDEX "upload_session_files_job_idx" ON "upload_session_files" USING btree ("job_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_webhook_event_key" ON "webhook_deliveries" USING btree ("webhook_id","event_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_webhook_created_idx" ON "webhook_deliveries" USING btree ("webhook_id","created_at");--> statement-breakpoint
CREATE INDEX "webhooks_company_idx" ON "webhooks" USING btree ("company_id");--> statement-breakpoint
ALTER TABLE "upload_sessions" ADD CONSTRAINT "upload_sessions_cycle_id_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."cycles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_upload_session_idx" ON "jobs" USING btree ("upload_session_id");--> statement-breakpoint
CREATE INDEX "upload_sessions_cycle_idx" ON "upload_sessions" USING btree ("cycle_id");