import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadAppConfig, settings } from '../../../adapters/config/app-config';
import { appSettingNames, bicep, bicepFiles, outputs, params, roleAssignments, root } from './bicep-text';

const main = bicep('infra/main.bicep');
const api = bicep('infra/app/api.bicep');
const deployedSettings = appSettingNames(api);

/**
 * Schema settings the template leaves unset on purpose, and why (every other one it sets, or its
 * default is right in Azure).
 */
const notSetInAzure: Record<string, string> = {
  DR_STORAGE: 'identity-based: DR_STORAGE_BLOB_URL instead of a connection string',
  AzureWebJobsStorage: 'identity-based: AzureWebJobsStorage__* instead of a connection string',
  DR_STATIC_TOKEN: 'the local simulator only',
  DR_ARM_CA_FILE: 'the local simulator only',
  APPROVAL_PUBLIC_BASE_URL: 'the older name of PUBLIC_BASE_URL',
  WEBSITE_HOSTNAME: 'set by App Service',
  EMAIL_SINK_URL: 'the lab mail sink only',
  PUBLIC_BASE_URL: 'set when publicBaseUrl is given; else https://$WEBSITE_HOSTNAME',
  TEAMS_WEBHOOK_URLS: 'set when teamsWebhookUrls is given',
  ACS_EMAIL_CONNECTION_STRING: 'set when acsEmailConnectionString is given',
  EMAIL_SENDER_ADDRESS: 'set with ACS_EMAIL_CONNECTION_STRING',
  OUTBOUND_ALLOWED_TARGETS: 'an operator choice; none by default (public https only)',
  TRIGGER_SECRET: 'alert triggers are opt-in: a Key Vault reference the operator adds (deploy.md)',
};

/** Settings the Functions host and platform read (not the app's schema). */
const hostSettings = [
  /^AzureWebJobsStorage__(credential|clientId|blobServiceUri|queueServiceUri|tableServiceUri)$/,
  /^APPLICATIONINSIGHTS_(CONNECTION_STRING|AUTHENTICATION_STRING)$/,
  /^TASKHUB_NAME$/,
  /^AZURE_CLIENT_ID$/,
  /^DURABLE_TASK_SCHEDULER_CONNECTION_STRING$/,
  /^AzureFunctionsJobHost__extensions__durableTask__storageProvider__(type|connectionStringName)$/,
  /^MICROSOFT_PROVIDER_AUTHENTICATION_SECRET$/,
];

describe('infra/: the Function App settings', () => {
  it('when the config schema is compared with the template, then every setting is set, defaulted, or left out for a stated reason', () => {
    const unaccounted = Object.values(settings)
      .filter((spec) => !deployedSettings.includes(spec.env))
      .filter((spec) => !('default' in spec && spec.default !== undefined))
      .filter((spec) => !(spec.env in notSetInAzure))
      .map((spec) => spec.env);
    expect(unaccounted).toEqual([]);
    for (const env of ['DR_STORAGE_BLOB_URL', 'AZURE_CLIENT_ID', 'APPROVAL_SIGNING_KEY', 'TASKHUB_NAME'])
      expect(deployedSettings).toContain(env);
  });

  it('when the template sets a setting, then the app or the host reads that name (no typo goes unnoticed)', () => {
    const known = new Set(Object.values(settings).map((spec) => spec.env));
    const unknown = deployedSettings.filter(
      (name) => !known.has(name) && !hostSettings.some((re) => re.test(name)),
    );
    expect(unknown).toEqual([]);
    // Flex Consumption takes the runtime from functionAppConfig; these settings are refused there.
    expect(deployedSettings).not.toContain('FUNCTIONS_WORKER_RUNTIME');
    expect(deployedSettings).not.toContain('FUNCTIONS_EXTENSION_VERSION');
  });

  it('when the deployed settings are loaded as App Service resolves them, then the start check accepts them', () => {
    // What the references and Bicep expressions become in Azure (sample values of the right shape).
    const resolved: Record<string, string> = {
      DR_STORAGE_BLOB_URL: 'https://stabc.blob.core.windows.net/',
      DR_CONTAINER: 'durable-recovery',
      APPROVAL_SIGNING_KEY: 'ab'.repeat(32),
      APPROVAL_LOGIN_PATH: '/.auth/login/aad',
      PUBLIC_BASE_URL: 'https://dr.contoso.com',
      TEAMS_WEBHOOK_URLS: JSON.stringify({ '*': 'https://contoso.webhook.office.com/x' }),
      ACS_EMAIL_CONNECTION_STRING: 'endpoint=https://acs.communication.azure.com/;accesskey=a2V5',
      EMAIL_SENDER_ADDRESS: 'DoNotReply@contoso.com',
      AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
      WEBSITE_HOSTNAME: 'func-api-abc.azurewebsites.net',
    };
    const env = Object.fromEntries(
      deployedSettings.filter((n) => n in resolved).map((n) => [n, resolved[n]]),
    );
    expect(Object.keys(env).length).toBeGreaterThanOrEqual(8);
    expect(() => loadAppConfig({ ...env, WEBSITE_HOSTNAME: resolved.WEBSITE_HOSTNAME })).not.toThrow();
  });

  it('when a setting holds a secret, then it is a Key Vault reference, never a value or a key', () => {
    const block = api.text.slice(
      api.text.indexOf('// app-settings:start'),
      api.text.indexOf('// app-settings:end'),
    );
    for (const name of [
      'APPROVAL_SIGNING_KEY',
      'TEAMS_WEBHOOK_URLS',
      'ACS_EMAIL_CONNECTION_STRING',
      'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET',
    ])
      expect(block).toMatch(new RegExp(`${name}: '@Microsoft\\.KeyVault\\(SecretUri=`));
    expect(api.text).toContain('keyVaultReferenceIdentity: identityId');
    for (const file of bicepFiles()) expect(file.text, file.path).not.toMatch(/listKeys\(|AccountKey=/);
    expect(bicep('infra/app/storage.bicep').text).toContain('allowSharedKeyAccess: false');
  });
});

describe('infra/: roles at the right scope', () => {
  const rbac = bicep('infra/app/rbac.bicep');
  const roleIds = {
    blobOwner: 'storageBlobDataOwner',
    queue: 'storageQueueDataContributor',
    table: 'storageTableDataContributor',
    metrics: 'monitoringMetricsPublisher',
    secrets: 'keyVaultSecretsUser',
    dts: 'durableTaskDataContributor',
  };

  it('when the app identity needs a data role, then it is assigned on that one resource', () => {
    const assignments = roleAssignments(rbac);
    const onto = (role: string): string | undefined =>
      assignments.find((a) => a.role.includes(`roles.${role}`) && a.principal === 'appPrincipalId')?.scope;
    expect(onto(roleIds.blobOwner)).toBe('storage');
    expect(onto(roleIds.queue)).toBe('storage');
    expect(onto(roleIds.table)).toBe('storage');
    expect(onto(roleIds.metrics)).toBe('applicationInsights');
    expect(onto(roleIds.secrets)).toBe('keyVault');
    expect(onto(roleIds.dts)).toBe('scheduler');
  });

  it('when the custom role is defined, then its actions are exactly the generated least-privilege list', () => {
    const role = bicep('infra/app/recovery-role.bicep').text;
    expect(role).toContain("loadJsonContent('required-actions.json')");
    expect(role).toMatch(/actions:\s*concat\(requiredActions\.vault,\s*requiredActions\.automationAccount\)/);
    expect(role).toMatch(/notActions:\s*\[\]/);
    expect(role).not.toMatch(/'\*'|\/\*'/);
  });

  it('when the custom role is assigned, then it is on each vault and Automation account, never a group or the subscription', () => {
    const vault = roleAssignments(bicep('infra/app/vault-access.bicep'));
    const account = roleAssignments(bicep('infra/app/automation-access.bicep'));
    expect(vault).toEqual([expect.objectContaining({ scope: 'vault', role: 'roleDefinitionId' })]);
    expect(account).toEqual([expect.objectContaining({ scope: 'account', role: 'roleDefinitionId' })]);
    expect(main.text).toMatch(
      /module vaultAccess 'app\/vault-access\.bicep' = \[\s*for \(id, i\) in siteRecoveryVaultIds/,
    );
    expect(main.text).toMatch(
      /module automationAccess 'app\/automation-access\.bicep' = \[\s*for \(id, i\) in automationAccountIds/,
    );
    for (const file of bicepFiles())
      for (const assignment of roleAssignments(file))
        expect(assignment.scope, `${file.path} ${assignment.symbol}`).not.toMatch(
          /subscription\(\)|resourceGroup\(\)|deployment scope/,
        );
  });
});

describe('infra/: parameters, outputs and names', () => {
  it('when any template declares a parameter, then it has a @description', () => {
    const undocumented = bicepFiles()
      .flatMap(params)
      .filter((p) => !p.decorators.some((d) => d.startsWith('@description(')))
      .map((p) => `${p.file}: ${p.name}`);
    expect(undocumented).toEqual([]);
  });

  it('when main.bicep declares a parameter, then docs/deploy.md documents it', () => {
    const docs = readFileSync(join(root, 'docs/deploy.md'), 'utf8');
    const missing = params(main)
      .filter((p) => !docs.includes(`\`${p.name}\``))
      .map((p) => p.name);
    expect(missing).toEqual([]);
  });

  it('when outputs are read, then none carries a secure parameter, a key or a connection string', () => {
    const secure = bicepFiles()
      .flatMap(params)
      .filter((p) => p.secure)
      .map((p) => p.name);
    expect(secure).toEqual(
      expect.arrayContaining(['approvalSigningKey', 'teamsWebhookUrls', 'acsEmailConnectionString']),
    );
    for (const file of bicepFiles())
      for (const output of outputs(file)) {
        for (const name of secure)
          expect(output.expression, `${file.path} ${output.name}`).not.toMatch(new RegExp(`\\b${name}\\b`));
        if (file.path === 'infra/main.bicep') {
          expect(output.name).not.toMatch(/SECRET|PASSWORD|CONNECTION_STRING|_KEY$/i);
          expect(output.expression).not.toMatch(/ConnectionString|connectionString/);
        }
      }
  });

  it('when the parameters file is read, then no secure parameter has a literal value', () => {
    const file = JSON.parse(readFileSync(join(root, 'infra/main.parameters.json'), 'utf8')) as {
      parameters: Record<string, { value: unknown }>;
    };
    for (const param of params(main)) {
      const value = file.parameters[param.name]?.value;
      if (param.secure && value !== undefined)
        expect(typeof value === 'string' ? value : JSON.stringify(value), param.name).toMatch(
          /^(\$\{[A-Z_]+\}|\$\(secretOrRandomPassword [^)]+\))$/,
        );
      if (!param.hasDefault)
        expect(file.parameters, `${param.name} has no default and no value`).toHaveProperty(param.name);
    }
    for (const name of Object.keys(file.parameters)) expect(params(main).map((p) => p.name)).toContain(name);
  });

  it('when resources are named, then every global name carries the per-environment token', () => {
    expect(main.text).toMatch(
      /var resourceToken = toLower\(uniqueString\(subscription\(\)\.id, environmentName, location\)\)/,
    );
    const names = [...main.text.matchAll(/^\s+name: '(.+)'$/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const name of names)
      expect(name).toMatch(
        /resourceToken|environmentName|\$\{i\}|vault-access|automation-access|identity|storage|monitoring|keyvault|durable-task-scheduler|rbac|recovery-role|api/,
      );
    const named = [...main.text.matchAll(/^\s+name: '\$\{abbrs\.\w+\}.*'$/gm)].map((m) => m[0]);
    for (const line of named) expect(line).toContain('resourceToken');
  });

  it('when placement is left at its default, then everything goes to the recovery region', () => {
    expect(main.text).toContain("param placement string = 'recovery'");
    expect(main.text).toContain(
      "var location = placement == 'recovery' ? recoveryLocation : primaryLocation",
    );
    expect(main.text).toMatch(/@metadata\(\{ azd: \{ type: 'location' \} \}\)\nparam recoveryLocation/);
  });
});

describe('infra/: modules and their parameters', () => {
  it('when main.bicep calls a module, then it passes exactly the parameters the module declares without a default', () => {
    const calls = main.text
      .split(/\n(?=module )/)
      .slice(1)
      .map((chunk) => {
        const [, symbol, path] = /^module (\w+) '(app\/[\w-]+\.bicep)'/.exec(chunk) ?? [];
        const body = chunk.split('\n');
        const at = body.findIndex((line) => /^\s+params: \{$/.test(line));
        const indent = (body[at] ?? '').indexOf('params');
        const close = body.findIndex((line, i) => i > at && line === `${' '.repeat(indent)}}`);
        return [chunk, symbol, path, body.slice(at + 1, close).join('\n')] as const;
      });
    expect(calls.length).toBe(10);
    for (const [, symbol, path, block] of calls) {
      const passed = [...block.matchAll(/^\s+(\w+):/gm)].map((m) => m[1]!).sort();
      const declared = params(bicep(`infra/${path!}`));
      const required = declared
        .filter((p) => !p.hasDefault)
        .map((p) => p.name)
        .sort();
      expect(passed, `${symbol}: passes what ${path} requires`).toEqual(expect.arrayContaining(required));
      for (const name of passed)
        expect(
          declared.map((p) => p.name),
          `${symbol}: ${name}`,
        ).toContain(name);
    }
  });
});

describe('azure.yaml', () => {
  it('when azd reads it, then it names the api service, a TypeScript function app, and infra/main.bicep', () => {
    const project = parse(readFileSync(join(root, 'azure.yaml'), 'utf8')) as {
      infra: { provider: string; path: string; module: string };
      services: Record<string, { project: string; language: string; host: string }>;
    };
    expect(project.services.api).toEqual({ project: '.', language: 'ts', host: 'function' });
    expect(project.infra).toEqual({ provider: 'bicep', path: 'infra', module: 'main' });
    expect(api.text).toContain("'azd-service-name': 'api'");
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      main: string;
      scripts: { build: string };
    };
    expect(pkg.main).toBe('dist/functions/index.js');
    expect(readFileSync(join(root, '.funcignore'), 'utf8')).not.toMatch(/^dist\/?$/m);
  });
});
