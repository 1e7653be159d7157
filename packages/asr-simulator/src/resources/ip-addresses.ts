/** IPv4 arithmetic for subnets and private addresses (the simulator models IPv4 only for allocation). */

export function parseIpv4(text: string): number | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return (((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!) >>> 0;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export interface Cidr {
  base: number;
  bits: number;
  /** Number of addresses in the range. */
  size: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const [address, bitsText] = text.trim().split('/');
  const base = address === undefined ? undefined : parseIpv4(address);
  const bits = Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30) return undefined;
  const size = 2 ** (32 - bits);
  // The base must be the network address (ARM refuses 10.0.0.5/24 as a prefix).
  if (base % size !== 0) return undefined;
  return { base, bits, size };
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

export function ipInCidr(ip: number, cidr: Cidr): boolean {
  return ip >= cidr.base && ip < cidr.base + cidr.size;
}

/** Azure reserves the first four addresses and the last one of every subnet. */
export function isReservedInSubnet(ip: number, cidr: Cidr): boolean {
  return ip < cidr.base + 4 || ip === cidr.base + cidr.size - 1;
}

/** The lowest usable address of `cidr` from `from` on that is not used, or undefined when none is left. */
export function firstFreeAddress(
  cidr: Cidr,
  used: { has(ip: string): boolean },
  from = cidr.base + 4,
): string | undefined {
  for (let ip = Math.max(from, cidr.base + 4); ip < cidr.base + cidr.size - 1; ip++) {
    const text = formatIpv4(ip);
    if (!used.has(text)) return text;
  }
  return undefined;
}

export function isIpv6(text: string): boolean {
  return /^[0-9a-f:]+$/i.test(text) && text.includes(':') && text.split(':').length <= 8;
}
