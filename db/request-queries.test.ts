import { describe, expect, it } from "vitest";
import { inRequestQueries, outsideRequestQueries, withRequestQueries } from "./request-queries";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("which statements are a request's", () => {
  it.each<[string, () => Promise<boolean>, boolean]>([
    ["code outside any request", () => Promise.resolve(inRequestQueries()), false],
    [
      "the request's own code, after awaits",
      () =>
        withRequestQueries(new AbortController().signal, async () => {
          await tick();
          return inRequestQueries();
        }),
      true,
    ],
    [
      "work the request starts outside itself (a background run it kicks)",
      () =>
        withRequestQueries(new AbortController().signal, () =>
          outsideRequestQueries(async () => {
            await tick();
            return inRequestQueries();
          }),
        ),
      false,
    ],
    [
      "a timer the request sets, firing after it answered",
      async () => {
        let fired: Promise<boolean> = Promise.resolve(false);
        await withRequestQueries(new AbortController().signal, () => {
          fired = new Promise((resolve) => setTimeout(() => resolve(inRequestQueries()), 5));
          return Promise.resolve();
        });
        return fired;
      },
      true,
    ],
  ])("%s → %s", async (_, probe, expected) => {
    expect(await probe()).toBe(expected);
  });
});
