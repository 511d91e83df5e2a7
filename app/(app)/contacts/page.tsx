import type { Metadata } from "next";
import { ContactsTable } from "@/components/contacts/contacts-table";
import { Card } from "@/components/ui/card";
import { requirePageContext } from "@/lib/auth/page-context";

export const metadata: Metadata = { title: "Contacts" };

export default async function ContactsPage() {
  const ctx = await requirePageContext();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Contacts</h1>
        <p className="mt-1 text-sm text-slate-600">
          The clean, de-duplicated contacts of {ctx.companyName}: each one links to the job that brought it in and the job that last
          changed it.
        </p>
      </div>
      <Card>
        <ContactsTable key={ctx.companyId} companyId={ctx.companyId} />
      </Card>
    </div>
  );
}
