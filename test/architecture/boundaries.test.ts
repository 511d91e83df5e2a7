import path from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module without types, shared with eslint.config.mjs
import { boundaries } from "@/eslint.boundaries.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");
// Only the boundary rules, with a parser for TypeScript: fast, and what `npm run lint` runs too.
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ["**/*.ts", "**/*.tsx"],
      languageOptions: { parser: tseslint.parser },
      plugins: { "@typescript-eslint": tseslint.plugin },
    },
    ...(boundaries as []),
  ],
});

async function lintErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).map((message) => `${message.ruleId ?? "parse"}: ${message.message}`);
}

describe("import boundaries in ESLint", () => {
  it.each([
    ["db/queries/planted.ts", `import { hashPassword } from "@/lib/auth/passwords";`, /db\/ is a leaf/],
    ["db/planted.ts", `import { startServer } from "@/lib/startup/start-server";`, /db\/ is a leaf/],
    ["db/queries/planted.ts", `import { x } from "@/app/api/jobs/route";`, /Only app\//],
    ["lib/ingest/planted.ts", `import { x } from "@/app/(app)/actions";`, /Only app\//],
    ["lib/ingest/planted.ts", `import { JobsTable } from "@/components/jobs/jobs-table";`, /never import components/],
    ["lib/review/planted.ts", `import { inngest } from "@/inngest/client";`, /inngest/],
    ["lib/ingest/planted.ts", `import { ApiError } from "@/lib/api/errors";`, /DomainError/],
    ["lib/auth/planted.ts", `import type { jobSchema } from "@/lib/api/contracts/jobs";`, /DomainError/],
    [
      "components/ui/planted.tsx",
      `import { StatusBadge } from "@/components/jobs/status-badge";`,
      /components\/ui is the floor/,
    ],
    ["lib/ingest/planted.ts", `import { x } from "../api/errors";`, /@\/ alias/],
  ])("%s: %s is refused", async (filePath, code, message) => {
    const errors = await lintErrors(filePath, `${code}\nexport const planted = 1;\n`);
    expect(errors).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ["db/queries/planted.ts", `import { env } from "@/lib/env";`],
    ["db/planted.ts", `import type { CsvLayout } from "@/lib/csv/types";`],
    ["lib/api/planted.ts", `import { ApiError } from "@/lib/api/errors";`],
    ["lib/ingest/planted.ts", `import { DomainError } from "@/lib/errors";`],
    ["components/ui/planted.tsx", `import { Button } from "@/components/ui/button";`],
    ["components/jobs/planted.tsx", `import { Button } from "@/components/ui/button";`],
    ["app/api/planted/route.ts", `import { ApiError } from "@/lib/api/errors";`],
    ["lib/ingest/planted.ts", `import { stageChunk } from "./stage";`],
  ])("%s: %s is allowed", async (filePath, code) => {
    expect(await lintErrors(filePath, `${code}\nexport const planted = 1;\n`)).toEqual([]);
  });

  it("are part of the project's ESLint configuration", async () => {
    const config = (await new ESLint({ cwd: root }).calculateConfigForFile(path.join(root, "db/queries/jobs.ts"))) as {
      rules: Record<string, unknown>;
    };
    expect(JSON.stringify(config.rules["@typescript-eslint/no-restricted-imports"])).toContain("db/ is a leaf");
  });
});
