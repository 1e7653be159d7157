// ASP.NET Core route templates as the Functions host uses them for HTTP triggers: literal segments
// (case-insensitive), `{name}`, `{name?}`, `{name=default}`, inline constraints (`{id:int}`,
// `{id:guid}`, `{x:alpha}`, `{n:range(1,9)}`, `{s:regex(^a+$)}` …) and a final catch-all `{*rest}`.
import { HostStartError } from './host-start-error';

type Constraint = (value: string) => boolean;

interface Segment {
  literal?: string;
  name?: string;
  optional?: boolean;
  catchAll?: boolean;
  defaultValue?: string;
  constraints: Constraint[];
}

export interface RouteTemplate {
  template: string;
  segments: Segment[];
  /** Lower sorts first: literal segments before constrained parameters before plain ones before catch-alls. */
  precedence: number[];
}

const guidPattern = /^[0-9a-f]{8}(-?)[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{12}$/i;
const numberPattern = /^-?\d+(\.\d+)?$/;
function constraintOf(spec: string, where: string): Constraint {
  const match = /^(\w+)(?:\((.*)\))?$/s.exec(spec);
  const args = (match?.[2] ?? '').split(',').map((s) => s.trim());
  const n = args.map(Number);
  switch (match?.[1]?.toLowerCase()) {
    case 'int':
    case 'long':
      return (v) => /^-?\d+$/.test(v);
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'guid':
      // Guid.TryParse formats N, D, B and P.
      return (v) => guidPattern.test(v.replace(/^\{(.*)\}$|^\((.*)\)$/, '$1$2'));
    case 'alpha':
      return (v) => /^[a-z]+$/i.test(v);
    case 'decimal':
    case 'double':
    case 'float':
      return (v) => numberPattern.test(v);
    case 'datetime':
      return (v) => !Number.isNaN(Date.parse(v));
    case 'min':
      return (v) => /^-?\d+$/.test(v) && Number(v) >= (n[0] ?? 0);
    case 'max':
      return (v) => /^-?\d+$/.test(v) && Number(v) <= (n[0] ?? 0);
    case 'range':
      return (v) => /^-?\d+$/.test(v) && Number(v) >= (n[0] ?? 0) && Number(v) <= (n[1] ?? 0);
    case 'length':
      return n.length > 1
        ? (v) => v.length >= (n[0] ?? 0) && v.length <= (n[1] ?? 0)
        : (v) => v.length === n[0];
    case 'minlength':
      return (v) => v.length >= (n[0] ?? 0);
    case 'maxlength':
      return (v) => v.length <= (n[0] ?? 0);
    case 'regex': {
      const pattern = new RegExp(match?.[2] ?? '', 'i');
      return (v) => pattern.test(v);
    }
    default:
      throw new HostStartError(`${where}: unknown route constraint "${spec}"`);
  }
}

function parseSegment(text: string, where: string, isLast: boolean): Segment {
  const param = /^\{(\*{1,2})?([A-Za-z_][\w]*)((?::(?:[^:{}()]|\([^)]*\))+)*)(\?)?(?:=([^}]*))?\}$/.exec(
    text,
  );
  if (!param) {
    if (/[{}]/.test(text))
      throw new HostStartError(`${where}: segment "${text}" is not a literal or a {parameter}`);
    return { literal: text.toLowerCase(), constraints: [] };
  }
  const [, star, name, constraintText, optional, defaultValue] = param;
  if (star && !isLast)
    throw new HostStartError(`${where}: the catch-all {*${name}} must be the last segment`);
  const specs = (constraintText ?? '').match(/:((?:[^:()]|\([^)]*\))+)/g) ?? [];
  return {
    name,
    optional: optional === '?' || Boolean(star),
    catchAll: Boolean(star),
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    constraints: specs.map((s) => constraintOf(s.slice(1), where)),
  };
}

/** Parses a route template (without the route prefix); errors name the function and the rule broken. */
export function parseRouteTemplate(template: string, where: string): RouteTemplate {
  const parts = template.split('/').filter((p) => p !== '');
  const segments = parts.map((part, i) => parseSegment(part, where, i === parts.length - 1));
  segments.forEach((segment, i) => {
    const later = segments.slice(i + 1);
    if (
      segment.optional &&
      !segment.catchAll &&
      later.some((s) => !s.optional && s.defaultValue === undefined)
    ) {
      throw new HostStartError(
        `${where}: optional parameter {${segment.name}?} must be at the end of the route`,
      );
    }
  });
  const precedence = segments.map((s) =>
    s.literal !== undefined ? 0 : s.catchAll ? 4 : s.optional ? 3 : s.constraints.length > 0 ? 1 : 2,
  );
  return { template, segments, precedence };
}

/** Matches decoded path segments; returns the route params, or undefined when the path does not fit. */
export function matchRoute(route: RouteTemplate, pathSegments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i] as Segment;
    if (segment.catchAll) {
      const rest = pathSegments.slice(i).join('/');
      if (rest !== '') params[segment.name as string] = rest;
      return params;
    }
    const value = pathSegments[i];
    if (value === undefined) {
      if (!segment.optional && segment.defaultValue === undefined) return undefined;
      if (segment.defaultValue !== undefined) params[segment.name as string] = segment.defaultValue;
      continue;
    }
    if (segment.literal !== undefined) {
      if (value.toLowerCase() !== segment.literal) return undefined;
      continue;
    }
    if (!segment.constraints.every((c) => c(value))) return undefined;
    params[segment.name as string] = value;
  }
  return pathSegments.length <= route.segments.length ? params : undefined;
}

/** Orders routes as ASP.NET does: compare segment precedence left to right, then longer first. */
export function compareRoutes(a: RouteTemplate, b: RouteTemplate): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.precedence[i] ?? 5) - (b.precedence[i] ?? 5);
    if (diff !== 0) return diff;
  }
  return a.template.localeCompare(b.template);
}
