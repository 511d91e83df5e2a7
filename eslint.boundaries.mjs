// Which code may import which: dependencies run app/ → lib/ → db/, one way. Kept apart from
// eslint.config.mjs so that test/architecture can lint planted imports with exactly these rules.

const PRODUCT = ["app/**", "components/**", "lib/**", "db/**", "inngest/**", "*.ts"];

const upward = {
  group: ["../*", "../**"],
  message: "Import through the @/ alias, so that the import boundaries can see where it goes",
};
const intoApp = {
  group: ["@/app", "@/app/**"],
  message: "Only app/ imports app/: move what both need into lib/ or components/",
};
const intoComponents = { group: ["@/components", "@/components/**"], message: "lib/ and db/ never import components/" };
const intoInngest = {
  group: ["@/inngest", "@/inngest/**"],
  message: "Only the Inngest adapter (inngest/) and instrumentation.ts import inngest/; lib/background dispatches",
};
const intoApi = {
  group: ["@/lib/api", "@/lib/api/**"],
  message: "Domain code speaks DomainError (lib/errors.ts); only lib/api and app/ know HTTP",
};
const dbIntoLib = {
  group: ["@/lib/**", "!@/lib/env"],
  allowTypeImports: true,
  message:
    "db/ is a leaf: it imports only @/lib/env and types from lib/ (hash or generate secrets in lib/auth and pass the values in)",
};
const uiIntoFeatures = {
  group: ["@/components/**", "!@/components/ui", "!@/components/ui/**"],
  message:
    "components/ui is the floor: it imports no feature component (shared helpers live in lib/format or components/ui)",
};

const restrict = (...patterns) => ({ "@typescript-eslint/no-restricted-imports": ["error", { patterns }] });

/** @type {import("eslint").Linter.Config[]} */
export const boundaries = [
  { files: PRODUCT, rules: restrict(upward) },
  {
    files: ["lib/**"],
    ignores: ["lib/api/**"],
    rules: restrict(upward, intoApp, intoComponents, intoInngest, intoApi),
  },
  { files: ["lib/api/**"], rules: restrict(upward, intoApp, intoComponents, intoInngest) },
  { files: ["db/**"], rules: restrict(upward, intoApp, intoComponents, intoInngest, dbIntoLib) },
  { files: ["components/ui/**"], rules: restrict(upward, intoApp, intoInngest, uiIntoFeatures) },
  { files: ["components/**"], ignores: ["components/ui/**"], rules: restrict(upward, intoInngest) },
];
