import { lookup as dnsLookup } from "node:dns";
import { lookup as dnsLookupAsync } from "node:dns/promises";
import { BlockList, isIP, type LookupFunction } from "node:net";

/** Why a webhook URL may not be called; its message names the rule broken, for the API's 400 and the delivery's error. */
export class WebhookUrlRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookUrlRefusedError";
  }
}

const INTERNAL_RANGES: ReadonlyArray<
  readonly [kind: string, network: string, prefix: number, family: "ipv4" | "ipv6"]
> = [
  ["unspecified", "0.0.0.0", 8, "ipv4"],
  ["private", "10.0.0.0", 8, "ipv4"],
  ["private", "100.64.0.0", 10, "ipv4"],
  ["loopback", "127.0.0.0", 8, "ipv4"],
  ["link-local", "169.254.0.0", 16, "ipv4"],
  ["private", "172.16.0.0", 12, "ipv4"],
  ["private", "192.168.0.0", 16, "ipv4"],
  ["multicast", "224.0.0.0", 4, "ipv4"],
  ["reserved", "240.0.0.0", 4, "ipv4"],
  ["unspecified", "::", 128, "ipv6"],
  ["loopback", "::1", 128, "ipv6"],
  // An IPv4 address written as IPv6 (::ffff:a.b.c.d) could name any of the ranges above.
  ["IPv4-mapped", "::ffff:0:0", 96, "ipv6"],
  ["unique-local", "fc00::", 7, "ipv6"],
  ["link-local", "fe80::", 10, "ipv6"],
  ["multicast", "ff00::", 8, "ipv6"],
];

const internalRanges = INTERNAL_RANGES.map(([kind, network, prefix, family]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { kind, list, family };
});

/** The kind of internal address this is (loopback, private, link-local, …), or null for a public one. */
export function internalAddressKind(address: string): string | null {
  const family = isIP(address) === 6 ? "ipv6" : isIP(address) === 4 ? "ipv4" : null;
  if (!family) return null;
  return internalRanges.find((range) => range.family === family && range.list.check(address, family))?.kind ?? null;
}

export type UrlRules = {
  /** In production only https is accepted (http only to internal addresses, when those are allowed). */
  production: boolean;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: loopback, private and other internal addresses are allowed. */
  allowPrivate: boolean;
};

export type Resolver = (hostname: string) => Promise<string[]>;

const resolveWithSystem: Resolver = async (hostname) =>
  (await dnsLookupAsync(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Checks a webhook URL against the rules, resolving its host: every address it resolves to must be public
 * (unless internal ones are allowed). Throws WebhookUrlRefusedError naming the rule; returns the parsed URL.
 */
export async function checkWebhookUrl(
  value: string,
  rules: UrlRules,
  resolve: Resolver = resolveWithSystem,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WebhookUrlRefusedError("must be an absolute URL such as https://example.com/hooks/intake");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new WebhookUrlRefusedError(`must use https (or http outside production), not ${url.protocol.slice(0, -1)}`);
  }
  if (url.username || url.password) {
    throw new WebhookUrlRefusedError("must not carry a user name or password; verify deliveries by their signature");
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new WebhookUrlRefusedError(`has a host that does not resolve: ${host}`);
    }
    if (addresses.length === 0) throw new WebhookUrlRefusedError(`has a host that does not resolve: ${host}`);
  }
  const internal = addresses.filter((address) => internalAddressKind(address) !== null);
  if (internal.length > 0 && !rules.allowPrivate) throw internalAddressRefusal(host, internal[0] ?? host);
  if (rules.production && url.protocol === "http:" && !(rules.allowPrivate && internal.length === addresses.length)) {
    throw new WebhookUrlRefusedError("must use https in production");
  }
  return url;
}

function internalAddressRefusal(host: string, address: string): WebhookUrlRefusedError {
  const where = host === address ? address : `${host} (${address})`;
  return new WebhookUrlRefusedError(
    `must not point at a ${internalAddressKind(address)} address: ${where}; webhooks call only public addresses ` +
      "unless WEBHOOK_ALLOW_PRIVATE_URLS=true",
  );
}

/**
 * A DNS lookup for the delivery's own connection that refuses internal addresses, so that a host which
 * resolved to a public address when it was checked cannot be re-pointed at an internal one (DNS rebinding):
 * the address checked is the address connected to.
 */
export function guardedLookup(rules: UrlRules): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, "", 0);
        return;
      }
      const internal = addresses.find((entry) => internalAddressKind(entry.address) !== null);
      if (internal && !rules.allowPrivate) {
        callback(internalAddressRefusal(hostname, internal.address), "", 0);
        return;
      }
      const [first] = addresses;
      if (options.all) (callback as unknown as (e: null, all: typeof addresses) => void)(null, addresses);
      else if (first) callback(null, first.address, first.family);
      else callback(new WebhookUrlRefusedError(`has a host that does not resolve: ${hostname}`), "", 0);
    });
  };
}
