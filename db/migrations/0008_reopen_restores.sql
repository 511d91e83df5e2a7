ALTER TABLE "issue_items" ADD COLUMN "decided_from" "staging_status";--> statement-breakpoint
ALTER TABLE "issue_items" ADD COLUMN "decided_to" "staging_status";