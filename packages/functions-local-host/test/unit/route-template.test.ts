import { describe, expect, it } from 'vitest';
import { HostStartError } from '../../src/host-start-error';
import { HttpRouter, routePrefixOf } from '../../src/http-router';
import type { HostFunction } from '../../src/extension';
import { matchRoute, parseRouteTemplate } from '../../src/route-template';

const match = (template: string, path: string): Record<string, string> | undefined =>
  matchRoute(
    parseRouteTemplate(template, 'test'),
    path.split('/').filter((p) => p !== ''),
  );

function httpFunction(name: string, trigger: Record<string, unknown>): HostFunction {
  const binding = { name: 'req', type: 'httpTrigger', direction: 'in' as const, ...trigger };
  return { name, trigger: binding, bindings: [binding] };
}

describe('route templates', () => {
  it('when a template has literals and parameters, then literals match case-insensitively and parameters capture', () => {
    expect(match('Items/{id}', 'items/7')).toEqual({ id: '7' });
    expect(match('items/{id}', 'orders/7')).toBeUndefined();
    expect(match('items/{id}', 'items/7/extra')).toBeUndefined();
  });

  it('when a parameter is optional or has a default, then it may be left out', () => {
    expect(match('hello/{name?}', 'hello')).toEqual({});
    expect(match('page/{n=1}', 'page')).toEqual({ n: '1' });
    expect(match('page/{n=1}', 'page/3')).toEqual({ n: '3' });
  });

  it('when constraints are given, then only fitting values match', () => {
    expect(match('{id:int}', '12')).toEqual({ id: '12' });
    expect(match('{id:int}', '1.2')).toBeUndefined();
    expect(match('{id:guid}', '{0F8FAD5B-D9CB-469F-A165-70867728950E}')).toBeDefined();
    expect(match('{id:guid}', 'not-a-guid')).toBeUndefined();
    expect(match('{x:alpha}', 'abc')).toEqual({ x: 'abc' });
    expect(match('{x:alpha}', 'ab1')).toBeUndefined();
    expect(match('{n:range(1,5)}', '5')).toBeDefined();
    expect(match('{n:range(1,5)}', '6')).toBeUndefined();
    expect(match('{s:minlength(3)}', 'ab')).toBeUndefined();
    expect(match('{s:regex(^a+$)}', 'aaa')).toBeDefined();
    expect(match('{b:bool}', 'TRUE')).toBeDefined();
  });

  it('when a template ends in a catch-all, then it takes the rest of the path', () => {
    expect(match('files/{*path}', 'files/a/b')).toEqual({ path: 'a/b' });
    expect(match('files/{*path}', 'files')).toEqual({});
  });

  it('when a template is malformed, then parsing fails naming the rule', () => {
    expect(() => parseRouteTemplate('{*rest}/x', 'f')).toThrow(
      'f: the catch-all {*rest} must be the last segment',
    );
    expect(() => parseRouteTemplate('{a?}/{b}', 'f')).toThrow('optional parameter {a?} must be at the end');
    expect(() => parseRouteTemplate('{id:nope}', 'f')).toThrow(HostStartError);
    expect(() => parseRouteTemplate('a{b', 'f')).toThrow('segment "a{b" is not a literal or a {parameter}');
  });
});

describe('HTTP router', () => {
  const router = new HttpRouter(
    [
      httpFunction('byName', { route: 'items/{name}', methods: ['GET'] }),
      httpFunction('byId', { route: 'items/{id:int}', methods: ['GET'] }),
      httpFunction('special', { route: 'items/special', methods: ['GET'] }),
      httpFunction('anyMethod', {}),
    ],
    'api',
  );

  it('when several routes fit, then literals beat constrained parameters, which beat plain ones', () => {
    const found = (path: string): string | undefined => {
      const result = router.match('GET', path);
      return result.kind === 'found' ? result.route.function.name : undefined;
    };
    expect(found('/api/items/special')).toBe('special');
    expect(found('/api/items/42')).toBe('byId');
    expect(found('/api/items/widget')).toBe('byName');
  });

  it('when a function has no route or methods, then it is served at its name for any method', () => {
    expect(router.match('DELETE', '/api/anyMethod').kind).toBe('found');
    expect(router.match('GET', '/anyMethod').kind).toBe('not-found');
  });

  it('when the route fits but not the method, then the router says which methods would', () => {
    expect(router.match('POST', '/api/items/42')).toEqual({ kind: 'method-not-allowed', allow: ['GET'] });
  });

  it('when host.json sets a route prefix, then it is used; an empty prefix means none', () => {
    expect(routePrefixOf({})).toBe('api');
    expect(routePrefixOf({ extensions: { http: { routePrefix: '/v1/' } } })).toBe('v1');
    expect(routePrefixOf({ extensions: { http: { routePrefix: '' } } })).toBe('');
    expect(new HttpRouter([httpFunction('root', {})], '').match('GET', '/root').kind).toBe('found');
  });

  it('when a function has an unknown auth level, then the start fails naming it', () => {
    expect(() => new HttpRouter([httpFunction('f', { authLevel: 'owner' })], 'api')).toThrow(
      'function "f": authLevel "owner" must be anonymous, function or admin',
    );
  });
});
