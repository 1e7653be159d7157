// Maps a request path and method to an HTTP-triggered function, the way the host's router does:
// `<routePrefix>/<route>` (route defaults to the function name), methods (default GET and POST),
// 404 when no route fits, 405 when a route fits but not its methods.
import type { HostFunction } from './extension';
import { HostStartError } from './host-start-error';
import { compareRoutes, matchRoute, parseRouteTemplate, type RouteTemplate } from './route-template';

export interface HttpRoute {
  function: HostFunction;
  template: RouteTemplate;
  /** Upper-case methods, or undefined for any method. */
  methods: string[] | undefined;
  authLevel: 'anonymous' | 'function' | 'admin';
  /** Path including the prefix, e.g. `api/items/{id:int}` (for listings). */
  displayPath: string;
}

export type RouteMatch =
  | { kind: 'found'; route: HttpRoute; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

/** host.json `extensions.http.routePrefix`; the default is `api`, empty string means none. */
export function routePrefixOf(hostJson: Record<string, unknown>): string {
  const http = (hostJson.extensions as { http?: { routePrefix?: unknown } } | undefined)?.http;
  const prefix = typeof http?.routePrefix === 'string' ? http.routePrefix : 'api';
  return prefix.replace(/^\/+|\/+$/g, '');
}

function authLevelOf(fn: HostFunction): HttpRoute['authLevel'] {
  const level = (typeof fn.trigger.authLevel === 'string' ? fn.trigger.authLevel : 'anonymous').toLowerCase();
  if (level === 'anonymous' || level === 'function' || level === 'admin') return level;
  // `system` is accepted by the host as admin-equivalent for user functions.
  if (level === 'system') return 'admin';
  throw new HostStartError(
    `function "${fn.name}": authLevel "${level}" must be anonymous, function or admin`,
  );
}

export function toHttpRoute(fn: HostFunction, routePrefix: string): HttpRoute {
  const route =
    typeof fn.trigger.route === 'string' && fn.trigger.route.trim() !== '' ? fn.trigger.route : fn.name;
  const methods = Array.isArray(fn.trigger.methods)
    ? (fn.trigger.methods as unknown[]).map((m) => String(m).toUpperCase())
    : undefined;
  return {
    function: fn,
    template: parseRouteTemplate(route, `function "${fn.name}" route "${route}"`),
    methods: methods && methods.length > 0 ? methods : undefined,
    authLevel: authLevelOf(fn),
    displayPath: [routePrefix, route.replace(/^\/+/, '')].filter((p) => p !== '').join('/'),
  };
}

export class HttpRouter {
  readonly routes: HttpRoute[];
  readonly prefixSegments: string[];

  constructor(functions: HostFunction[], routePrefix: string) {
    this.prefixSegments = routePrefix.split('/').filter((p) => p !== '');
    this.routes = functions
      .map((fn) => toHttpRoute(fn, routePrefix))
      .sort((a, b) => compareRoutes(a.template, b.template));
  }

  /** `pathname` is the raw URL path; segments are percent-decoded before matching. */
  match(method: string, pathname: string): RouteMatch {
    let segments: string[];
    try {
      segments = pathname
        .split('/')
        .filter((p) => p !== '')
        .map(decodeURIComponent);
    } catch {
      return { kind: 'not-found' };
    }
    const prefix = segments.slice(0, this.prefixSegments.length).map((s) => s.toLowerCase());
    if (prefix.join('/') !== this.prefixSegments.join('/').toLowerCase()) return { kind: 'not-found' };
    const rest = segments.slice(this.prefixSegments.length);
    const allow = new Set<string>();
    for (const route of this.routes) {
      const params = matchRoute(route.template, rest);
      if (!params) continue;
      const upper = method.toUpperCase();
      if (!route.methods || route.methods.includes(upper)) return { kind: 'found', route, params };
      route.methods.forEach((m) => allow.add(m));
    }
    return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow] } : { kind: 'not-found' };
  }
}
