import { describe, expect, it } from 'vitest';
import { parseHostArgs } from '../../../local/cli/host-command';

describe('durable-recovery host options', () => {
  it('when options are given, then paths resolve against the working directory and the port defaults to 7071', () => {
    expect(parseHostArgs(['--app', 'app'], '/work')).toEqual({ app: '/work/app', port: 7071 });
    expect(
      parseHostArgs(['--app=/a', '--port', '0', '--state-dir', 's', '--keys-file', 'k.json'], '/w'),
    ).toEqual({
      app: '/a',
      port: 0,
      stateDir: '/w/s',
      keysFile: '/w/k.json',
    });
  });

  it('when an option is wrong, then the message names the option and the rule', () => {
    expect(parseHostArgs([], '/w')).toBe('--app: required (the directory of the Functions app to run)');
    expect(parseHostArgs(['--app', 'a', '--port', '70000'], '/w')).toBe(
      "--port: must be a whole number from 0 to 65535, got '70000'",
    );
    expect(parseHostArgs(['--app', 'a', '--port', 'x'], '/w')).toMatch(/^--port:/);
    expect(parseHostArgs(['--app'], '/w')).toBe('--app: needs a value');
    expect(parseHostArgs(['--app', 'a', '--verbose'], '/w')).toBe("unknown option '--verbose'");
  });
});
