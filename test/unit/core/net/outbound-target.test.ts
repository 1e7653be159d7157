import { describe, expect, it } from 'vitest';
import {
  checkOutboundAddress,
  checkOutboundUrl,
  parseAllowedTargets,
} from '../../../../core/net/outbound-target';

// The one policy for requests made on a plan's behalf: every spelling of the host, private networks and
// metadata is refused; public https is allowed; only an explicit allowlist entry makes an exception.

const refusedUrls: [form: string, url: string][] = [
  ['loopback', 'https://127.0.0.1/'],
  ['loopback, elsewhere in 127/8', 'https://127.45.6.7/'],
  ['loopback, decimal', 'http://2130706433/'],
  ['loopback, octal', 'http://0177.0.0.1/'],
  ['loopback, hex', 'http://0x7f.1/'],
  ['loopback, short form', 'https://127.1/'],
  ['loopback, percent-encoded', 'https://%31%32%37.0.0.1/'],
  ['loopback, full-width digits', 'https://１２７.０.０.１/'],
  ['loopback, trailing dot', 'https://127.0.0.1./'],
  ['IPv6 loopback', 'https://[::1]/'],
  ['IPv6 loopback, long form', 'https://[0:0:0:0:0:0:0:1]/'],
  ['localhost', 'https://localhost/'],
  ['localhost, upper case with dot', 'https://LOCALHOST./'],
  ['*.localhost', 'https://durable.localhost/'],
  ['unspecified', 'https://0.0.0.0/'],
  ['unspecified, short', 'https://0/'],
  ['unspecified IPv6', 'https://[::]/'],
  ['private 10/8', 'https://10.1.2.3/'],
  ['private 172.16/12', 'https://172.31.255.1/'],
  ['private 192.168/16', 'https://192.168.0.10/'],
  ['unique-local fc00::/7', 'https://[fd12:3456::1]/'],
  ['link-local metadata', 'http://169.254.169.254/metadata/identity/oauth2/token'],
  ['link-local metadata, decimal', 'http://2852039166/'],
  ['link-local IPv6', 'https://[fe80::1]/'],
  ['CGNAT 100.64/10', 'https://100.100.1.1/'],
  ['multicast', 'https://224.0.0.1/'],
  ['broadcast', 'https://255.255.255.255/'],
  ['documentation', 'https://192.0.2.10/'],
  ['IPv4-mapped metadata', 'https://[::ffff:169.254.169.254]/'],
  ['IPv4-mapped metadata, hex', 'https://[::ffff:a9fe:a9fe]/'],
  ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/'],
  ['IPv4-mapped private', 'https://[::ffff:10.0.0.1]/'],
  ['IPv4-translated loopback', 'https://[::ffff:0:7f00:1]/'],
  ['IPv4-compatible metadata', 'https://[::169.254.169.254]/'],
  ['IPv4-compatible loopback', 'https://[::127.0.0.1]/'],
  ['NAT64 metadata', 'https://[64:ff9b::169.254.169.254]/'],
  ['NAT64 loopback, hex', 'https://[64:ff9b::7f00:1]/'],
  ['6to4 loopback', 'https://[2002:7f00:1::]/'],
  ['Teredo', 'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/'],
];

describe('checkOutboundUrl', () => {
  it.each(refusedUrls)('when the target is %s (%s), then it is refused as url/private-target', (_, url) => {
    const verdict = checkOutboundUrl(url);
    expect(verdict).toMatchObject({ allowed: false, rule: 'url/private-target' });
    if (!verdict.allowed) expect(verdict.reason).toMatch(/may not reach the app's host or private networks/);
  });

  it.each([
    'https://shop.contoso.com/health',
    'https://8.8.8.8/',
    'https://[2606:4700:4700::1111]/',
    'https://[::ffff:8.8.8.8]/',
    'https://[64:ff9b::8.8.8.8]/',
    'https://prod-12.westeurope.logic.azure.com:443/workflows/x?sig=abc',
  ])('when the target is public https (%s), then it is allowed', (url) => {
    expect(checkOutboundUrl(url)).toEqual({ allowed: true, allowlisted: false });
  });

  it('when a public target uses plain http, then it is refused as url/https-required', () => {
    expect(checkOutboundUrl('http://shop.contoso.com/health')).toMatchObject({
      allowed: false,
      rule: 'url/https-required',
    });
  });

  it('when the exact origin is allowlisted, then http to loopback is allowed; another port, scheme or host is not', () => {
    const allow = ['http://127.0.0.1:7071'];
    expect(checkOutboundUrl('http://127.0.0.1:7071/api/health', allow)).toEqual({
      allowed: true,
      allowlisted: true,
    });
    for (const other of ['http://127.0.0.1:7072/', 'https://127.0.0.1:7071/', 'http://localhost:7071/'])
      expect(checkOutboundUrl(other, allow), other).toMatchObject({ allowed: false });
  });

  it('when an entry names a path, then only that path and below are allowed, and encoded tricks are not', () => {
    const allow = ['http://127.0.0.1:7071/api/health'];
    expect(checkOutboundUrl('http://127.0.0.1:7071/api/health', allow)).toMatchObject({ allowed: true });
    expect(checkOutboundUrl('http://127.0.0.1:7071/api/health/deep', allow)).toMatchObject({ allowed: true });
    for (const other of [
      'http://127.0.0.1:7071/runtime/webhooks/durabletask/instances/x/raiseEvent/approval',
      'http://127.0.0.1:7071/api/healthz',
      'http://127.0.0.1:7071/api/health/../../runtime/webhooks/durabletask',
      'http://127.0.0.1:7071/api/health/%2e%2e/%2e%2e/runtime',
      'http://127.0.0.1:7071/api/health%2f..%2f..%2fruntime',
    ])
      expect(checkOutboundUrl(other, allow), other).toMatchObject({ allowed: false });
  });

  it('when the URL is not absolute or not http(s), then it is url/format', () => {
    expect(checkOutboundUrl('/relative')).toMatchObject({ allowed: false, rule: 'url/format' });
    expect(checkOutboundUrl('file:///etc/passwd')).toMatchObject({ allowed: false, rule: 'url/format' });
  });
});

describe('checkOutboundAddress', () => {
  it.each([
    '127.0.0.1',
    '::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '169.254.169.254',
    'fe80::1%eth0',
    '10.0.0.5',
    'fd00:ec2::254',
    '0.0.0.0',
    '::',
    '64:ff9b::a9fe:a9fe',
    'not-an-address',
    '010.0.0.1',
  ])('when DNS returns %s, then the connection is refused', (address) => {
    expect(checkOutboundAddress(address)).toMatchObject({ allowed: false, rule: 'url/private-target' });
  });

  it.each(['20.50.2.1', '2603:1030::1'])('when DNS returns public %s, then it is allowed', (address) => {
    expect(checkOutboundAddress(address)).toEqual({ allowed: true, allowlisted: false });
  });
});

describe('parseAllowedTargets', () => {
  it('when the setting lists origins and paths, then they are kept; bad entries are named', () => {
    expect(
      parseAllowedTargets(' http://127.0.0.1:7071/api/health, https://hooks.internal.contoso.com ,,'),
    ).toEqual({
      targets: ['http://127.0.0.1:7071/api/health', 'https://hooks.internal.contoso.com'],
      errors: [],
    });
    expect(parseAllowedTargets('127.0.0.1:7071, http://x.example/?a=1, ftp://x.example').errors).toEqual([
      "'127.0.0.1:7071' is not an absolute URL",
      "'http://x.example/?a=1' must be an origin or origin/path, without credentials, query or fragment",
      "'ftp://x.example' must start with http:// or https://",
    ]);
  });
});
