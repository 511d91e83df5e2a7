import { describe, expect, it } from "vitest";
import { isQueryCanceled, isUniqueViolation } from "./errors";

const violation = Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" });
const timedOut = Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" });

describe("isUniqueViolation", () => {
  it.each([
    ["the driver's error", violation, true],
    ["drizzle's wrapper around it", new Error("Failed query", { cause: violation }), true],
    ["two wrappers deep", new Error("outer", { cause: new Error("inner", { cause: violation }) }), true],
    ["another SQLSTATE", Object.assign(new Error("deadlock"), { code: "40P01" }), false],
    ["a code that is not a string", Object.assign(new Error("x"), { code: 23505 }), false],
    ["a plain error", new Error("boom"), false],
    ["not an error", "23505", false],
    ["nothing", undefined, false],
  ])("%s → %s", (_, error, expected) => {
    expect(isUniqueViolation(error)).toBe(expected);
  });
});

describe("isQueryCanceled", () => {
  it.each([
    ["a statement over its timeout", timedOut, true],
    ["drizzle's wrapper around it", new Error("Failed query", { cause: timedOut }), true],
    ["a unique violation", violation, false],
    ["a plain error", new Error("canceling statement due to statement timeout"), false],
    ["nothing", null, false],
  ])("%s → %s", (_, error, expected) => {
    expect(isQueryCanceled(error)).toBe(expected);
  });
});
