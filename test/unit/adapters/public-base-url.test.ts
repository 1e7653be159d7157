import { describe, expect, it } from 'vitest';
import { ConfigError, loadAppConfig } from '../../../adapters/config/app-config';
import { readPublicBaseUrl } from '../../../adapters/config/public-base-url';
import { readApprovalSettings } from '../../../adapters/notify/notify-settings';

const storage = 'UseDevelopmentStorage=true';

describe('the public base URL', () => {
  it('when PUBLIC_BASE_URL is set, then it wins over the older name and the app host name, without its trailing slash', () => {
    expect(
      readPublicBaseUrl({
        PUBLIC_BASE_URL: 'https://dr.contoso.com/',
        APPROVAL_PUBLIC_BASE_URL: 'https://old.contoso.com',
        WEBSITE_HOSTNAME: 'dr-func.azurewebsites.net',
      }),
    ).toEqual({ ok: true, url: 'https://dr.contoso.com' });
    expect(readPublicBaseUrl({ PUBLIC_BASE_URL: 'https://gw.contoso.com/dr/' })).toEqual({
      ok: true,
      url: 'https://gw.contoso.com/dr',
    });
  });

  it('when only the older APPROVAL_PUBLIC_BASE_URL or the platform host name is set, then that is used', () => {
    expect(readPublicBaseUrl({ APPROVAL_PUBLIC_BASE_URL: 'https://old.contoso.com' })).toEqual({
      ok: true,
      url: 'https://old.contoso.com',
    });
    expect(readPublicBaseUrl({ WEBSITE_HOSTNAME: 'dr-func.azurewebsites.net' })).toEqual({
      ok: true,
      url: 'https://dr-func.azurewebsites.net',
    });
    expect(readPublicBaseUrl({ WEBSITE_HOSTNAME: 'localhost:7071' })).toEqual({
      ok: true,
      url: 'http://localhost:7071',
    });
  });

  it('when nothing names it, then there is none and links stay relative', () => {
    expect(readPublicBaseUrl({})).toEqual({ ok: true, url: undefined });
  });

  it('when the value is not an https origin (http only on loopback), then the error names the setting and the rule', () => {
    const cases: [string, RegExp][] = [
      ['http://dr.contoso.com', /^PUBLIC_BASE_URL: must be an https URL/],
      ['dr.contoso.com', /^PUBLIC_BASE_URL: must be an absolute URL/],
      ['https://dr.contoso.com/?next=evil', /^PUBLIC_BASE_URL: must be an origin with an optional path/],
      ['https://user:pw@dr.contoso.com', /^PUBLIC_BASE_URL: must be an origin with an optional path/],
      ['javascript:alert(1)', /^PUBLIC_BASE_URL: must be an https URL/],
    ];
    for (const [value, message] of cases) {
      const read = readPublicBaseUrl({ PUBLIC_BASE_URL: value });
      expect(read.ok, value).toBe(false);
      expect(read.ok ? '' : read.error, value).toMatch(message);
    }
    expect(readPublicBaseUrl({ PUBLIC_BASE_URL: 'http://127.0.0.1:7071' })).toEqual({
      ok: true,
      url: 'http://127.0.0.1:7071',
    });
  });

  it('when PUBLIC_BASE_URL is invalid, then the app refuses to start naming it', () => {
    expect(() =>
      loadAppConfig({ AzureWebJobsStorage: storage, PUBLIC_BASE_URL: 'http://dr.contoso.com' }),
    ).toThrow(ConfigError);
    try {
      loadAppConfig({ AzureWebJobsStorage: storage, PUBLIC_BASE_URL: 'http://dr.contoso.com' });
    } catch (error) {
      expect((error as ConfigError).problems[0]).toMatch(/^PUBLIC_BASE_URL: must be an https URL/);
    }
    expect(
      loadAppConfig({ AzureWebJobsStorage: storage, PUBLIC_BASE_URL: 'https://dr.contoso.com/' })
        .publicBaseUrl,
    ).toBe('https://dr.contoso.com');
  });

  it('when PUBLIC_BASE_URL is set, then approval links use it too', () => {
    const read = readApprovalSettings({
      APPROVAL_SIGNING_KEY: 'k'.repeat(32),
      PUBLIC_BASE_URL: 'https://dr.contoso.com',
      WEBSITE_HOSTNAME: 'dr-func.azurewebsites.net',
    });
    expect(read).toMatchObject({ ok: true, settings: { publicBaseUrl: 'https://dr.contoso.com' } });
  });
});
