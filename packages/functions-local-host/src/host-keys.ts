// Function keys for the local host, kept in a keys file (by default `<appDir>/.lab/host-keys.json`,
// git-ignored) and generated on first run, like the real host's key store: one master key (admin level, and accepted
// everywhere), function keys (`default`), and named system keys (e.g. `durabletask_extension`).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { HostStartError } from './host-start-error';

export interface KeysFile {
  masterKey: string;
  functionKeys: Record<string, string>;
  systemKeys: Record<string, string>;
}

/** A secret shaped like the real host's (URL-safe, 54 characters). */
export function newKey(): string {
  return randomBytes(40).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function stringMap(value: unknown, file: string, field: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HostStartError(`${file}: "${field}" must be an object of name → key strings`);
  }
  const map: Record<string, string> = {};
  for (const [name, key] of Object.entries(value)) {
    if (typeof key !== 'string' || key.length < 16) {
      throw new HostStartError(`${file}: "${field}.${name}" must be a string of at least 16 characters`);
    }
    map[name] = key;
  }
  return map;
}

export class HostKeys {
  readonly file: string;
  #keys: KeysFile;
  #created = false;

  private constructor(file: string, keys: KeysFile) {
    this.file = file;
    this.#keys = keys;
  }

  /** Opens `file`, or creates it with new keys when it does not exist. */
  static open(file: string): HostKeys {
    if (!existsSync(file)) {
      const keys = new HostKeys(file, {
        masterKey: newKey(),
        functionKeys: { default: newKey() },
        systemKeys: {},
      });
      keys.#save();
      keys.#created = true;
      return keys;
    }
    let parsed: Partial<KeysFile>;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeysFile>;
    } catch (error) {
      throw new HostStartError(
        `${file}: not valid JSON (${(error as Error).message}); delete it to generate new keys`,
      );
    }
    if (typeof parsed.masterKey !== 'string' || parsed.masterKey.length < 16) {
      throw new HostStartError(`${file}: "masterKey" must be a string of at least 16 characters`);
    }
    const functionKeys = stringMap(parsed.functionKeys, file, 'functionKeys');
    const systemKeys = stringMap(parsed.systemKeys, file, 'systemKeys');
    const keys = new HostKeys(file, { masterKey: parsed.masterKey, functionKeys, systemKeys });
    if (functionKeys.default === undefined) {
      functionKeys.default = newKey();
      keys.#save();
    }
    return keys;
  }

  get masterKey(): string {
    return this.#keys.masterKey;
  }

  /** Whether this run created the file (the host prints the keys then). */
  get created(): boolean {
    return this.#created;
  }

  get functionKeys(): Readonly<Record<string, string>> {
    return this.#keys.functionKeys;
  }

  /** The named system key, created and saved on first use. */
  systemKey(name: string): string {
    const existing = this.#keys.systemKeys[name];
    if (existing) return existing;
    const key = newKey();
    this.#keys.systemKeys[name] = key;
    this.#save();
    return key;
  }

  isMaster(candidate: string | undefined): boolean {
    return candidate !== undefined && sameSecret(candidate, this.#keys.masterKey);
  }

  /** A function-level request accepts a function key or the master key. */
  isFunctionKey(candidate: string | undefined): boolean {
    if (candidate === undefined) return false;
    return (
      this.isMaster(candidate) || Object.values(this.#keys.functionKeys).some((k) => sameSecret(candidate, k))
    );
  }

  /** A system route accepts its own system key or the master key. */
  isSystemKey(name: string, candidate: string | undefined): boolean {
    if (candidate === undefined) return false;
    const key = this.#keys.systemKeys[name];
    return this.isMaster(candidate) || (key !== undefined && sameSecret(candidate, key));
  }

  #save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    // Write then rename: a host killed mid-write never leaves a half-written keys file behind.
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.#keys, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.file);
  }
}
