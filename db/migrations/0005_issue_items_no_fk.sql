ALTER TABLE "issue_items" DROP CONSTRAINT "issue_items_issue_id_issues_id_fk";
--> statement-breakpoint
ALTER TABLE "issue_items" DROP CONSTRAINT "issue_items_staging_id_staging_rows_id_fk";
--> statement-breakpoint
ALTER TABLE "issue_items" DROP CONSTRAINT "issue_items_job_id_jobs_id_fk";
