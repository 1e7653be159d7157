// The approval-link signing key for the local lab: random, created on first start and kept in the
// git-ignored lab folder (owner-only), so approval links stay valid across lab restarts. In Azure the key
// is a Key Vault reference instead (docs/configuration.md).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function labSigningKey(labDir: string): string {
  const file = join(labDir, 'approval-signing-key');
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved.startsWith('base64:')) return saved;
  }
  const key = `base64:${randomBytes(48).toString('base64')}`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
