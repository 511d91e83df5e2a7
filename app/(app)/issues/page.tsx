import type { Metadata } from "next";
import { NotBuiltYetPage } from "@/components/ui/not-built";

export const metadata: Metadata = { title: "Issues" };

export default function Page() {
  return <NotBuiltYetPage title="Issues" detail="The review queue for duplicate, invalid and conflicting rows" />;
}
