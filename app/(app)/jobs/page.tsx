import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built";
import { requirePageContext } from "@/lib/auth/page-context";

export const metadata: Metadata = { title: "Jobs" };

export default async function JobsPage() {
  await requirePageContext();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Jobs</h1>
      <NotBuiltYet feature="Jobs" detail="Uploading contact files and following each job through parsing, checks and import will appear here." />
    </div>
  );
}
