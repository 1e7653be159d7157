import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAdapters } from '../../../adapters/config/app-adapters';
import { ConfigError, loadAppConfig, settings } from '../../../adapters/config/app-config';

const storage =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;';

function problems(env: Record<string, string>): string[] {
  try {
    loadAppConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadAppConfig', () => {
  it('when only AzureWebJobsStorage is set, then every other setting takes its documented default', () => {
    const config = loadAppConfig({ AzureWebJobsStorage: storage });
    expect(config).toMatchObject({
      armEndpoint: 'https://management.azure.com',
      credential: 'default',
      container: 'durable-recovery',
      armMaxRetries: 3,
      itemIndexTtlSeconds: 300,
    });
    expect(config.webJobsStorage).toBe(storage);
  });

  it('when TRIGGER_SECRET is too short, then the start names the setting and the rule but never echoes the value', () => {
    const found = problems({ AzureWebJobsStorage: storage, TRIGGER_SECRET: 'short-secret-value' });
    expect(found).toEqual(['TRIGGER_SECRET: must be at least 32 characters']);
    expect(
      loadAppConfig({ AzureWebJobsStorage: storage, TRIGGER_SECRET: 'x'.repeat(32) }).triggerSecret,
    ).toBe('x'.repeat(32));
  });

  it('when the simulator settings are given, then they are parsed and typed (trailing slash dropped, numbers coerced)', () => {
    const config = loadAppConfig({
      DR_STORAGE: storage,
      DR_ARM_ENDPOINT: 'https://127.0.0.1:8443/',
      DR_CREDENTIAL: 'static-token',
      DR_ARM_MAX_RETRIES: '0',
    });
    expect(config).toMatchObject({
      armEndpoint: 'https://127.0.0.1:8443',
      credential: 'static-token',
      armMaxRetries: 0,
      storageConnection: storage,
    });
  });

  it('when settings are invalid, then one error names every variable and its rule, without echoing secrets', () => {
    const found = problems({
      AzureWebJobsStorage: 'secret-garbage',
      DR_ARM_ENDPOINT: 'http://127.0.0.1:1',
      DR_CREDENTIAL: 'magic',
      DR_ARM_MAX_RETRIES: 'lots',
      DR_CONTAINER: 'Bad_Name',
    });
    expect(found).toEqual([
      expect.stringMatching(/^AzureWebJobsStorage: must be a storage connection string/),
      expect.stringMatching(/^DR_CONTAINER: must be 3-63 lowercase/),
      expect.stringMatching(/^DR_ARM_ENDPOINT: must be an https:\/\/ URL.*got 'http:\/\/127.0.0.1:1'/),
      expect.stringMatching(/^DR_CREDENTIAL: must be 'default' or 'static-token'.*magic/),
      expect.stringMatching(/^DR_ARM_MAX_RETRIES: must be a whole number/),
    ]);
    expect(found.join('\n')).not.toContain('secret-garbage');
  });

  it('when no storage is configured at all, then start-up fails naming DR_STORAGE', () => {
    expect(problems({})).toEqual([expect.stringMatching(/^DR_STORAGE: is required/)]);
  });

  it('when OUTBOUND_ALLOWED_TARGETS lists targets, then they are read; an entry that is not a URL stops the start naming the setting', () => {
    expect(
      loadAppConfig({
        AzureWebJobsStorage: storage,
        OUTBOUND_ALLOWED_TARGETS: 'http://127.0.0.1:7071/api/health, http://127.0.0.1:7075',
      }).outboundAllowedTargets,
    ).toEqual(['http://127.0.0.1:7071/api/health', 'http://127.0.0.1:7075']);
    expect(loadAppConfig({ AzureWebJobsStorage: storage }).outboundAllowedTargets).toEqual([]);
    expect(problems({ AzureWebJobsStorage: storage, OUTBOUND_ALLOWED_TARGETS: '127.0.0.1:7071' })).toEqual([
      "OUTBOUND_ALLOWED_TARGETS: '127.0.0.1:7071' is not an absolute URL (got '127.0.0.1:7071')",
    ]);
  });

  it('when an approval, notice or drill setting is wrong, then the start fails naming it (without echoing secrets)', () => {
    expect(
      problems({
        AzureWebJobsStorage: storage,
        WEBSITE_HOSTNAME: 'dr-func.azurewebsites.net',
        APPROVAL_SIGNING_KEY: 'short',
        APPROVAL_LOGIN_PATH: 'https://evil.example/login',
        TEAMS_WEBHOOK_URLS: '["x"]',
        ACS_EMAIL_CONNECTION_STRING: 'endpoint=https://dr.communication.azure.com/;accesskey=abc',
        DRILL_SCAN_SCHEDULE: 'every minute',
      }),
    ).toEqual([
      "DRILL_SCAN_SCHEDULE: must be an NCRONTAB expression with seconds, e.g. 0 */5 * * * * (got 'every minute')",
      'TEAMS_WEBHOOK_URLS: must be a JSON object of approver group → Workflows webhook URL',
      'EMAIL_SENDER_ADDRESS: required with ACS_EMAIL_CONNECTION_STRING (a verified sender, e.g. DoNotReply@<domain>)',
      'APPROVAL_SIGNING_KEY: must be at least 32 bytes, got 5',
      'APPROVAL_LOGIN_PATH: must be /.auth/login/<provider>, e.g. /.auth/login/aad',
    ]);
  });

  it('when no signing key is set, then the app starts with approvals off and says why', () => {
    const config = loadAppConfig({ AzureWebJobsStorage: storage, WEBSITE_HOSTNAME: 'localhost:7071' });
    expect(config.approval).toEqual({
      ok: false,
      errors: ['APPROVAL_SIGNING_KEY: required (at least 32 bytes of secret)'],
    });
    expect(config.publicBaseUrl).toBe('http://localhost:7071');
    expect(config.notify).toEqual({ teamsWebhooks: {}, email: { kind: 'none' } });
    expect(config.drillScanSchedule).toBe('0 * * * * *');
  });

  it('when a signing key is set without any public base URL, then the start fails naming PUBLIC_BASE_URL', () => {
    expect(problems({ AzureWebJobsStorage: storage, APPROVAL_SIGNING_KEY: 'k'.repeat(32) })).toEqual([
      'PUBLIC_BASE_URL: required when WEBSITE_HOSTNAME is not set',
    ]);
  });

  it('when every setting is listed, then each has an env var and a doc (the table docs/configuration.md shows)', () => {
    for (const spec of Object.values(settings)) {
      expect(spec.env).toMatch(/^[A-Za-z_]+$/);
      expect(spec.doc.length).toBeGreaterThan(20);
    }
  });
});

describe('createAdapters', () => {
  it('when the extra CA file is missing or not PEM, then it fails with a ConfigError naming DR_ARM_CA_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const notPem = join(dir, 'ca.txt');
    writeFileSync(notPem, 'hello');
    for (const file of [join(dir, 'missing.pem'), notPem]) {
      const config = loadAppConfig({ AzureWebJobsStorage: storage, DR_ARM_CA_FILE: file });
      expect(() => createAdapters(config)).toThrow(/DR_ARM_CA_FILE/);
    }
  });

  it('when the configuration is valid, then every port is built without touching the network', () => {
    const adapters = createAdapters(
      loadAppConfig({ AzureWebJobsStorage: storage, DR_CREDENTIAL: 'static-token' }),
    );
    expect(Object.keys(adapters).sort()).toEqual([
      'alerts',
      'artifacts',
      'automation',
      'compute',
      'config',
      'drills',
      'email',
      'http',
      'nativePlans',
      'network',
      'permissions',
      'plans',
      'proposals',
      'readiness',
      'registry',
      'siteRecovery',
      'teams',
      'usedTokens',
    ]);
  });
});
