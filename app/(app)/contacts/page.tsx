import type { Metadata } from "next";
import { NotBuiltYetPage } from "@/components/ui/not-built";

export const metadata: Metadata = { title: "Contacts" };

export default function Page() {
  return <NotBuiltYetPage title="Contacts" detail="The searchable list of clean, de-duplicated contacts" />;
}
