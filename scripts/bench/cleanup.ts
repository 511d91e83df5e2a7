import { sql } from "drizzle-orm";
import type { Database } from "@/db";

/** Removes a benchmark's company and everything its imports left, children first. */
export async function removeBenchCompany(db: Database, companyId: string): Promise<void> {
  await db.execute(sql`DELETE FROM issue_items WHERE job_id IN (SELECT id FROM jobs WHERE company_id = ${companyId})`);
  await db.execute(sql`DELETE FROM contact_changes WHERE company_id = ${companyId}`);
  await db.execute(sql`DELETE FROM jobs WHERE company_id = ${companyId}`);
  await db.execute(sql`DELETE FROM contacts WHERE company_id = ${companyId}`);
  await db.execute(sql`DELETE FROM staging_rows WHERE company_id = ${companyId}`);
  await db.execute(sql`DELETE FROM companies WHERE id = ${companyId}`);
}
