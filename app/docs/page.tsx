import type { Metadata } from "next";
import { ApiReference } from "@/app/docs/api-reference";

export const metadata: Metadata = { title: "API reference" };

/** The OpenAPI document, browsable: public like the document itself (GET /api/openapi.json). */
export default function DocsPage() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-6">
      <h1 className="text-2xl font-semibold">Intake API reference</h1>
      <p className="mt-1 text-sm text-gray-600">
        Generated from the routes&apos; contracts; the raw document is at{" "}
        <a className="underline" href="/api/openapi.json">
          /api/openapi.json
        </a>
        .
      </p>
      <ApiReference url="/api/openapi.json" />
    </main>
  );
}
