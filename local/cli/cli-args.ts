import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake on the command line: exit 2, nothing sent. The message names the flag and the rule. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The flags every API command takes: where the app is, how to authenticate, and output. */
export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  key: { type: 'string' },
  profile: { type: 'string' },
  'lab-dir': { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies Options;

export const CONNECTION_USAGE = `Connection (docs/cli.md#connecting):
  --url <url>        the app, e.g. https://dr-func.azurewebsites.net (or DURABLE_RECOVERY_URL)
  --key <key>        a function key (or DURABLE_RECOVERY_KEY; a flag shows in the process list)
  --profile <name>   a profile from ~/.config/durable-recovery/profiles.json, or \`lab\` (or DURABLE_RECOVERY_PROFILE)
  --lab-dir <dir>    the running lab's directory (default .lab, or LAB_DIR); used when nothing else is given
  --json             print the API's JSON answer (errors too, as {"status", "error"}) instead of text`;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses `args` with node's own parser in strict mode: an unknown flag or a flag without its value is
 * a UsageError naming it. `positionals` names the expected arguments, `?` marking optional ones.
 */
export function parseCommandArgs(
  command: string,
  args: string[],
  options: Options,
  positionals: string[],
): ParsedArgs {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true }) as ParsedArgs;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new UsageError(`${command}: unknown option '${flag}'`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? '';
      throw new UsageError(
        flag ? `${command}: ${flag} needs a value` : `${command}: ${message.split('.')[0] ?? message}`,
      );
    }
    throw new UsageError(`${command}: ${message}`);
  }
  const required = positionals.filter((p) => !p.endsWith('?'));
  if (parsed.positionals.length < required.length) {
    const missing = required.slice(parsed.positionals.length);
    throw new UsageError(`${command}: missing ${missing.map((p) => `<${p}>`).join(' ')}`);
  }
  if (parsed.positionals.length > positionals.length) {
    const extra = parsed.positionals.slice(positionals.length);
    throw new UsageError(`${command}: unexpected argument '${extra[0] ?? ''}'`);
  }
  return parsed;
}

/** A string flag's value, if given (empty counts as a usage mistake). */
export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name}: needs a value`);
  return value;
}

/** A positive number of seconds from a flag, within `max`. */
export function secondsFlag(parsed: ParsedArgs, name: string, fallback: number, max: number): number {
  const text = stringFlag(parsed, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new UsageError(`--${name}: must be a number of seconds above 0 and at most ${max}, got '${text}'`);
  }
  return value;
}
