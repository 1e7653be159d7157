import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  caCertPath: string;
  caCertPem: string;
  certPem: string;
  keyPem: string;
}

interface Bundle {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

/**
 * A private CA and a server certificate for 127.0.0.1 / localhost / ::1, created on first start and
 * reused, so a CA trusted once (NODE_EXTRA_CA_CERTS) stays trusted across runs. Several simulators
 * may start at once on a fresh checkout (parallel test files): the key material is one bundle file
 * published with link(), which fails if another process got there first, so all of them end up
 * with the same CA.
 */
export async function ensureTlsMaterial(stateDir: string): Promise<TlsMaterial> {
  const bundlePath = path.join(stateDir, 'tls-bundle.json');
  const caCertPath = path.join(stateDir, 'ca.pem');
  if (!existsSync(bundlePath)) {
    await mkdir(stateDir, { recursive: true });
    const fresh = await createBundle();
    const temp = `${bundlePath}.${process.pid}.${randomUUID()}`;
    // Keys are private to the user; the CA certificate (ca.pem) is meant to be shared.
    await writeFile(temp, JSON.stringify(fresh), { mode: 0o600 });
    try {
      await link(temp, bundlePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temp);
    }
  }
  const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as Bundle;
  const current = existsSync(caCertPath) ? await readFile(caCertPath, 'utf8') : '';
  if (current !== bundle.caCert) {
    const temp = `${caCertPath}.${process.pid}.${randomUUID()}`;
    await writeFile(temp, bundle.caCert);
    await rename(temp, caCertPath);
  }
  return { caCertPath, caCertPem: bundle.caCert, certPem: bundle.cert, keyPem: bundle.key };
}

async function createBundle(): Promise<Bundle> {
  const years = (n: number): Date => new Date(Date.now() + n * 365 * 24 * 3600 * 1000);
  const ca = await generate([{ name: 'commonName', value: 'Durable Recovery ARM simulator CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: years(10),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: years(5),
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { caCert: ca.cert, caKey: ca.private, cert: server.cert, key: server.private };
}
