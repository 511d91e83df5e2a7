import { describe, expect, it } from "vitest";
import { clientAddress, DIRECT_ADDRESS } from "@/lib/limits/client-address";

type Case = { case: string; trustProxy: boolean; headers: Record<string, string>; expected: string };

describe("clientAddress", () => {
  it.each<Case>([
    {
      case: "no proxy trusted: forwarded headers ignored",
      trustProxy: false,
      headers: { "x-forwarded-for": "203.0.113.7" },
      expected: DIRECT_ADDRESS,
    },
    { case: "no proxy trusted, no headers", trustProxy: false, headers: {}, expected: DIRECT_ADDRESS },
    {
      case: "trusted proxy: its single entry",
      trustProxy: true,
      headers: { "x-forwarded-for": "203.0.113.7" },
      expected: "203.0.113.7",
    },
    {
      case: "trusted proxy: the entry it appended, not the client's",
      trustProxy: true,
      headers: { "x-forwarded-for": "10.9.9.9, 198.51.100.4" },
      expected: "198.51.100.4",
    },
    {
      case: "trusted proxy: IPv6 lower-cased",
      trustProxy: true,
      headers: { "x-forwarded-for": "2001:DB8::1" },
      expected: "2001:db8::1",
    },
    {
      case: "trusted proxy: X-Real-IP without X-Forwarded-For",
      trustProxy: true,
      headers: { "x-real-ip": "192.0.2.1" },
      expected: "192.0.2.1",
    },
    {
      case: "trusted proxy: garbage is not an address",
      trustProxy: true,
      headers: { "x-forwarded-for": "evil; drop" },
      expected: DIRECT_ADDRESS,
    },
    { case: "trusted proxy sent nothing", trustProxy: true, headers: {}, expected: DIRECT_ADDRESS },
  ])("$case", ({ trustProxy, headers, expected }) => {
    expect(clientAddress(new Headers(headers), { trustProxy })).toBe(expected);
  });
});
