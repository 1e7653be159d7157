// Strict IP address parsing for the outbound-target policy. core/ may not import node:net, and the
// policy must not depend on how lenient a parser is: anything that is not an exact dotted quad or a
// well-formed IPv6 address is "not an address" (and the policy treats it as a name or refuses it).

/** An IPv4 address as an unsigned 32-bit number, or undefined when `text` is not a strict dotted quad. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    // No leading zeros: "010" is octal to some parsers and decimal to others, so it is neither here.
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const byte = Number(part);
    if (byte > 255) return undefined;
    value = value * 256 + byte;
  }
  return value;
}

/**
 * An IPv6 address as its eight 16-bit groups, or undefined. Accepts `::` compression, a trailing dotted
 * quad (`::ffff:1.2.3.4`) and a zone id (`fe80::1%eth0`, dropped: the zone does not change the range).
 */
export function parseIpv6(text: string): number[] | undefined {
  const address = text.replace(/%[0-9a-z._~-]+$/i, '');
  if (!/^[0-9a-f:.]+$/i.test(address)) return undefined;
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = groupsOf(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '', true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...new Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
}

/** The groups of one side of `::`; a dotted quad is allowed only as the very last part of the address. */
function groupsOf(side: string, mayEndWithIpv4: boolean): number[] | undefined {
  if (side === '') return [];
  const pieces = side.split(':');
  const groups: number[] = [];
  for (const [i, piece] of pieces.entries()) {
    if (piece.includes('.')) {
      const v4 = i === pieces.length - 1 && mayEndWithIpv4 ? parseIpv4(piece) : undefined;
      if (v4 === undefined) return undefined;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
    } else if (/^[0-9a-f]{1,4}$/i.test(piece)) groups.push(parseInt(piece, 16));
    else return undefined;
  }
  return groups;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
