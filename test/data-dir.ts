import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { resetStorageForTests } from "@/lib/storage";

/**
 * Gives the current `describe` a fresh DATA_DIR (the local object store lives there) for its tests,
 * and removes it afterwards. Register it before hooks that store files.
 */
export function withTempDataDir(prefix: string): { readonly path: string } {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
    vi.stubEnv("DATA_DIR", dir);
    resetEnvForTests();
    resetStorageForTests();
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    resetEnvForTests();
    resetStorageForTests();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get path() {
      return dir;
    },
  };
}
