import { lookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** One address a name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a host name resolves to (A and AAAA, as the system resolver answers). */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolve: ResolveHost = (hostname) =>
  new Promise((resolve, reject) => lookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/** Why a receiver URL is refused; the rule named in the 422. */
export type ReceiverRule = 'url' | 'scheme' | 'credentials' | 'privateAddress' | 'unresolvable';

export class ReceiverRefusedError extends Error {
  readonly code = 'WEBHOOK.RECEIVER_REFUSED';
  constructor(
    readonly rule: ReceiverRule,
    message: string,
  ) {
    super(message);
    this.name = 'ReceiverRefusedError';
  }
}

/**
 * True for an address on the public internet: ipaddr.js's `unicast`, after an IPv4-mapped IPv6
 * address is read as the IPv4 it maps. Loopback, private (RFC 1918, unique-local), link-local
 * (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast, reserved and the tunnelling
 * ranges that embed an IPv4 address (6to4, Teredo, NAT64) are not.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

export interface ReceiverPolicy {
  /** ITSM_WEBHOOKS_ALLOW_PRIVATE=on: receivers on private networks (on premises, tests); plain http too. */
  allowPrivate: boolean;
  resolve: ResolveHost;
}

/**
 * A receiver URL as registered: absolute, https (plain http only where private receivers are
 * allowed: deliveries carry tenants' data), without credentials (they would be echoed back by GET).
 */
export function parseReceiverUrl(text: string, policy: Pick<ReceiverPolicy, 'allowPrivate'>): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ReceiverRefusedError('url', 'url must be an absolute URL');
  }
  const schemes = policy.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw new ReceiverRefusedError('scheme', `url must use ${schemes.map((s) => s.slice(0, -1)).join(' or ')}`);
  if (url.username || url.password) throw new ReceiverRefusedError('credentials', 'url must not carry a user name or password');
  if (!url.hostname) throw new ReceiverRefusedError('url', 'url must name a host');
  return url;
}

/** The host of a URL as the resolver and the socket take it (an IPv6 literal without its brackets). */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * The addresses a receiver's host resolves to, refused when any is not public (one private record
 * among public ones is enough to reach inside). Asked at registration and again at every delivery:
 * a name that resolved outside then may point inside now (DNS rebinding).
 */
export async function receiverAddresses(hostname: string, policy: ReceiverPolicy): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  if (isIP(hostname)) addresses = [{ address: hostname, family: isIP(hostname) }];
  else {
    try {
      addresses = await policy.resolve(hostname);
    } catch {
      throw new ReceiverRefusedError('unresolvable', `url's host ${hostname} does not resolve`);
    }
    if (addresses.length === 0) throw new ReceiverRefusedError('unresolvable', `url's host ${hostname} does not resolve`);
  }
  if (!policy.allowPrivate) {
    const inside = addresses.find((a) => !isPublicAddress(a.address));
    if (inside) {
      throw new ReceiverRefusedError(
        'privateAddress',
        `url's host ${hostname} resolves to ${inside.address}, a loopback, private, link-local or reserved address (set ITSM_WEBHOOKS_ALLOW_PRIVATE=on for receivers on premises)`,
      );
    }
  }
  return addresses;
}

/**
 * A lookup for the socket itself: it resolves, checks and hands the socket the very addresses it
 * checked, so nothing can change between the check and the connection.
 */
export function guardedLookup(policy: ReceiverPolicy): LookupFunction {
  return (hostname, options, callback) => {
    receiverAddresses(hostname, policy).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        const [chosen] = wanted;
        if (!chosen) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, wanted);
        callback(null, chosen.address, chosen.family);
      },
      (error: Error) => callback(Object.assign(error, { code: 'ENOTFOUND' }), '', 0),
    );
  };
}
