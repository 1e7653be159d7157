import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostKeys } from '../../src/host-keys';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'host-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('host keys', () => {
  it('when no keys file exists, then one is created (owner-only) with a master and a default function key', () => {
    const file = join(dir, 'sub', 'host-keys.json');
    const keys = HostKeys.open(file);
    expect(keys.created).toBe(true);
    expect(keys.masterKey).toMatch(/^[\w-]{40,}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const reopened = HostKeys.open(file);
    expect(reopened.created).toBe(false);
    expect(reopened.masterKey).toBe(keys.masterKey);
    expect(reopened.functionKeys.default).toBe(keys.functionKeys.default);
  });

  it('when keys are checked, then the master key passes every level and a function key only the function level', () => {
    const keys = HostKeys.open(join(dir, 'k.json'));
    const functionKey = keys.functionKeys.default as string;
    expect(keys.isFunctionKey(functionKey)).toBe(true);
    expect(keys.isFunctionKey(keys.masterKey)).toBe(true);
    expect(keys.isMaster(functionKey)).toBe(false);
    expect(keys.isFunctionKey('x')).toBe(false);
    expect(keys.isFunctionKey(undefined)).toBe(false);
  });

  it('when a system key is asked for, then it is created once, saved, and accepted only for its own name', () => {
    const file = join(dir, 'k.json');
    const keys = HostKeys.open(file);
    const key = keys.systemKey('durabletask_extension');
    expect(keys.systemKey('durabletask_extension')).toBe(key);
    expect(HostKeys.open(file).systemKey('durabletask_extension')).toBe(key);
    expect(keys.isSystemKey('durabletask_extension', key)).toBe(true);
    expect(keys.isSystemKey('other', key)).toBe(false);
    expect(keys.isSystemKey('other', keys.masterKey)).toBe(true);
  });

  it('when the keys file is broken, then opening it fails naming the file and the field', () => {
    const file = join(dir, 'k.json');
    writeFileSync(file, '{');
    expect(() => HostKeys.open(file)).toThrow(`${file}: not valid JSON`);
    writeFileSync(file, JSON.stringify({ masterKey: 'short' }));
    expect(() => HostKeys.open(file)).toThrow('"masterKey" must be a string of at least 16 characters');
    writeFileSync(file, JSON.stringify({ masterKey: 'm'.repeat(20), functionKeys: { default: 5 } }));
    expect(() => HostKeys.open(file)).toThrow(
      '"functionKeys.default" must be a string of at least 16 characters',
    );
  });

  it('when a file has no default function key, then one is added and saved', () => {
    const file = join(dir, 'k.json');
    writeFileSync(file, JSON.stringify({ masterKey: 'm'.repeat(20) }));
    const keys = HostKeys.open(file);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { functionKeys: Record<string, string> };
    expect(saved.functionKeys.default).toBe(keys.functionKeys.default);
  });
});
