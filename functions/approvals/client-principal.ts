import type { HttpRequest } from '@azure/functions';
import type { Principal } from '../../core/run/run-types';

interface EncodedPrincipal {
  claims?: { typ?: unknown; val?: unknown }[];
}

const nameClaims = [
  'preferred_username',
  'name',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
];
const idClaims = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];

function claim(principal: EncodedPrincipal, types: string[]): string | undefined {
  for (const type of types) {
    const found = principal.claims?.find((c) => c.typ === type && typeof c.val === 'string' && c.val !== '');
    if (found) return found.val as string;
  }
  return undefined;
}

/**
 * The signed-in user from the headers App Service Authentication adds (and strips when a client sends
 * them; the local host's emulation does the same). Undefined when nobody is signed in: fail closed.
 */
export function signedInPrincipal(request: Pick<HttpRequest, 'headers'>): Principal | undefined {
  const encoded = request.headers.get('x-ms-client-principal');
  let decoded: EncodedPrincipal = {};
  if (encoded) {
    try {
      decoded = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as EncodedPrincipal;
    } catch {
      return undefined;
    }
  }
  const id = claim(decoded, idClaims) ?? request.headers.get('x-ms-client-principal-id') ?? undefined;
  const name = request.headers.get('x-ms-client-principal-name') ?? claim(decoded, nameClaims);
  return id && name ? { id, name } : undefined;
}

/** Where the request came from: the first X-Forwarded-For entry (App Service's front end sets it). */
export function clientAddress(request: Pick<HttpRequest, 'headers'>): string {
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  if (forwarded) return forwarded;
  return request.headers.get('x-client-ip') ?? 'unknown (no X-Forwarded-For)';
}
