import { describe, expect, it } from "vitest";
import { EVENT_LISTENERS } from "@/lib/background/events";
import { backgroundFunctions } from "@/lib/background/functions";

describe("background function registry", () => {
  it("lists, for every event, exactly the functions that declare it as their trigger", () => {
    // An event may have no listener yet (it is dispatched all the same, to nobody).
    const declared: Record<string, string[]> = Object.fromEntries(
      Object.keys(EVENT_LISTENERS).map((event) => [event, []]),
    );
    for (const definition of backgroundFunctions) (declared[definition.event] ??= []).push(definition.id);
    const listed = Object.fromEntries(Object.entries(EVENT_LISTENERS).map(([event, ids]) => [event, [...ids].sort()]));
    expect(Object.fromEntries(Object.entries(declared).map(([event, ids]) => [event, ids.sort()]))).toEqual(listed);
  });

  it.each(backgroundFunctions.map((definition) => [definition.id, definition.event] as const))(
    "%s has a kebab-case id and an app/noun.verb event (%s)",
    (id, event) => {
      expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(event).toMatch(/^app\/[a-z]+\.[a-z]+(-[a-z]+)*$/);
    },
  );
});
