import type { Metadata } from "next";
import { NotBuiltYetPage } from "@/components/ui/not-built";

export const metadata: Metadata = { title: "Sessions" };

export default function Page() {
  return <NotBuiltYetPage title="Sessions" detail="Projects, cycles and upload sessions that group many files" />;
}
