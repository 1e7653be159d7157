import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../../adapters/config/app-config';
import { settingsChecks } from '../../../adapters/readiness/settings-checks';

const reference = (secret: string): string =>
  `@Microsoft.KeyVault(SecretUri=https://kv-abc.vault.azure.net/secrets/${secret}/)`;

const deployed = {
  DR_STORAGE_BLOB_URL: 'https://stabc.blob.core.windows.net/',
  WEBSITE_HOSTNAME: 'func-api-abc.azurewebsites.net',
  EMAIL_SENDER_ADDRESS: 'DoNotReply@contoso.com',
};

describe('unresolved Key Vault references', () => {
  it('when App Service could not resolve the signing key, then it is never used as a key: approvals are off and the app still starts', () => {
    const config = loadAppConfig({ ...deployed, APPROVAL_SIGNING_KEY: reference('approval-signing-key') });
    expect(config.approval.ok).toBe(false);
    expect(config.approvalSigningKey).toBeUndefined();
    expect(config.unresolvedReferences).toEqual(['APPROVAL_SIGNING_KEY']);
  });

  it('when the Teams and ACS secrets are unresolved, then they count as unset instead of failing the start as malformed', () => {
    const config = loadAppConfig({
      ...deployed,
      TEAMS_WEBHOOK_URLS: reference('teams-webhook-urls'),
      ACS_EMAIL_CONNECTION_STRING: reference('acs-email-connection-string'),
    });
    expect(config.notify).toEqual({ teamsWebhooks: {}, email: { kind: 'none' } });
    expect(config.unresolvedReferences).toEqual(['ACS_EMAIL_CONNECTION_STRING', 'TEAMS_WEBHOOK_URLS']);
  });

  it('when the same settings reach readiness, then the Key Vault check fails naming each of them', () => {
    const check = settingsChecks({
      ...deployed,
      APPROVAL_SIGNING_KEY: reference('approval-signing-key'),
      TEAMS_WEBHOOK_URLS: reference('teams-webhook-urls'),
    }).find((c) => c.id === 'key-vault-references');
    expect(check?.status).toBe('fail');
    expect(check?.detail).toContain('APPROVAL_SIGNING_KEY, TEAMS_WEBHOOK_URLS');
  });
});
