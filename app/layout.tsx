import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Intake", template: "%s · Intake" },
  description: "Contact-data ingestion: upload, check, review and land clean contacts.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Next puts the Content-Security-Policy nonce (proxy.ts) on its scripts only when a page is rendered per
  // request; a page prerendered at build time would carry scripts the policy blocks.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
