import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { getLocalStorage, getStorage, LocalObjectStorage, ObjectTooLargeError, resetStorageForTests } from "./index";
import { S3ObjectStorage } from "./s3";

function configure(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  resetEnvForTests();
  resetStorageForTests();
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
  resetStorageForTests();
});

describe("getStorage", () => {
  it("is the local driver under DATA_DIR/objects when S3_BUCKET is unset, built once", () => {
    const dataDir = path.join(path.sep, "tmp", "intake-data-test");
    configure({ S3_BUCKET: "", DATA_DIR: dataDir });
    const storage = getStorage();
    expect(storage).toBeInstanceOf(LocalObjectStorage);
    expect(storage.kind).toBe("local");
    expect((storage as LocalObjectStorage).root).toBe(path.join(dataDir, "objects"));
    expect(getStorage()).toBe(storage);
    expect(getLocalStorage()).toBe(storage);
    resetStorageForTests();
    expect(getStorage()).not.toBe(storage);
  });

  it("is the S3 driver when S3_BUCKET is set, with the endpoint and path style from the settings", async () => {
    configure({
      S3_BUCKET: "intake-uploads",
      S3_REGION: "eu-west-1",
      S3_ENDPOINT: "http://127.0.0.1:9000",
      S3_FORCE_PATH_STYLE: "true",
      MAX_UPLOAD_BYTES: "1000",
      // The SDK's provider chain reads these itself.
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    });
    const storage = getStorage();
    expect(storage).toBeInstanceOf(S3ObjectStorage);
    expect(storage.kind).toBe("s3");
    expect(getLocalStorage()).toBeNull();

    const input = { key: "uploads/a b.csv", contentType: "text/csv", expiresInSeconds: 60, origin: "http://app" };
    const signed = await storage.signUpload({ ...input, size: 1000 });
    const url = new URL(signed.url);
    expect(`${url.origin}${url.pathname}`).toBe("http://127.0.0.1:9000/intake-uploads/uploads/a%20b.csv");
    expect(url.searchParams.get("X-Amz-Credential")).toMatch(/^AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request$/);
    await expect(storage.signUpload({ ...input, size: 1001 })).rejects.toThrow(ObjectTooLargeError);
  });
});
