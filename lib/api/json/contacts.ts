import type { z } from "zod";
import type { ContactView } from "@/db/queries/contacts";
import type { contactSchema } from "@/lib/api/contracts/contacts";

export function toContactJson(contact: ContactView): z.input<typeof contactSchema> {
  return {
    contact_id: contact.id,
    staging_id: contact.stagingId,
    contacts_user_id: contact.ownerUserId,
    contact_email: contact.email,
    contact_first_name: contact.firstName,
    contact_last_name: contact.lastName,
    contact_company: contact.company,
    contact_source_job_id: contact.sourceJobId,
    contact_last_job_id: contact.lastJobId,
    contact_created_at: contact.createdAt.toISOString(),
    contact_updated_at: contact.updatedAt.toISOString(),
  };
}
