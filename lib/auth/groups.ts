import { GROUPS, type Group } from "@/db/schema";

export { GROUPS, type Group };

/**
 * Whether someone holding `held` may do what needs `required`. `admin` may do everything in its
 * company; `viewer` is what every member can do (read); the other groups are separate powers.
 */
export function hasGroup(held: readonly Group[], required: Group): boolean {
  if (held.includes("admin")) return true;
  if (required === "viewer") return held.length > 0;
  return held.includes(required);
}

/** Keeps the names Intake knows, lower-cased, without repeats (for groups coming from outside, e.g. Cognito). */
export function toGroups(names: readonly unknown[]): Group[] {
  const known = new Set<string>(GROUPS);
  const result: Group[] = [];
  for (const name of names) {
    if (typeof name !== "string") continue;
    const lowered = name.trim().toLowerCase();
    if (known.has(lowered) && !result.includes(lowered as Group)) result.push(lowered as Group);
  }
  return result;
}
