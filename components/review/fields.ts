import type { Contact } from "@/components/api/contacts";
import type { StagingField, StagingRow } from "@/components/api/issues";

type RowKey = "staging_email" | "staging_first_name" | "staging_last_name" | "staging_company";
type ContactKey = "contact_email" | "contact_first_name" | "contact_last_name" | "contact_company";

type FieldDefinition = { field: StagingField; label: string; rowKey: RowKey; contactKey: ContactKey };

export const FIELD_DEFINITIONS: Record<StagingField, FieldDefinition> = {
  email: { field: "email", label: "Email", rowKey: "staging_email", contactKey: "contact_email" },
  first_name: {
    field: "first_name",
    label: "First name",
    rowKey: "staging_first_name",
    contactKey: "contact_first_name",
  },
  last_name: { field: "last_name", label: "Last name", rowKey: "staging_last_name", contactKey: "contact_last_name" },
  company: { field: "company", label: "Company", rowKey: "staging_company", contactKey: "contact_company" },
};

/** The four fields a person can correct, in the order they are shown. */
export const FIELDS: readonly FieldDefinition[] = Object.values(FIELD_DEFINITIONS);

/** Compared as the server compares identities: ignoring case and surrounding space, empty equal to missing. */
const comparable = (value: string | null) => (value ?? "").trim().toLowerCase();

/**
 * The fields on which an issue's rows (and, for a conflict, the existing contact) do not all say the
 * same thing: those cells are highlighted so the difference is seen at a glance.
 */
export function differingFields(rows: readonly StagingRow[], contact: Contact | null): Set<StagingField> {
  const differing = new Set<StagingField>();
  for (const { field, rowKey, contactKey } of FIELDS) {
    const values = new Set(rows.map((row) => comparable(row[rowKey])));
    if (contact) values.add(comparable(contact[contactKey]));
    if (values.size > 1) differing.add(field);
  }
  return differing;
}
