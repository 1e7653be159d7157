import type { ParseArgsConfig } from 'node:util';
import { ApiClient, ApiFailure, devSignIn, type Identity } from './api-client';
import { CONNECTION_OPTIONS, parseCommandArgs, stringFlag, UsageError, type ParsedArgs } from './cli-args';
import type { CliIo, Command } from './command';
import { resolveConnection } from './connection';
import { EXIT } from './exit-codes';
import { failureMessage } from './failure-message';

/** What an API command's body gets: the parsed flags, a client for the resolved app, and output helpers. */
export interface RemoteContext {
  io: CliIo;
  args: ParsedArgs;
  client: ApiClient;
  json: boolean;
  env: NodeJS.ProcessEnv;
  /** Prints `value` as JSON (the --json output: one document, 2-space indented). */
  printJson: (value: unknown) => void;
}

export interface RemoteSpec {
  /** As typed: `run`, `plans push`. */
  name: string;
  usage: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  /** Positional argument names; `?` marks optional ones. */
  positionals: string[];
  /** Identity flags (--as, --token) for commands that act as a person. */
  person?: boolean;
  /** Checks the flags before anything is sent (throw UsageError). */
  check?: (args: ParsedArgs) => void;
  run: (context: RemoteContext) => Promise<number>;
}

export const PERSON_OPTIONS = {
  as: { type: 'string' },
  token: { type: 'string' },
} as const;

export const PERSON_USAGE = `Who answers (approvals and decisions are a person's, not a key's; docs/cli.md#approvals):
  --as <user>        sign in to the lab as this user (its dev sign-in), e.g. alice@contoso.com
  --token <token>    an Entra access token for the app (App Service Authentication), or DURABLE_RECOVERY_TOKEN`;

async function identityFor(
  spec: RemoteSpec,
  args: ParsedArgs,
  env: NodeJS.ProcessEnv,
  client: ApiClient,
): Promise<Identity> {
  if (!spec.person) return {};
  const as = stringFlag(args, 'as');
  const token = stringFlag(args, 'token') ?? (env.DURABLE_RECOVERY_TOKEN || undefined);
  if (as !== undefined && stringFlag(args, 'token') !== undefined)
    throw new UsageError('--as and --token: give one, not both');
  if (as !== undefined) return { cookie: await devSignIn(client.connection, as) };
  return token ? { bearer: token } : {};
}

/**
 * Runs one API command: parses the flags (unknown ones are a usage error naming them), finds the app
 * (flags, environment, profile or the lab), runs `spec.run`, and turns failures into messages and exit
 * codes: 2 for usage, 1 for a refusal or an unreachable app; with --json the error goes to stdout as
 * `{"status", "error": {code, message, details}}`.
 */
export async function runRemote(spec: RemoteSpec, argv: string[], io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  let json = argv.includes('--json');
  try {
    const args = parseCommandArgs(
      spec.name,
      argv,
      { ...CONNECTION_OPTIONS, ...(spec.person ? PERSON_OPTIONS : {}), ...spec.options },
      spec.positionals,
    );
    json = args.values.json === true;
    spec.check?.(args);
    const connection = resolveConnection(
      {
        ...(stringFlag(args, 'url') !== undefined ? { url: stringFlag(args, 'url') } : {}),
        ...(stringFlag(args, 'key') !== undefined ? { key: stringFlag(args, 'key') } : {}),
        ...(stringFlag(args, 'profile') !== undefined ? { profile: stringFlag(args, 'profile') } : {}),
        ...(stringFlag(args, 'lab-dir') !== undefined ? { labDir: stringFlag(args, 'lab-dir') } : {}),
      },
      env,
      io.cwd,
      (text) => io.err(`${text}\n`),
    );
    const bare = new ApiClient(connection);
    const identity = await identityFor(spec, args, env, bare);
    const client = identity.cookie || identity.bearer ? new ApiClient(connection, identity) : bare;
    return await spec.run({
      io,
      args,
      client,
      json,
      env,
      printJson: (value) => io.out(`${JSON.stringify(value, null, 2)}\n`),
    });
  } catch (error) {
    if (error instanceof UsageError) {
      const help = spec.name.split(' ')[0] ?? spec.name;
      io.err(`${error.message}\n(durable-recovery ${help} --help shows every option)\n`);
      return EXIT.usage;
    }
    if (error instanceof ApiFailure) {
      if (json) io.out(`${JSON.stringify(error.toJson(), null, 2)}\n`);
      else io.err(failureMessage(spec.name, error));
      return EXIT.failed;
    }
    throw error;
  }
}

/** A Command whose `run` is runRemote(spec). */
export function remoteCommand(spec: RemoteSpec & { summary: string }): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    run: (args, io) => runRemote(spec, args, io),
  };
}
