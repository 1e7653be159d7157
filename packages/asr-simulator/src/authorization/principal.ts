/** Who a bearer token says the caller is: the object id RBAC checks, and the client id ARM names. */
export interface Principal {
  objectId: string;
  clientId: string;
}

/**
 * The principal of a bearer token. A JWT (Entra ID access token) names it in `oid` (and `appid`/`azp`
 * for the client); the simulator never checks signatures. Any other token is its own principal, so a
 * lab or test names an identity simply by the static token it sends (`DR_STATIC_TOKEN`).
 */
export function principalOf(token: string): Principal {
  const claims = jwtClaims(token);
  const objectId = stringClaim(claims, 'oid') ?? stringClaim(claims, 'sub');
  if (objectId) {
    const clientId = stringClaim(claims, 'appid') ?? stringClaim(claims, 'azp') ?? objectId;
    return { objectId, clientId };
  }
  return { objectId: token, clientId: token };
}

function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringClaim(claims: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = claims?.[name];
  return typeof value === 'string' && value ? value : undefined;
}
