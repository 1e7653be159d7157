import { describe, expect, it } from 'vitest';
import { addForwardedHeaders, peerAddress } from '@durable-recovery/functions-local-host';
import { clientAddress } from '../../../functions/http/request-origin';

const headersOf = (values: Record<string, string>) => ({ headers: new Headers(values) });

describe('forwarded headers (local host, as App Service front end)', () => {
  it('when a request comes without X-Forwarded-For, then the peer address is set as X-Forwarded-For and X-Client-IP', () => {
    const headers: Record<string, string> = {};
    addForwardedHeaders(headers, '::ffff:127.0.0.1');
    expect(headers).toEqual({ 'x-forwarded-for': '127.0.0.1', 'x-client-ip': '127.0.0.1' });
  });

  it('when a client sends its own X-Forwarded-For and X-Client-IP, then the peer is appended and X-Client-IP overwritten', () => {
    const headers: Record<string, string> = { 'x-forwarded-for': '198.51.100.9', 'x-client-ip': '10.0.0.1' };
    addForwardedHeaders(headers, '127.0.0.1');
    expect(headers).toEqual({ 'x-forwarded-for': '198.51.100.9, 127.0.0.1', 'x-client-ip': '127.0.0.1' });
  });

  it('when the socket has no address (closed), then the hop is "unknown" rather than missing', () => {
    expect(peerAddress(undefined)).toBe('unknown');
    expect(peerAddress('::1')).toBe('::1');
  });
});

describe('clientAddress (the audit\'s "from where")', () => {
  it('when a client forges the first X-Forwarded-For hop, then the address is the hop the front end added', () => {
    expect(clientAddress(headersOf({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7:51234' }))).toEqual({
      ip: '203.0.113.7',
      forwardedFor: '6.6.6.6, 203.0.113.7:51234',
    });
  });

  it('when X-Client-IP is present, then it wins; with a single hop no chain is recorded', () => {
    expect(
      clientAddress(headersOf({ 'x-forwarded-for': '203.0.113.7', 'x-client-ip': '203.0.113.7' })),
    ).toEqual({ ip: '203.0.113.7' });
  });

  it('when nothing says where the request came from, then the record says so instead of staying empty', () => {
    expect(clientAddress(headersOf({}))).toEqual({ ip: 'unknown (no X-Forwarded-For)' });
  });
});
