import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built";
import { requirePageContext } from "@/lib/auth/page-context";

export const metadata: Metadata = { title: "Contacts" };

export default async function ContactsPage() {
  await requirePageContext();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Contacts</h1>
      <NotBuiltYet feature="Contacts" detail="The searchable list of clean, de-duplicated contacts will appear here." />
    </div>
  );
}
