import type { IncomingHttpHeaders } from 'node:http';

/** What a handler gets: path parameters (original case), query, parsed JSON body and headers. */
export interface ArmRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** `https://127.0.0.1:<port>`: every URL the simulator hands out is absolute and points here. */
  origin: string;
}

/** What a handler answers. `text` sends text/plain (Automation job output); otherwise `body` is JSON. */
export interface ArmResponse {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /** Ledger outcome; defaults from the status. */
  outcome?: string;
  /** VM / plan / job name for the ledger. */
  target?: string;
}

export interface Route {
  method: string;
  /** Lower-case template, `{name}` for a parameter, e.g. `/subscriptions/{sub}/…`. */
  template: string;
  /** Logical operation for ledger, counters and faults, e.g. `ReplicationProtectedItems.TestFailover`. */
  operation: string;
  /** api-versions accepted on this route. */
  apiVersions: readonly string[];
  handle(req: ArmRequest): ArmResponse | Promise<ArmResponse>;
}

interface CompiledRoute extends Route {
  segments: { literal?: string; param?: string }[];
}

/** Matches ARM paths case-insensitively by segment (ARM ids come back as `/Subscriptions/…`). */
export class RouteTable {
  private readonly routes: CompiledRoute[] = [];

  add(route: Route): void {
    const segments = route.template
      .split('/')
      .filter(Boolean)
      .map((part) => (part.startsWith('{') ? { param: part.slice(1, -1) } : { literal: part.toLowerCase() }));
    this.routes.push({ ...route, segments });
  }

  /** The route for this method and path, or the operations that exist on the path (for a 405). */
  match(
    method: string,
    path: string,
  ): { route: CompiledRoute; params: Record<string, string> } | { allowed: string[] } {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const allowed: string[] = [];
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const ok = route.segments.every((segment, i) => {
        const part = parts[i] ?? '';
        if (segment.param) {
          params[segment.param] = part;
          return part.length > 0;
        }
        return segment.literal === part.toLowerCase();
      });
      if (!ok) continue;
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    return { allowed };
  }
}
