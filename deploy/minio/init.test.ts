import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const SCRIPT = path.join(import.meta.dirname, "init.sh");

// Stands in for MinIO's client: records each call, keeps the policy document it is given, and answers
// `admin user info` with what the case says the server already has.
const STUB_MC = `#!/bin/sh
echo "$*" >> "$STUB_DIR/calls"
if [ "$1 $2 $3" = "admin policy create" ]; then cp "$6" "$STUB_DIR/policy.json"; fi
if [ "$1 $2 $3" = "admin user info" ]; then printf '%s\\n' "$STUB_USER_INFO"; fi
exit 0
`;

const SETTINGS = {
  MINIO_ROOT_USER: "root-user",
  MINIO_ROOT_PASSWORD: "root-password",
  S3_BUCKET: "intake-uploads",
  APP_ACCESS_KEY: "intake-app",
  APP_SECRET_KEY: "app-secret",
  MINIO_API_CORS_ALLOW_ORIGIN: "http://localhost:3000",
};

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function runInit(settings: Record<string, string>, userInfo: string) {
  const directory = mkdtempSync(path.join(tmpdir(), "intake-minio-init-"));
  directories.push(directory);
  writeFileSync(path.join(directory, "mc"), STUB_MC);
  chmodSync(path.join(directory, "mc"), 0o755);
  const result = spawnSync("/bin/sh", [SCRIPT], {
    encoding: "utf8",
    env: {
      NODE_ENV: "test",
      PATH: `${directory}:/usr/bin:/bin`,
      STUB_DIR: directory,
      STUB_USER_INFO: userInfo,
      ...settings,
    },
  });
  const read = (name: string) => {
    try {
      return readFileSync(path.join(directory, name), "utf8");
    } catch {
      return "";
    }
  };
  return {
    status: result.status,
    stderr: result.stderr,
    calls: read("calls").trim().split("\n").filter(Boolean),
    policy: read("policy.json"),
  };
}

describe("deploy/minio/init.sh", () => {
  it.each([
    {
      name: "a new store: bucket, policy, user, and the policy attached",
      userInfo: "AccessKey: intake-app\nStatus: enabled\nPolicyName: ",
      attaches: true,
    },
    {
      name: "a store set up by an earlier start: the attached policy is left alone",
      userInfo: "AccessKey: intake-app\nStatus: enabled\nPolicyName: intake-app",
      attaches: false,
    },
    {
      name: "a user given another policy as well keeps both",
      userInfo: "AccessKey: intake-app\nStatus: enabled\nPolicyName: readwrite,intake-app\nMemberOf: ",
      attaches: false,
    },
    {
      name: "a policy whose name only starts like ours is not ours",
      userInfo: "AccessKey: intake-app\nStatus: enabled\nPolicyName: intake-app-old\nMemberOf: intake-app",
      attaches: true,
    },
  ])("$name", ({ userInfo, attaches }) => {
    const run = runInit(SETTINGS, userInfo);

    expect(run.status, run.stderr).toBe(0);
    expect(run.calls.slice(0, 5)).toEqual([
      "alias set store http://minio:9000 root-user root-password",
      "mb --ignore-existing store/intake-uploads",
      expect.stringMatching(/^admin policy create store intake-app \S+$/),
      "admin user add store intake-app app-secret",
      "admin user info store intake-app",
    ]);
    expect(run.calls.includes("admin policy attach store intake-app --user intake-app")).toBe(attaches);
  });

  it("limits the app's key to the uploads bucket and its objects", () => {
    const run = runInit(SETTINGS, "");

    expect(JSON.parse(run.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["s3:*"],
          Resource: ["arn:aws:s3:::intake-uploads", "arn:aws:s3:::intake-uploads/*"],
        },
      ],
    });
  });

  it.each(["MINIO_ROOT_PASSWORD", "S3_BUCKET", "APP_SECRET_KEY"])("stops before calling MinIO without %s", (name) => {
    const run = runInit({ ...SETTINGS, [name]: "" }, "");

    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(name);
    expect(run.calls).toEqual([]);
  });
});
