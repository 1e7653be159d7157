import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../local/cli/cli-args';
import { normaliseUrl, profilesFile, resolveConnection } from '../../../local/cli/connection';
import { runCli } from '../../../local/cli/main';
import { capture, useScratchDir } from './cli-harness';

const dir = useScratchDir('dr-cli-conn-', (d) => {
  mkdirSync(join(d, '.lab'));
  writeFileSync(
    join(d, '.lab', 'lab.json'),
    JSON.stringify({
      hostUrl: 'http://127.0.0.1:7071',
      armEndpoint: 'https://127.0.0.1:7443',
      armCaCertPath: '/x',
    }),
  );
  writeFileSync(join(d, '.lab', 'host-keys.json'), JSON.stringify({ functionKeys: { default: 'lab-key' } }));
  const profiles = join(d, 'profiles.json');
  writeFileSync(
    profiles,
    JSON.stringify({
      profiles: {
        prod: { url: 'https://dr.example.net/api/', keyEnv: 'PROD_KEY' },
        plain: { url: 'https://plain.example.net', key: 'file-key' },
      },
    }),
  );
  chmodSync(profiles, 0o600);
});

const env = (extra: Record<string, string> = {}) => ({
  DURABLE_RECOVERY_PROFILES: join(dir(), 'profiles.json'),
  ...extra,
});

describe('where the CLI finds the app', () => {
  it('when nothing is given and a lab runs here, then it uses the lab’s URL and key', () => {
    expect(resolveConnection({}, env(), dir())).toEqual({
      baseUrl: 'http://127.0.0.1:7071',
      key: 'lab-key',
      source: `the lab in ${join(dir(), '.lab')}`,
    });
  });

  it('when --url is given, then the lab’s key is not sent to it', () => {
    expect(resolveConnection({ url: 'https://other.example.net' }, env(), dir())).toEqual({
      baseUrl: 'https://other.example.net',
      source: '--url',
    });
  });

  it('when the environment names the URL and key, then they win over the lab', () => {
    const connection = resolveConnection(
      {},
      env({ DURABLE_RECOVERY_URL: 'https://e.example.net', DURABLE_RECOVERY_KEY: 'env-key' }),
      dir(),
    );
    expect(connection).toEqual({
      baseUrl: 'https://e.example.net',
      key: 'env-key',
      source: 'DURABLE_RECOVERY_URL',
    });
  });

  it('when --profile is given, then it wins over DURABLE_RECOVERY_URL and reads the key from keyEnv', () => {
    const connection = resolveConnection(
      { profile: 'prod' },
      env({ DURABLE_RECOVERY_URL: 'https://e.example.net', PROD_KEY: 'prod-key' }),
      dir(),
    );
    expect(connection).toEqual({
      baseUrl: 'https://dr.example.net',
      key: 'prod-key',
      source: 'profile prod',
    });
  });

  it('when a profile’s keyEnv is not set, then it names the variable', () => {
    expect(() => resolveConnection({ profile: 'prod' }, env(), dir())).toThrow(
      'its key comes from PROD_KEY, which is not set',
    );
  });

  it('when the profile is unknown, then it lists the known ones', () => {
    expect(() => resolveConnection({ profile: 'stage' }, env(), dir())).toThrow("no profile 'stage'");
    expect(() => resolveConnection({ profile: 'stage' }, env(), dir())).toThrow('it has prod, plain');
  });

  it('when the profiles file has an unknown field, then it names the field', () => {
    const file = join(dir(), 'bad-profiles.json');
    writeFileSync(file, JSON.stringify({ profiles: { x: { url: 'https://x.example.net', secret: 1 } } }));
    expect(() => resolveConnection({ profile: 'x' }, { DURABLE_RECOVERY_PROFILES: file }, dir())).toThrow(
      /profiles\.x/,
    );
  });

  it('when a profile file with a key is readable by others, then it warns to chmod 600', () => {
    const file = join(dir(), 'open-profiles.json');
    writeFileSync(file, JSON.stringify({ profiles: { x: { url: 'https://x.example.net', key: 'k' } } }));
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    resolveConnection({ profile: 'x' }, { DURABLE_RECOVERY_PROFILES: file }, dir(), (w) => warnings.push(w));
    expect(warnings.join('\n')).toContain('chmod 600');
  });

  it('when no lab runs and nothing is given, then it says how to name the app', () => {
    expect(() => resolveConnection({}, {}, join(dir(), 'nowhere'))).toThrow(
      /no app to talk to: give --url and --key, set DURABLE_RECOVERY_URL/,
    );
  });

  it('when the profiles file is not named, then it lives under XDG_CONFIG_HOME or ~/.config', () => {
    expect(profilesFile({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/durable-recovery/profiles.json');
    expect(profilesFile({ HOME: '/home/a' })).toBe('/home/a/.config/durable-recovery/profiles.json');
  });

  it('when a URL is odd, then it is normalised or refused naming where it came from', () => {
    expect(normaliseUrl('https://dr.example.net/api/', '--url')).toBe('https://dr.example.net');
    expect(() => normaliseUrl('ftp://x', '--url')).toThrow(UsageError);
    expect(() => normaliseUrl('https://u:p@x.example.net', '--url')).toThrow('no credentials');
    expect(() => normaliseUrl('dr.example.net', 'DURABLE_RECOVERY_URL')).toThrow(
      "DURABLE_RECOVERY_URL: 'dr.example.net' is not a URL",
    );
  });
});

describe('command-line mistakes exit 2 before anything is sent', () => {
  const cases: [string[], string][] = [
    [['run', 'p', '--operation', 'test', '--bogus'], "run: unknown option '--bogus'"],
    [['run', 'p'], 'run: --operation is required'],
    [['run', 'p', '--operation', 'fly'], 'run: --operation must be one of test, planned'],
    [
      ['run', 'p', '--operation', 'test', '--recovery-point', 'yesterday'],
      'run: --recovery-point must be one of latest',
    ],
    [['run', '--operation', 'test'], 'run: missing <plan>'],
    [['run', 'p', '--operation'], 'run: --operation needs a value'],
    [['watch', 'r', '--interval', '0'], '--interval: must be a number of seconds above 0'],
    [['watch', 'r', 'extra'], "watch: unexpected argument 'extra'"],
    [['decide', 'r', 's', 'maybe'], "decide: <action> must be one of retry, skip, abort, got 'maybe'"],
    [['approve', 'r'], 'approve: missing <step>'],
    [['approve', 'r', 's', '--as', 'a', '--token', 't'], '--as and --token: give one, not both'],
    [['runs', '--status', 'sleeping'], 'runs: --status must be one of active'],
    [['runs', '--limit', '0'], 'runs: --limit must be a whole number from 1 to 200'],
    [['plans'], "plans: unknown or missing subcommand ''"],
    [['plans', 'push'], 'plans push: missing <file>'],
    [['report', 'r', '--pdf', 'x'], "report: unknown option '--pdf'"],
    [['runs', '--profile', 'nope'], "no profile 'nope'"],
  ];
  it.each(cases)('when the command line is %j, then it says %s', async (args, message) => {
    const io = Object.assign(capture(dir()), { env: env({ DURABLE_RECOVERY_URL: 'http://127.0.0.1:9' }) });
    expect(await runCli(args, io)).toBe(2);
    expect(io.stderr).toContain(message);
    expect(io.stdout).toBe('');
  });
});
