import type { ArmRequest, ArmResponse } from './route-table';

/** Reads `api-version` back from the request, so URLs the simulator hands out keep the client's version. */
export function apiVersionOf(req: ArmRequest): string {
  return req.query.get('api-version') ?? '';
}

/**
 * One page of a collection with an absolute `nextLink` that carries api-version (the SDK follows it
 * verbatim). The page offset travels in `$skiptoken`; other query parameters ($filter) are kept.
 */
export function page(req: ArmRequest, values: unknown[], pageSize = 100): ArmResponse {
  const offset = Number.parseInt(req.query.get('$skiptoken') ?? '0', 10) || 0;
  const slice = values.slice(offset, offset + pageSize);
  let nextLink: string | undefined;
  if (offset + pageSize < values.length) {
    const query = new URLSearchParams(req.query);
    query.set('$skiptoken', String(offset + pageSize));
    nextLink = `${req.origin}${req.path}?${query.toString()}`;
  }
  return { status: 200, body: { value: slice, ...(nextLink ? { nextLink } : {}) } };
}

export const ok = (body: unknown, target?: string): ArmResponse => ({ status: 200, body, target });

/**
 * Simple OData `$filter` reading: `name eq 'value'` clauses joined by `and`. Unknown fields are kept
 * for the caller to ignore, as the service ignores clauses it does not filter on.
 */
export function filterClauses(filter: string | null): Map<string, string> {
  const clauses = new Map<string, string>();
  if (!filter) return clauses;
  for (const match of filter.matchAll(/(\w+)\s+(eq|ge|le|gt|lt)\s+'([^']*)'/gi))
    clauses.set(
      `${match[1]!.toLowerCase()}${match[2]!.toLowerCase() === 'eq' ? '' : `:${match[2]!.toLowerCase()}`}`,
      match[3]!,
    );
  return clauses;
}
