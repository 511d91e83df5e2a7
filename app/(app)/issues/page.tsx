import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built";
import { requirePageContext } from "@/lib/auth/page-context";

export const metadata: Metadata = { title: "Issues" };

export default async function IssuesPage() {
  await requirePageContext();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Issues</h1>
      <NotBuiltYet feature="Issues" detail="The review queue for duplicate, invalid and conflicting rows will appear here." />
    </div>
  );
}
