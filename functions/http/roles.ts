import type { HttpRequest } from '@azure/functions';
import { ApiError } from '../../core/api/api-error';
import { principalOf } from './principal';

// App roles of the people who sign in (App Service Authentication puts the app registration's roles
// in the `roles` claim of x-ms-client-principal). viewer reads; operator also uploads plans, starts and
// cancels runs; approver also answers approvals and `ask` decisions for the plan's approver groups.
// Function keys are for automation and carry no person: they keep full access.
export const ROLES = ['viewer', 'operator', 'approver'] as const;
export type Role = (typeof ROLES)[number];

/** Who may do what a route needs: operator and approver include viewer. */
const GRANTS: Record<Role, readonly Role[]> = {
  viewer: ['viewer', 'operator', 'approver'],
  operator: ['operator'],
  approver: ['approver'],
};

const roleClaims = ['roles', 'role', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];

interface EncodedPrincipal {
  role_typ?: unknown;
  claims?: { typ?: unknown; val?: unknown }[];
}

/** The app roles of the signed-in person (lower-cased, known ones only); [] when none or nobody. */
export function rolesOf(request: Pick<HttpRequest, 'headers'>): Role[] {
  const encoded = request.headers.get('x-ms-client-principal');
  if (!encoded) return [];
  let principal: EncodedPrincipal;
  try {
    principal = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as EncodedPrincipal;
  } catch {
    return [];
  }
  if (typeof principal !== 'object' || principal === null || !Array.isArray(principal.claims)) return [];
  const types = typeof principal.role_typ === 'string' ? [principal.role_typ, ...roleClaims] : roleClaims;
  const found = new Set<Role>();
  for (const c of principal.claims) {
    if (typeof c.typ !== 'string' || !types.includes(c.typ) || typeof c.val !== 'string') continue;
    const role = c.val.trim().toLowerCase();
    if ((ROLES as readonly string[]).includes(role)) found.add(role as Role);
  }
  return ROLES.filter((r) => found.has(r));
}

/** True when someone holding `held` may do what needs `needed`. */
export function grants(held: readonly Role[], needed: Role): boolean {
  return held.some((role) => GRANTS[needed].includes(role));
}

/** What a route is for, in the 403 message. */
const PURPOSE: Record<Role, string> = {
  viewer: 'reading plans, runs, reports and drills',
  operator: 'uploading plans, starting and cancelling runs',
  approver: 'answering approvals and decisions',
};

/**
 * How the request reached the app: `key` (a function key; the host checked it) or `session` (the
 * sign-in routes the console calls: anonymous at the host, so the app needs a signed-in person).
 * A signed-in person needs the route's role either way; a key without a person has full access.
 */
export type Access = 'key' | 'session';

/** Throws 401 `unauthenticated` or 403 `needs-<role>` when the request may not use a route needing `role`. */
export function assertRole(request: Pick<HttpRequest, 'headers'>, role: Role, access: Access): void {
  const principal = principalOf(request);
  if (!principal) {
    if (access === 'key') return;
    throw new ApiError(
      401,
      'unauthenticated',
      'x-ms-client-principal: sign in first (App Service Authentication)',
    );
  }
  const held = rolesOf(request);
  if (grants(held, role)) return;
  throw new ApiError(
    403,
    `needs-${role}`,
    `roles: ${principal.name} holds ${held.length ? held.join(', ') : 'no app role'}; the ${role} role is needed for ${PURPOSE[role]}`,
    { requiredRole: role, roles: held },
  );
}
