import { SiteRecoveryManagementClient } from '@azure/arm-recoveryservices-siterecovery';
import { isRestError } from '@azure/core-rest-pipeline';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fakeTokenCredential, simulatorEnvironment } from '../../src/client-options';
import { startArmSimulator } from '../../src/start-arm-simulator';
import { raw, stateDir, useSimFixture, vaultPath } from './sim-fixture';

const run = promisify(execFile);

const fx = useSimFixture();

describe('ARM simulator transport', () => {
  it('when started, then it serves HTTPS on loopback with a CA file the client can trust', async () => {
    expect(fx.sim.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(readFileSync(fx.sim.caCertPath, 'utf8')).toBe(fx.sim.caCertPem);
    const info = await fx.sim.control.info();
    expect(info).toMatchObject({
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      resourceGroup: 'rg-dr',
      vaultName: 'vault-dr',
      automationAccount: 'aa-dr',
      caCertPath: fx.sim.caCertPath,
      items: 7,
    });
  });

  it('when a second simulator starts with the same state dir, then it reuses the CA (trust survives restarts)', async () => {
    const second = await startArmSimulator({ stateDir, timeScale: 0.001 });
    try {
      expect(second.caCertPem).toBe(fx.sim.caCertPem);
      expect(second.port).not.toBe(fx.sim.port);
    } finally {
      await second.stop();
    }
  });

  it('when a request has no bearer token, then it gets 401 with the ARM error envelope', async () => {
    const res = await raw(
      fx.sim,
      'GET',
      `${vaultPath(fx.sim)}/replicationProtectedItems?api-version=2023-06-01`,
      { token: null },
    );
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      error: { code: 'AuthenticationFailed', message: expect.stringContaining('Authorization') },
    });
  });

  it('when api-version is missing or unsupported, then it gets 400 with the ARM codes', async () => {
    const missing = await raw(fx.sim, 'GET', `${vaultPath(fx.sim)}/replicationProtectedItems`);
    expect(missing.status).toBe(400);
    expect(missing.json.error.code).toBe('MissingApiVersionParameter');
    const wrong = await raw(
      fx.sim,
      'GET',
      `${vaultPath(fx.sim)}/replicationProtectedItems?api-version=2016-08-10`,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.code).toBe('InvalidApiVersionParameter');
    expect(wrong.json.error.message).toContain('2023-06-01');
  });

  it('when a response is sent, then it carries the ARM headers and echoes the client request id', async () => {
    const res = await raw(fx.sim, 'GET', `${vaultPath(fx.sim)}/replicationFabrics?api-version=2023-06-01`);
    expect(res.status).toBe(200);
    expect(res.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-ms-ratelimit-remaining-subscription-reads']).toMatch(/^\d+$/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('when the vault or resource group does not exist, then the SDK gets a RestError with status and code', async () => {
    const wrongVault = await fx.asr.replicationProtectedItems
      .list('no-such-vault', fx.sim.resourceGroup)
      .next()
      .catch((e: unknown) => e);
    expect(isRestError(wrongVault)).toBe(true);
    expect(wrongVault).toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    const wrongRg = await fx.asr.replicationFabrics
      .get(fx.sim.vaultName, 'rg-nope', 'x')
      .catch((e: unknown) => e);
    expect(wrongRg).toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' });
  });

  it('when an unknown fabric is asked for, then it answers 400 BadRequest as ASR does', async () => {
    const error = await fx.asr.replicationFabrics
      .get(fx.sim.vaultName, fx.sim.resourceGroup, 'no-fabric')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, code: 'BadRequest' });
  });

  it('when a client does not trust the CA, then TLS fails (the simulator is not plain HTTP)', async () => {
    const untrusting = new SiteRecoveryManagementClient(fakeTokenCredential(), fx.sim.subscriptionId, {
      endpoint: fx.sim.endpoint,
      retryOptions: { maxRetries: 0 },
    });
    const error = await untrusting.replicationFabrics
      .list(fx.sim.vaultName, fx.sim.resourceGroup)
      .next()
      .catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/certificate/i);
  });

  it('when another Node process sets NODE_EXTRA_CA_CERTS to the CA file, then it trusts the simulator', async () => {
    const script = `fetch(process.argv[1] + '/_sim/info').then((r) => r.json()).then((i) => console.log(i.vaultName), (e) => { console.error(String(e.cause ?? e)); process.exit(1); })`;
    const { stdout } = await run(process.execPath, ['-e', script, fx.sim.endpoint], {
      env: { ...process.env, ...simulatorEnvironment(fx.sim.caCertPath) },
    });
    expect(stdout.trim()).toBe('vault-dr');
    const refused = await run(process.execPath, ['-e', script, fx.sim.endpoint], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: '' },
    }).catch((e: unknown) => e);
    expect(String((refused as { stderr: string }).stderr)).toMatch(/certificate/i);
  });

  it('when the control plane gets bad input, then it answers 400 naming the field', async () => {
    await expect(fx.sim.control.addFault({ kind: 'failJob' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('items'),
    });
    await expect(fx.sim.control.loadScenario({ scenario: { name: 'x', vault: {} } })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('vault.name'),
    });
  });

  it('when the SDK lists 1,000 items, then it follows absolute nextLinks that carry api-version', async () => {
    await fx.sim.control.loadScenario({ seed: 'vault-1000' });
    try {
      const first = await raw(
        fx.sim,
        'GET',
        `${vaultPath(fx.sim)}/replicationProtectedItems?api-version=2023-06-01`,
      );
      expect(first.json.nextLink).toMatch(new RegExp(`^${fx.sim.endpoint}/.*api-version=2023-06-01`));
      let count = 0;
      for await (const _item of fx.asr.replicationProtectedItems.list(fx.sim.vaultName, fx.sim.resourceGroup))
        count++;
      expect(count).toBe(1000);
    } finally {
      await fx.sim.control.loadScenario({ seed: 'demo-shop' });
    }
  });
});
