import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BackgroundEvent } from "@/lib/background/events";

const uploaded: BackgroundEvent = {
  name: "app/job.uploaded",
  data: { jobId: 7, companyId: "c0ffee00-0000-4000-8000-000000000000" },
  // Inngest drops a second event with the same id: the in-process runner's dedupe key.
  id: "job-7",
};

// Dispatch keeps its sender on globalThis (Next bundles routes and instrumentation apart); each test starts clean.
async function freshDispatch() {
  delete (globalThis as { intakeDispatch?: unknown }).intakeDispatch;
  vi.resetModules();
  return import("@/lib/background/dispatch");
}

describe("dispatch with Inngest configured", () => {
  beforeEach(() => {
    vi.stubEnv("INNGEST_DEV", "1");
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    delete (globalThis as { intakeDispatch?: unknown }).intakeDispatch;
  });

  it("hands the event to the sender start-up gave it, unchanged", async () => {
    const { dispatch, sendEventsWith } = await freshDispatch();
    const sent: BackgroundEvent[] = [];
    sendEventsWith((event) => {
      sent.push(event);
      return Promise.resolve();
    });
    await dispatch(uploaded);
    expect(sent).toEqual([uploaded]);
  });

  it("refuses, saying why, when start-up gave it no sender (callers answer 503)", async () => {
    const { dispatch } = await freshDispatch();
    await expect(dispatch(uploaded)).rejects.toThrow("Inngest is configured but no event sender was set at start-up");
  });

  it("passes on the sender's failure", async () => {
    const { dispatch, sendEventsWith } = await freshDispatch();
    sendEventsWith(() => Promise.reject(new Error("Inngest answered 401")));
    await expect(dispatch(uploaded)).rejects.toThrow("Inngest answered 401");
  });
});
