import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** The folders whose code ships; tests and tooling are left out (nothing imports them back). */
export const PRODUCT_ROOTS = ["app", "components", "db", "inngest", "lib"] as const;
const ROOT_FILES = ["proxy.ts", "instrumentation.ts"];
const EXTENSIONS = [".ts", ".tsx", "/index.ts", "/index.tsx"];

export type ImportGraph = Map<string, Set<string>>;

function isProductFile(file: string): boolean {
  return /\.tsx?$/.test(file) && !/\.(test|spec)\.tsx?$/.test(file) && !file.endsWith(".d.ts");
}

function listFiles(root: string, folder: string): string[] {
  const absolute = path.join(root, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute).flatMap((name) => {
    const relative = path.posix.join(folder, name);
    if (statSync(path.join(root, relative)).isDirectory()) return listFiles(root, relative);
    return isProductFile(relative) ? [relative] : [];
  });
}

function resolveImport(root: string, from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return null;
  for (const candidate of [base, ...EXTENSIONS.map((extension) => `${base}${extension}`)]) {
    if (existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile()) return candidate;
  }
  return null;
}

/** Every product file and the product files it imports (static, dynamic and type-only imports alike). */
export function buildImportGraph(root: string): ImportGraph {
  const files = [
    ...PRODUCT_ROOTS.flatMap((folder) => listFiles(root, folder)),
    ...ROOT_FILES.filter((file) => existsSync(path.join(root, file))),
  ];
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(root, file), "utf8"), true, true);
    const targets = new Set<string>();
    for (const imported of importedFiles) {
      const target = resolveImport(root, file, imported.fileName);
      if (target && target !== file && isProductFile(target)) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/**
 * The folder a file belongs to for the cycle rule: its own directory (`lib/ingest`, `components/ui`,
 * `db/queries`); a file at the top of the repository (instrumentation.ts) stands alone.
 */
export function folderOf(file: string): string {
  const directory = path.posix.dirname(file);
  return directory === "." ? file : directory;
}

export function folderGraph(graph: ImportGraph): ImportGraph {
  const folders: ImportGraph = new Map();
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    const edges = folders.get(from) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
    folders.set(from, edges);
  }
  return folders;
}

/** Every strongly connected group of more than one node (Tarjan's algorithm), each sorted. */
export function cycles(graph: ImportGraph): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];

  const visit = (node: string): void => {
    indices.set(node, index);
    lowlinks.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowlinks.set(node, Math.min(lowlinks.get(node)!, lowlinks.get(next)!));
      } else if (onStack.has(next)) {
        lowlinks.set(node, Math.min(lowlinks.get(node)!, indices.get(next)!));
      }
    }
    if (lowlinks.get(node) === indices.get(node)) {
      const group: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}
