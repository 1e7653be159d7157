import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ensureTlsMaterial } from '../../src/http/tls-certificate';

describe('simulator TLS material', () => {
  it('when several simulators start at once on a fresh state dir, then they all get the same CA, and the server cert is signed by it for 127.0.0.1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'arm-sim-tls-'));
    try {
      const all = await Promise.all([1, 2, 3, 4].map(() => ensureTlsMaterial(dir)));
      expect(new Set(all.map((m) => m.caCertPem)).size).toBe(1);
      expect(new Set(all.map((m) => m.certPem)).size).toBe(1);
      const [first] = all;
      expect(await readFile(first!.caCertPath, 'utf8')).toBe(first!.caCertPem);
      const ca = new X509Certificate(first!.caCertPem);
      const server = new X509Certificate(first!.certPem);
      expect(ca.ca).toBe(true);
      expect(server.verify(ca.publicKey)).toBe(true);
      expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(server.checkHost('localhost')).toBe('localhost');
      const again = await ensureTlsMaterial(dir);
      expect(again.caCertPem).toBe(first!.caCertPem);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
