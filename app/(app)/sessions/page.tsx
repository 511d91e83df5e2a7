import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built";
import { requirePageContext } from "@/lib/auth/page-context";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage() {
  await requirePageContext();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Sessions</h1>
      <NotBuiltYet feature="Sessions" detail="Projects, cycles and upload sessions that group many files will appear here." />
    </div>
  );
}
