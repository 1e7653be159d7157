// IP address forms, without node:net (core/ imports nothing outside core/ but zod and yaml).

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isV6(value: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(value) || value.length < 2) return false;
  const double = value.split('::');
  if (double.length > 2) return false;
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const all = double.flatMap(groups);
  const last = all[all.length - 1];
  const hasV4 = last !== undefined && last.includes('.');
  if (hasV4 && !V4.test(last)) return false;
  const hexGroups = hasV4 ? all.slice(0, -1) : all;
  if (!hexGroups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = hexGroups.length + (hasV4 ? 2 : 0);
  return double.length === 2 ? count < 8 : count === 8;
}

/** 4 for an IPv4 address, 6 for IPv6, 0 otherwise (as node:net isIP). */
export function isIP(value: string): 0 | 4 | 6 {
  if (V4.test(value)) return 4;
  return isV6(value) ? 6 : 0;
}
