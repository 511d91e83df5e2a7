import { describe, expect, it } from "vitest";
import { checkWebhookUrl, internalAddressKind, type Resolver } from "@/lib/webhooks/url-guard";

// Hosts resolve through this table, so the cases do not depend on the machine's DNS.
const DNS: Record<string, string[]> = {
  "hooks.example.com": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
  "rebound.example.com": ["93.184.216.34", "10.1.2.3"],
  "internal.example.com": ["192.168.1.20"],
  localhost: ["::1", "127.0.0.1"],
  "v6-internal.example.com": ["fd12:3456:789a::1"],
};
const resolve: Resolver = (hostname) => {
  const addresses = DNS[hostname];
  return addresses ? Promise.resolve(addresses) : Promise.reject(new Error(`ENOTFOUND ${hostname}`));
};

const development = { production: false, allowPrivate: false };
const production = { production: true, allowPrivate: false };
const productionPrivate = { production: true, allowPrivate: true };

describe("checkWebhookUrl", () => {
  it.each([
    ["https://hooks.example.com/intake", production],
    ["https://93.184.216.34/intake", production],
    ["https://[2606:2800:220:1:248:1893:25c8:1946]/intake", production],
    ["http://hooks.example.com/intake", development],
    ["http://127.0.0.1:8080/hook", { production: false, allowPrivate: true }],
    ["https://internal.example.com/hook", productionPrivate],
    // Plain http in production only to an internal address, and only when those are allowed.
    ["http://10.0.0.5/hook", productionPrivate],
  ])("accepts %s (%o)", async (url, rules) => {
    await expect(checkWebhookUrl(url, rules, resolve)).resolves.toBeInstanceOf(URL);
  });

  it.each([
    ["not a url", development, "must be an absolute URL"],
    ["ftp://hooks.example.com/x", development, "must use https (or http outside production), not ftp"],
    ["https://user:pw@hooks.example.com/x", development, "must not carry a user name or password"],
    ["http://hooks.example.com/intake", production, "must use https in production"],
    ["http://hooks.example.com/intake", productionPrivate, "must use https in production"],
    ["https://nowhere.example.com/x", development, "has a host that does not resolve: nowhere.example.com"],
    ["https://127.0.0.1/x", development, "must not point at a loopback address: 127.0.0.1"],
    ["https://localhost:8443/x", development, "must not point at a loopback address: localhost (::1)"],
    ["https://10.0.0.1/x", development, "must not point at a private address: 10.0.0.1"],
    ["https://172.20.1.1/x", development, "private address"],
    ["https://192.168.0.10/x", development, "private address"],
    ["https://100.64.0.1/x", development, "private address"],
    ["https://169.254.169.254/latest/meta-data", development, "link-local address: 169.254.169.254"],
    ["https://0.0.0.0/x", development, "unspecified address"],
    ["https://[::1]/x", development, "loopback address: ::1"],
    ["https://[::]/x", development, "unspecified address"],
    ["https://[fe80::1]/x", development, "link-local address"],
    ["https://[fd00::1]/x", development, "unique-local address"],
    ["https://[::ffff:127.0.0.1]/x", development, "IPv4-mapped address"],
    ["https://internal.example.com/x", production, "private address: internal.example.com (192.168.1.20)"],
    ["https://v6-internal.example.com/x", production, "unique-local address"],
    // One internal address among public ones is enough to refuse: the connection may pick any of them.
    ["https://rebound.example.com/x", production, "private address: rebound.example.com (10.1.2.3)"],
  ])("refuses %s (%o): %s", async (url, rules, message) => {
    await expect(checkWebhookUrl(url, rules, resolve)).rejects.toThrow(message);
  });

  it("names the setting that lifts the rule", async () => {
    await expect(checkWebhookUrl("https://127.0.0.1/x", development, resolve)).rejects.toThrow(
      "unless WEBHOOK_ALLOW_PRIVATE_URLS=true",
    );
  });
});

describe("internalAddressKind", () => {
  it.each([
    ["8.8.8.8", null],
    ["2001:4860:4860::8888", null],
    ["127.8.9.10", "loopback"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", null],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["ff02::1", "multicast"],
    ["not an address", null],
  ])("%s is %s", (address, kind) => {
    expect(internalAddressKind(address)).toBe(kind);
  });
});
