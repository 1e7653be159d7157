/** The RBAC action a request needs and the scope ARM checks it on. */
export interface ArmActionRequest {
  /** e.g. `Microsoft.RecoveryServices/vaults/replicationJobs/read`, in the path's casing. */
  action: string;
  /** The resource (or collection) the request addresses, without the action segment. */
  scope: string;
}

const verbs: Record<string, string> = {
  GET: 'read',
  HEAD: 'read',
  PUT: 'write',
  PATCH: 'write',
  DELETE: 'delete',
};

/**
 * The action ARM derives from a request, as its authorization layer does: the provider namespace, the
 * resource types of the path (names dropped), then `read`/`write`/`delete` by method, or `<segment>/action`
 * for a POST on a resource. `GET …/vaults/v/replicationJobs` → `…/vaults/replicationJobs/read`;
 * `POST …/replicationProtectedItems/i/testFailover` → `…/replicationProtectedItems/testFailover/action`.
 * Undefined for paths outside a resource provider (no `/providers/<namespace>/`).
 */
export function armActionOf(method: string, path: string): ArmActionRequest | undefined {
  const parts = path.split('/').filter(Boolean);
  const at = parts.findIndex((part) => part.toLowerCase() === 'providers');
  const namespace = at >= 0 ? parts[at + 1] : undefined;
  if (!namespace) return undefined;
  const rest = parts.slice(at + 2);
  if (rest.length === 0) return undefined;
  // Pairs of type/name; an odd tail is a collection (GET) or an action on the resource before it (POST).
  const types = rest.filter((_, i) => i % 2 === 0);
  const upper = method.toUpperCase();
  const trailing = rest.length % 2 === 1;
  if (upper === 'POST') {
    if (!trailing) return { action: [namespace, ...types, 'action'].join('/'), scope: path };
    const segment = types.pop() ?? '';
    return {
      action: [namespace, ...types, segment, 'action'].join('/'),
      scope: `/${parts.slice(0, -1).join('/')}`,
    };
  }
  return { action: [namespace, ...types, verbs[upper] ?? 'action'].join('/'), scope: path };
}
