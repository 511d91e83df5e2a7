import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildImportGraph, cycles, folderGraph, folderOf } from "@/test/architecture/import-graph";

const root = path.resolve(import.meta.dirname, "..", "..");
const graph = buildImportGraph(root);

/** Edges that break a layer rule, found in the graph (dynamic imports included, which ESLint does not see). */
function crossings(from: RegExp, to: RegExp, allowed: RegExp = /^$/): string[] {
  return [...graph].flatMap(([file, targets]) =>
    from.test(file)
      ? [...targets].filter((target) => to.test(target) && !allowed.test(target)).map((target) => `${file} → ${target}`)
      : [],
  );
}

describe("import graph", () => {
  it("reads the product's files", () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get("lib/background/functions/process-job.ts")).toContain("lib/ingest/pipeline.ts");
  });

  it("has no file that imports another that imports it back", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("has no folder that imports another that imports it back", () => {
    const folders = folderGraph(graph);
    const found = cycles(folders).map((group) =>
      group.flatMap((folder) =>
        [...graph]
          .filter(([file]) => folderOf(file) === folder)
          .flatMap(([file, targets]) =>
            [...targets]
              .filter((target) => folderOf(target) !== folder && group.includes(folderOf(target)))
              .map((target) => `${file} → ${target}`),
          ),
      ),
    );
    expect(found).toEqual([]);
  });

  it.each([
    ["lib/ imports no app/, components/ or inngest/", crossings(/^lib\//, /^(app|components|inngest)\//)],
    ["lib/ outside lib/api imports no lib/api", crossings(/^lib\/(?!api\/)/, /^lib\/api\//)],
    [
      "db/ imports from lib/ only lib/env.ts (and types, which the graph counts: only lib/csv/types.ts)",
      crossings(/^db\//, /^lib\//, /^lib\/(env|csv\/types)\.ts$/),
    ],
    ["components/ui imports no feature component", crossings(/^components\/ui\//, /^components\/(?!ui\/)/)],
    [
      "only inngest/, app/api/inngest and instrumentation.ts import inngest/",
      crossings(/^(?!inngest\/|app\/api\/inngest\/|instrumentation\.ts)/, /^inngest\//),
    ],
  ])("%s", (_rule, broken) => {
    expect(broken).toEqual([]);
  });
});

describe("cycle finder", () => {
  it.each([
    ["a chain", { a: ["b"], b: ["c"], c: [] }, []],
    ["two files importing each other", { a: ["b"], b: ["a"] }, [["a", "b"]]],
    ["a loop through a third", { a: ["b"], b: ["c"], c: ["a"], d: ["a"] }, [["a", "b", "c"]]],
    [
      "two separate loops",
      { a: ["b"], b: ["a"], c: ["d"], d: ["c"] },
      [
        ["a", "b"],
        ["c", "d"],
      ],
    ],
  ])("%s", (_case, edges: Record<string, string[]>, expected) => {
    const graphOf = new Map(Object.entries(edges).map(([node, targets]) => [node, new Set(targets)]));
    expect(cycles(graphOf).sort()).toEqual(expected);
  });

  it("joins files by their folder, and a top-level file stands alone", () => {
    const files = new Map([
      ["lib/a/one.ts", new Set(["lib/b/two.ts"])],
      ["lib/b/two.ts", new Set<string>()],
      ["lib/b/three.ts", new Set(["lib/a/four.ts"])],
      ["lib/a/four.ts", new Set<string>()],
      ["proxy.ts", new Set<string>()],
    ]);
    expect(cycles(folderGraph(files))).toEqual([["lib/a", "lib/b"]]);
    expect(folderOf("proxy.ts")).toBe("proxy.ts");
  });
});
