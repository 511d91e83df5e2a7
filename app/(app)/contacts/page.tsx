import type { Metadata } from "next";
import { ContactsTable } from "@/components/contacts/contacts-table";
import { Card } from "@/components/ui/card";
import { requirePageContext } from "@/lib/auth/page-context";
import { firstParam, idParamOf, type SearchParams } from "@/lib/page-params";

export const metadata: Metadata = { title: "Contacts" };

export default async function ContactsPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await requirePageContext();
  const jobId = idParamOf(firstParam((await searchParams).job_id));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Contacts</h1>
        <p className="mt-1 text-sm text-slate-600">
          The clean, de-duplicated contacts of {ctx.companyName}: each one links to the job that brought it in and the
          job that last changed it.
        </p>
      </div>
      <Card>
        <ContactsTable key={`${ctx.companyId}:${jobId ?? ""}`} companyId={ctx.companyId} initialJobId={jobId} />
      </Card>
    </div>
  );
}
