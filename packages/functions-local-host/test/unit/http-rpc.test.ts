import { describe, expect, it } from 'vitest';
import type { HostHttpRequest } from '../../src/extension';
import { toRpcHttpRequest, toSetCookie, typedDataBytes } from '../../src/http-rpc';

const request = (method: string, url: string, body = ''): HostHttpRequest => ({
  method,
  url: new URL(url),
  headers: { 'content-type': 'text/plain' },
  body: Buffer.from(body),
});

describe('HTTP ↔ worker protocol', () => {
  it('when a query key repeats, then the values are joined with commas as the host does', () => {
    const rpc = toRpcHttpRequest(request('POST', 'http://h/api/x?a=1&a=2&b=3', 'hi'), { id: '7' })
      .http as Record<string, unknown>;
    expect(rpc.query).toEqual({ a: '1,2', b: '3' });
    expect(rpc.params).toEqual({ id: '7' });
    expect(rpc.body).toEqual({ bytes: new Uint8Array(Buffer.from('hi')) });
  });

  it('when the method is GET or HEAD, then no body is sent to the function', () => {
    const rpc = toRpcHttpRequest(request('GET', 'http://h/api/x', 'ignored'), {}).http as Record<
      string,
      unknown
    >;
    expect(rpc.body).toBeUndefined();
  });

  it('when a cookie has every attribute, then Set-Cookie carries them in RFC 6265 form', () => {
    expect(
      toSetCookie({
        name: 'sid',
        value: 'v',
        domain: { value: 'example.test' },
        path: { value: '/' },
        expires: { value: { seconds: 0 } },
        secure: { value: true },
        httpOnly: { value: true },
        sameSite: 'explicitNone',
        maxAge: { value: 10 },
      }),
    ).toBe(
      'sid=v; Domain=example.test; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=10; Secure; HttpOnly; SameSite=None',
    );
  });

  it('when a body is typed data of any kind, then its bytes are what is sent', () => {
    expect(typedDataBytes({ bytes: new Uint8Array([0, 255]) })).toEqual(Buffer.from([0, 255]));
    expect(typedDataBytes({ string: 'é' }).toString()).toBe('é');
    expect(typedDataBytes(undefined).length).toBe(0);
  });
});
