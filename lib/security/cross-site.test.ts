import { describe, expect, it } from "vitest";
import { isSameOriginWrite } from "@/lib/security/cross-site";

const APP_URL = "https://intake.example.com/";

describe("isSameOriginWrite", () => {
  it.each([
    { method: "GET", origin: "https://evil.example", fetchSite: "cross-site", allowed: true },
    { method: "HEAD", origin: null, fetchSite: null, allowed: true },
    { method: "OPTIONS", origin: "https://evil.example", fetchSite: "cross-site", allowed: true },
    { method: "POST", origin: "https://intake.example.com", fetchSite: null, allowed: true },
    { method: "post", origin: "https://intake.example.com", fetchSite: "same-origin", allowed: true },
    { method: "DELETE", origin: null, fetchSite: "same-origin", allowed: true },
    { method: "POST", origin: "https://evil.example", fetchSite: "cross-site", allowed: false },
    // Another origin of the same site (a subdomain) is still another origin.
    { method: "POST", origin: "https://files.intake.example.com", fetchSite: "same-site", allowed: false },
    { method: "PUT", origin: "http://intake.example.com", fetchSite: null, allowed: false },
    { method: "PATCH", origin: "null", fetchSite: "cross-site", allowed: false },
    { method: "POST", origin: null, fetchSite: "same-site", allowed: false },
    { method: "POST", origin: null, fetchSite: "none", allowed: false },
    { method: "POST", origin: null, fetchSite: null, allowed: false },
  ])("$method from $origin (Sec-Fetch-Site $fetchSite): $allowed", ({ allowed, ...request }) => {
    expect(isSameOriginWrite(request, APP_URL)).toBe(allowed);
  });
});
