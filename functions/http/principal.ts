import type { HttpRequest } from '@azure/functions';
import type { Principal } from '../../core/run/run-types';

const nameClaims = [
  'name',
  'preferred_username',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
];
const idClaims = [
  'http://schemas.microsoft.com/identity/claims/objectidentifier',
  'oid',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
];

interface ClientPrincipal {
  claims?: { typ?: unknown; val?: unknown }[];
}

function claim(principal: ClientPrincipal, types: string[]): string | undefined {
  for (const type of types) {
    const found = principal.claims?.find((c) => c.typ === type && typeof c.val === 'string' && c.val !== '');
    if (found) return found.val as string;
  }
  return undefined;
}

/**
 * The signed-in user, from the headers App Service Authentication adds (the platform strips
 * client-sent copies, and so does the local host's emulation). Undefined when nobody signed in.
 */
export function principalOf(request: Pick<HttpRequest, 'headers'>): Principal | undefined {
  const id = request.headers.get('x-ms-client-principal-id');
  const name = request.headers.get('x-ms-client-principal-name');
  if (id && name) return { id, name };
  const encoded = request.headers.get('x-ms-client-principal');
  if (!encoded) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as ClientPrincipal;
    const claimName = name ?? claim(decoded, nameClaims);
    const claimId = id ?? claim(decoded, idClaims) ?? claimName;
    return claimName && claimId ? { id: claimId, name: claimName } : undefined;
  } catch {
    return undefined;
  }
}

export { KEY_HOLDER as keyHolder } from '../../core/run/run-types';
