/** Reads named segments of an ARM resource id (`…/replicationFabrics/{f}/…`), case-insensitively. */
export function armSegment(id: string, segment: string): string | undefined {
  const parts = id.split('/');
  const at = parts.findIndex((p) => p.toLowerCase() === segment.toLowerCase());
  return at >= 0 ? parts[at + 1] || undefined : undefined;
}

/** The last path segment of a URL or id, without query string (`…/operationresults/<job>?api…` → job). */
export function lastSegment(urlOrId: string): string {
  const path = urlOrId.split('?')[0] ?? '';
  return path.split('/').filter(Boolean).at(-1) ?? '';
}

/** The parts of a protected item's ARM id the SDK wants as separate arguments. */
export interface ItemPath {
  fabric: string;
  container: string;
  name: string;
}

export function itemPath(itemId: string): ItemPath | undefined {
  const fabric = armSegment(itemId, 'replicationFabrics');
  const container = armSegment(itemId, 'replicationProtectionContainers');
  const name = armSegment(itemId, 'replicationProtectedItems');
  return fabric && container && name ? { fabric, container, name } : undefined;
}
