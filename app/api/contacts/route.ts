import { findContactByEmail, listContacts } from "@/db/queries/contacts";
import { requireCompanyJob } from "@/lib/ingest/company-job";
import { listContactsContract } from "@/lib/api/contracts/contacts";
import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { toContactJson } from "@/lib/api/json/contacts";

export const GET = route(listContactsContract, async ({ ctx, query }) => {
  if (query.email !== undefined) {
    const contact = await findContactByEmail({ companyId: ctx.companyId, email: query.email });
    if (!contact) throw new ApiError("NOT_FOUND", `No contact with email ${query.email}`);
    return { contacts: [toContactJson(contact)], total: 1, page: 1, page_size: query.page_size };
  }
  if (query.job_id !== undefined) await requireCompanyJob({ jobId: query.job_id, companyId: ctx.companyId });
  const { contacts, total } = await listContacts({
    companyId: ctx.companyId,
    jobId: query.job_id,
    search: query.q,
    page: query.page,
    pageSize: query.page_size,
  });
  return { contacts: contacts.map(toContactJson), total, page: query.page, page_size: query.page_size };
});
