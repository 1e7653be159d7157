import type { ReadinessCheck } from '../../core/readiness/readiness-report';
import { ConfigError, loadAppConfig, settings } from '../config/app-config';

type Env = Record<string, string | undefined>;

const keyVaultReference = /^\s*@Microsoft\.KeyVault\(/i;

/** Running on App Service / Functions in Azure (the platform sets these), not on a laptop or the lab. */
export const inAzure = (env: Env): boolean => Boolean(env.WEBSITE_INSTANCE_ID || env.WEBSITE_SITE_NAME);

/** Every setting valid (the same check as the start), plus what a deployment in Azure needs. */
export function settingsChecks(env: Env): ReadinessCheck[] {
  const checks: ReadinessCheck[] = [];
  try {
    loadAppConfig(env);
    checks.push({
      id: 'settings',
      title: 'App settings valid',
      status: 'pass',
      detail: `All ${Object.keys(settings).length} settings of the schema are valid.`,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    checks.push({
      id: 'settings',
      title: 'App settings valid',
      status: 'fail',
      detail: error.problems.join('; '),
      fix: 'Correct these app settings (Function App → Environment variables; docs/configuration.md). `azd provision` sets them all.',
    });
  }
  checks.push(keyVaultReferenceCheck(env));
  if (inAzure(env)) checks.push(identityCheck(env));
  return checks;
}

/**
 * App Service resolves `@Microsoft.KeyVault(...)` settings before the app starts; one it could not
 * resolve stays the literal reference text. A signing key would then be that (public) text.
 */
function keyVaultReferenceCheck(env: Env): ReadinessCheck {
  const unresolved = Object.entries(env)
    .filter(([, value]) => value !== undefined && keyVaultReference.test(value))
    .map(([name]) => name)
    .sort();
  if (unresolved.length > 0)
    return {
      id: 'key-vault-references',
      title: 'Key Vault references resolved',
      status: 'fail',
      detail: `Unresolved Key Vault references (the setting holds the reference text, not the secret): ${unresolved.join(', ')}.`,
      fix: "Give the app's managed identity 'Key Vault Secrets User' on the vault, set the site's keyVaultReferenceIdentity to that identity (infra/ does both), check the secret exists and is enabled, then restart the app (references are read again on restart).",
    };
  if (!env.APPROVAL_SIGNING_KEY?.trim())
    return {
      id: 'key-vault-references',
      title: 'Key Vault references resolved',
      status: 'warn',
      detail: 'APPROVAL_SIGNING_KEY is not set: approvals are off (the approval endpoint answers 503).',
      fix: 'Set APPROVAL_SIGNING_KEY to a Key Vault reference to the signing key (infra/ does).',
    };
  return {
    id: 'key-vault-references',
    title: 'Key Vault references resolved',
    status: 'pass',
    detail:
      'Every secret setting holds a value (APPROVAL_SIGNING_KEY is set and not an unresolved reference).',
  };
}

/** In Azure the app calls ARM as its user-assigned identity, with a real token. */
function identityCheck(env: Env): ReadinessCheck {
  const problems: string[] = [];
  if (env.DR_CREDENTIAL?.trim() === 'static-token')
    problems.push('DR_CREDENTIAL is static-token (the local simulator only): ARM refuses it');
  if (!env.AZURE_CLIENT_ID?.trim())
    problems.push(
      'AZURE_CLIENT_ID is not set: DefaultAzureCredential picks the system-assigned identity, which has none of the roles',
    );
  if (problems.length === 0)
    return {
      id: 'identity',
      title: 'Managed identity',
      status: 'pass',
      detail: `ARM calls use the user-assigned identity with client id ${env.AZURE_CLIENT_ID?.trim()}.`,
    };
  return {
    id: 'identity',
    title: 'Managed identity',
    status: 'fail',
    detail: `${problems.join('; ')}.`,
    fix: "Set AZURE_CLIENT_ID to the client id of the app's user-assigned identity and leave DR_CREDENTIAL unset (infra/ does).",
  };
}
