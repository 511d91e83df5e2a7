import { route } from "@/lib/api/route";
import { contactsExportContract } from "@/lib/api/contracts/files";
import { CONTACT_EXPORT_COLUMNS, contactExportBatches } from "@/lib/contacts/export";
import { csvResponse } from "@/lib/csv-export";

export const GET = route(contactsExportContract, ({ ctx, query, log }) => {
  const day = new Date().toISOString().slice(0, 10);
  return csvResponse({
    fileName: `contacts-${ctx.companySlug}-${day}.csv`,
    header: CONTACT_EXPORT_COLUMNS,
    batches: contactExportBatches({ companyId: ctx.companyId, q: query.q }),
    onError: (error) => log.error({ err: error }, "contacts export broke off while streaming"),
  });
});
