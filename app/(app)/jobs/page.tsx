import type { Metadata } from "next";
import { NotBuiltYetPage } from "@/components/ui/not-built";

export const metadata: Metadata = { title: "Jobs" };

export default function Page() {
  return <NotBuiltYetPage title="Jobs" detail="Uploading contact files and following each job through parsing, checks and import" />;
}
