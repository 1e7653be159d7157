import { describe, expect, it } from 'vitest';
import { readApprovalSettings, readNotifySettings } from '../../../adapters/notify/notify-settings';

const key = 'k'.repeat(32);

describe('approval settings', () => {
  it('when the key and host are set, then links default to the app host and sign-in to Entra ID', () => {
    const read = readApprovalSettings({
      APPROVAL_SIGNING_KEY: key,
      WEBSITE_HOSTNAME: 'dr-func.azurewebsites.net',
    });
    expect(read).toMatchObject({
      ok: true,
      settings: { publicBaseUrl: 'https://dr-func.azurewebsites.net', loginPath: '/.auth/login/aad' },
    });
    const local = readApprovalSettings({ APPROVAL_SIGNING_KEY: key, WEBSITE_HOSTNAME: 'localhost:7071' });
    expect(local).toMatchObject({ ok: true, settings: { publicBaseUrl: 'http://localhost:7071' } });
  });

  it('when settings are missing or wrong, then every problem names its setting and rule', () => {
    const read = readApprovalSettings({
      APPROVAL_SIGNING_KEY: 'short',
      APPROVAL_PUBLIC_BASE_URL: 'http://dr.contoso.com',
      APPROVAL_LOGIN_PATH: 'https://evil.example/login',
    });
    expect(read).toEqual({
      ok: false,
      errors: [
        'APPROVAL_SIGNING_KEY: must be at least 32 bytes, got 5',
        'APPROVAL_LOGIN_PATH: must be /.auth/login/<provider>, e.g. /.auth/login/aad',
        'APPROVAL_PUBLIC_BASE_URL: must be an https URL (http only for localhost/127.0.0.1/[::1])',
      ],
    });
    expect(readApprovalSettings({ APPROVAL_SIGNING_KEY: key })).toEqual({
      ok: false,
      errors: ['PUBLIC_BASE_URL: required when WEBSITE_HOSTNAME is not set'],
    });
  });
});

describe('notify settings', () => {
  it('when the sink URL is set, then e-mail goes to the sink; with ACS settings, through ACS; else nowhere', () => {
    expect(readNotifySettings({ EMAIL_SINK_URL: 'http://127.0.0.1:7075/email' })).toMatchObject({
      ok: true,
      settings: { email: { kind: 'sink', url: 'http://127.0.0.1:7075/email' } },
    });
    const acs = readNotifySettings({
      ACS_EMAIL_CONNECTION_STRING: 'endpoint=https://dr.communication.azure.com/;accesskey=abc',
      EMAIL_SENDER_ADDRESS: 'DoNotReply@dr.contoso.com',
    });
    expect(acs).toMatchObject({
      ok: true,
      settings: { email: { kind: 'acs', sender: 'DoNotReply@dr.contoso.com' } },
    });
    expect(readNotifySettings({})).toEqual({
      ok: true,
      settings: { teamsWebhooks: {}, email: { kind: 'none' } },
    });
  });

  it('when Teams webhooks or ACS settings are malformed, then the errors name the setting', () => {
    expect(readNotifySettings({ TEAMS_WEBHOOK_URLS: '["x"]' })).toEqual({
      ok: false,
      errors: ['TEAMS_WEBHOOK_URLS: must be a JSON object of approver group → Workflows webhook URL'],
    });
    expect(readNotifySettings({ TEAMS_WEBHOOK_URLS: '{"dr-leads":"http://example.com/hook"}' })).toEqual({
      ok: false,
      errors: ['TEAMS_WEBHOOK_URLS.dr-leads: must be an https URL (http only for localhost/127.0.0.1)'],
    });
    const acs = readNotifySettings({ ACS_EMAIL_CONNECTION_STRING: 'nonsense' });
    expect(acs.ok).toBe(false);
    expect(acs.ok ? [] : acs.errors.map((e) => e.split(':')[0])).toEqual([
      'EMAIL_SENDER_ADDRESS',
      'ACS_EMAIL_CONNECTION_STRING',
    ]);
  });
});
