import "server-only";
import { listContactsForExport, type ExportedContact } from "@/db/queries/contacts-export";
import { keysetBatches, type CsvRow } from "@/lib/csv-export";

export const CONTACT_EXPORT_COLUMNS = [
  "email",
  "first_name",
  "last_name",
  "company",
  "source_job_id",
  "last_job_id",
  "created_at",
  "updated_at",
] as const;
const BATCH_ROWS = 2_000;

function toRow(contact: ExportedContact): CsvRow {
  return [
    contact.email,
    contact.firstName,
    contact.lastName,
    contact.company,
    contact.sourceJobId,
    contact.lastJobId,
    contact.createdAt.toISOString(),
    contact.updatedAt.toISOString(),
  ];
}

/** The company's contacts (those matching `q` when given) in email order, read a batch at a time as the file is sent. */
export async function* contactExportBatches({
  companyId,
  q,
  batchRows = BATCH_ROWS,
}: {
  companyId: string;
  q?: string;
  batchRows?: number;
}): AsyncGenerator<CsvRow[]> {
  for await (const contacts of keysetBatches({
    limit: batchRows,
    fetch: ({ after, limit }) => listContactsForExport({ companyId, q, afterEmail: after, limit }),
    keyOf: (contact: ExportedContact) => contact.email,
  })) {
    yield contacts.map(toRow);
  }
}
