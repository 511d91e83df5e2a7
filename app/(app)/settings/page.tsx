import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/ui/not-built";
import { requirePageContext } from "@/lib/auth/page-context";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requirePageContext();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <NotBuiltYet feature="Settings" detail="Members, groups and API keys for your company will appear here." />
    </div>
  );
}
