import type { HttpRequest } from '@azure/functions';
import type { Principal } from '../../core/run/run-types';

// The one reading of who is signed in, for the API (decisions, approvals, run owners) and the approval
// page alike. Precedence, first found wins:
//   id:   x-ms-client-principal-id, then the claims objectidentifier, oid, nameidentifier
//   name: x-ms-client-principal-name, then the claims preferred_username, name, (xmlsoap) name
// The separate headers come first: the platform sets them from the same token it encodes, and they
// are what App Service documents. Both an id and a name are needed: no stable id, nobody signed in.
const idClaims = [
  'http://schemas.microsoft.com/identity/claims/objectidentifier',
  'oid',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
];
const nameClaims = [
  'preferred_username',
  'name',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
];

interface EncodedPrincipal {
  claims?: { typ?: unknown; val?: unknown }[];
}

function claim(principal: EncodedPrincipal, types: string[]): string | undefined {
  for (const type of types) {
    const found = principal.claims?.find((c) => c.typ === type && typeof c.val === 'string' && c.val !== '');
    if (found) return found.val as string;
  }
  return undefined;
}

/** `x-ms-client-principal` decoded; `undefined` when it is there but not base64 JSON (fail closed). */
function decoded(request: Pick<HttpRequest, 'headers'>): EncodedPrincipal | undefined {
  const encoded = request.headers.get('x-ms-client-principal');
  if (!encoded) return {};
  try {
    const value = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The signed-in user, from the headers App Service Authentication adds (the platform strips
 * client-sent copies, and so does the local host's emulation). Undefined when nobody signed in.
 */
export function principalOf(request: Pick<HttpRequest, 'headers'>): Principal | undefined {
  const headerId = request.headers.get('x-ms-client-principal-id') || undefined;
  const headerName = request.headers.get('x-ms-client-principal-name') || undefined;
  if (headerId && headerName) return { id: headerId, name: headerName };
  const claims = decoded(request);
  if (!claims) return undefined;
  const id = headerId ?? claim(claims, idClaims);
  const name = headerName ?? claim(claims, nameClaims);
  return id && name ? { id, name } : undefined;
}

export { KEY_HOLDER as keyHolder } from '../../core/run/run-types';
