import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  caCertPath: string;
  caCertPem: string;
  certPem: string;
  keyPem: string;
}

const files = { caCert: 'ca.pem', caKey: 'ca-key.pem', cert: 'server.pem', key: 'server-key.pem' } as const;

/**
 * A private CA and a server certificate for 127.0.0.1 / localhost / ::1, created on first start and
 * reused, so a CA trusted once (NODE_EXTRA_CA_CERTS) stays trusted across runs.
 */
export async function ensureTlsMaterial(stateDir: string): Promise<TlsMaterial> {
  const file = (name: string): string => path.join(stateDir, name);
  if (!Object.values(files).every((name) => existsSync(file(name)))) {
    await mkdir(stateDir, { recursive: true });
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
    // Keys are private to the user; the CA certificate is meant to be shared.
    await writeFile(file(files.caKey), ca.private, { mode: 0o600 });
    await writeFile(file(files.key), server.private, { mode: 0o600 });
    await writeFile(file(files.cert), server.cert);
    await writeFile(file(files.caCert), ca.cert);
  }
  const [caCertPem, certPem, keyPem] = await Promise.all(
    [files.caCert, files.cert, files.key].map((name) => readFile(file(name), 'utf8')),
  );
  return { caCertPath: file(files.caCert), caCertPem: caCertPem!, certPem: certPem!, keyPem: keyPem! };
}
