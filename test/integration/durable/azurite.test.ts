import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { afterAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../local/lab/azurite';

describe('startAzurite', () => {
  const started: RunningAzurite[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const azurite of started.reverse()) await azurite.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('when started without ports, then it listens on free loopback ports and serves tables', async () => {
    const azurite = await startAzurite();
    started.push(azurite);
    expect(new Set([azurite.blobPort, azurite.queuePort, azurite.tablePort]).size).toBe(3);
    const table = TableClient.fromConnectionString(azurite.connectionString, 'probe', {
      allowInsecureConnection: true,
    });
    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', value: 42 });
    expect((await table.getEntity<{ value: number }>('p', 'r')).value).toBe(42);
  });

  it('when every port is given and Azurite already listens there, then it is reused and stop leaves it running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'azurite-'));
    dirs.push(dir);
    const first = await startAzurite({ dataDir: dir });
    started.push(first);
    const second = await startAzurite({
      blobPort: first.blobPort,
      queuePort: first.queuePort,
      tablePort: first.tablePort,
    });
    expect(second.connectionString).toBe(first.connectionString);
    await second.stop();
    const table = TableClient.fromConnectionString(first.connectionString, 'stillup', {
      allowInsecureConnection: true,
    });
    await expect(table.createTable()).resolves.toBeUndefined();
  });
});
