import type { Metadata } from "next";
import { NotBuiltYetPage } from "@/components/ui/not-built";

export const metadata: Metadata = { title: "Settings" };

export default function Page() {
  return <NotBuiltYetPage title="Settings" detail="Members, groups and API keys for your company" />;
}
