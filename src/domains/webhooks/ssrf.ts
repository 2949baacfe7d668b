// SSRF guard for webhook endpoints: a host may only resolve to public unicast addresses. Checked when an
// endpoint is created or changed, and again on every delivery, where the request connects to the very address
// that was checked (custom lookup), so a DNS answer that changes between check and connect cannot slip through.
// WEBHOOKS_ALLOW_PRIVATE=true lifts the check for on-premise receivers, except for cloud metadata addresses.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Cloud metadata addresses, refused even though some also fall in ranges below. */
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

export class BlockedAddressError extends Error {
  constructor(host: string, address: string, range: string) {
    super(
      range === 'metadata'
        ? `${host} resolves to ${address}, a cloud metadata address, which webhooks may never reach`
        : `${host} resolves to ${address} (${range}), which webhooks may not reach; set WEBHOOKS_ALLOW_PRIVATE=true for on-premise receivers`,
    );
  }
}

/** The range name when the address is not public unicast (loopback, private, linkLocal, carrierGradeNat, multicast …), else null. */
export function forbiddenRange(address: string): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address.replace(/^\[|\]$/g, '').split('%')[0]!);
  } catch {
    return 'invalid';
  }
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  if (METADATA.has(ip.toNormalizedString()) || METADATA.has(ip.toString())) return 'metadata';
  const range = ip.range();
  return range === 'unicast' ? null : range;
}

/** Resolves host and returns its addresses; throws BlockedAddressError when any of them is forbidden. */
export async function resolveAllowed(host: string, allowPrivate: boolean): Promise<{ address: string; family: number }[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addrs = isIP(bare) ? [{ address: bare, family: isIP(bare) }] : await dnsLookup(bare, { all: true, verbatim: true });
  if (!addrs.length) throw new Error(`${host} does not resolve`);
  for (const a of addrs) {
    // Cloud metadata addresses stay refused even when private ranges are allowed.
    const range = forbiddenRange(a.address);
    if (range && (!allowPrivate || range === 'metadata')) throw new BlockedAddressError(host, a.address, range);
  }
  return addrs;
}

/** A net lookup function that only hands out checked addresses (used by every delivery request). */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void) => {
    resolveAllowed(hostname, allowPrivate).then(
      (addrs) => {
        const usable = options.family ? addrs.filter((a) => a.family === options.family) : addrs;
        const list = usable.length ? usable : addrs;
        if (options.all) callback(null, list);
        else callback(null, list[0]!.address, list[0]!.family);
      },
      (err) => callback(err),
    );
  }) as unknown as LookupFunction;
}
