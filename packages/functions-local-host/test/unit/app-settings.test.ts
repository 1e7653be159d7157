import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applySettings, resolveDeep, resolveSettingReferences } from '../../src/app-settings';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'app-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('app settings', () => {
  it('when local.settings.json has Values, then they become environment variables unless already set', () => {
    writeFileSync(
      join(dir, 'local.settings.json'),
      JSON.stringify({ Values: { A: 'from-file', B: 'from-file', N: 3 } }),
    );
    const env: NodeJS.ProcessEnv = { B: 'from-env' };
    const loaded = applySettings(dir, 7071, env);
    expect(env.A).toBe('from-file');
    expect(env.B).toBe('from-env');
    expect(env.N).toBe('3');
    expect(loaded.skipped).toEqual(['B']);
    expect(env.FUNCTIONS_WORKER_RUNTIME).toBe('node');
    expect(env.WEBSITE_HOSTNAME).toBe('localhost:7071');
  });

  it('when a value is not a string, number or boolean, then the error names the file and the field', () => {
    writeFileSync(join(dir, 'local.settings.json'), JSON.stringify({ Values: { A: { nested: true } } }));
    expect(() => applySettings(dir, 1, {})).toThrow('"Values.A" must be a string');
  });

  it('when a binding value has %Name% references, then they resolve; an unknown one names itself and where', () => {
    expect(resolveSettingReferences('%A%/x/%B%', { A: '1', B: '2' }, 'w')).toBe('1/x/2');
    expect(resolveDeep({ route: '%A%', list: ['%B%'], n: 1 }, { A: 'a', B: 'b' }, 'f')).toEqual({
      route: 'a',
      list: ['b'],
      n: 1,
    });
    expect(() => resolveDeep({ route: '%MISSING%' }, {}, 'function "f" binding')).toThrow(
      `function "f" binding.route: '%MISSING%' does not resolve to a value.`,
    );
  });
});
