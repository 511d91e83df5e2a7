ALTER TABLE "upload_sessions" DROP COLUMN "concurrency";--> statement-breakpoint
ALTER TABLE "upload_sessions" DROP COLUMN "total_rows";--> statement-breakpoint
ALTER TABLE "upload_sessions" DROP COLUMN "processed_rows";