import { resolve } from 'node:path';
import { parseSource } from '../../core/plan/parse-source';
import type { PlanIssue } from '../../core/plan/plan-issue';
import { planList, planStored, planVersions, storedPlan } from '../../functions/http/api-schemas';
import { ApiFailure } from './api-client';
import { CONNECTION_USAGE, stringFlag } from './cli-args';
import type { Command } from './command';
import { EXIT } from './exit-codes';
import { formatIssue, readPlanFile } from './plan-file-reader';
import { formatTable } from './plan-table';
import { runRemote, type RemoteSpec } from './remote-command';

const usage = `Usage: durable-recovery plans push <file> | list | versions <name> [--limit <n>] | show <name> [--hash <hash>]

  push <file>    validate and store a plan file (YAML or JSON) under its metadata.name; prints the
                 version (content hash), whether it changed, and every problem as file:line:col rule message
  list           the stored plans (current versions)
  versions <name>  every stored version of a plan, newest first (version, stored at, size, current);
                 --limit <n> (1-200, default 50)
  show <name>    a stored plan's source on stdout (its name, version and time on stderr);
                 --hash <hash> shows a pinned version (a run's plan.hash)

${CONNECTION_USAGE}`;

const short = (hash: string | undefined) => (hash ?? '').slice(0, 12);

const push: RemoteSpec = {
  name: 'plans push',
  usage,
  positionals: ['file'],
  run: async ({ io, args, client, json, printJson }) => {
    const file = args.positionals[0] ?? '';
    const read = readPlanFile(resolve(io.cwd, file));
    if (!read.ok)
      throw new ApiFailure(0, 'unreadable-file', read.message.replace(resolve(io.cwd, file), file));
    const parsed = parseSource(read.bytes);
    const name = parsed.ok ? (parsed.value as { metadata?: { name?: unknown } }).metadata?.name : undefined;
    if (typeof name !== 'string' || name === '') {
      throw new ApiFailure(
        0,
        'no-plan-name',
        `${file}: metadata.name is required to know where to store the plan (run \`durable-recovery validate ${file}\`)`,
      );
    }
    try {
      const { status, body } = await client.send(
        'PUT',
        `/api/plans/${encodeURIComponent(name)}`,
        planStored,
        {
          raw: Buffer.from(read.bytes).toString('utf8'),
        },
      );
      if (json) {
        printJson(body);
        return EXIT.ok;
      }
      for (const warning of body.warnings ?? []) io.err(`${formatIssue(file, warning)}\n`);
      const what = status === 201 || body.changed ? 'stored a new version' : 'unchanged (same content)';
      io.out(`${name}: ${what}, version ${short(body.hash)}\n`);
      return EXIT.ok;
    } catch (error) {
      // The server's issues carry lines and columns: print them like `validate` does.
      if (
        !json &&
        error instanceof ApiFailure &&
        error.code === 'invalid-plan' &&
        Array.isArray(error.details)
      ) {
        const issues = error.details as PlanIssue[];
        for (const issue of issues) io.err(`${formatIssue(file, issue)}\n`);
        io.err(
          `plans push: ${name} refused: ${issues.filter((i) => i.severity === 'error').length} error(s); nothing stored\n`,
        );
        return EXIT.failed;
      }
      throw error;
    }
  },
};

const list: RemoteSpec = {
  name: 'plans list',
  usage,
  positionals: [],
  run: async ({ io, client, json, printJson }) => {
    const { body } = await client.send('GET', '/api/plans', planList);
    if (json) {
      printJson(body);
      return EXIT.ok;
    }
    const plans = body.plans ?? [];
    if (plans.length === 0) {
      io.out('No plans stored. Store one: durable-recovery plans push plans/shop.yaml\n');
      return EXIT.ok;
    }
    const rows = plans.map((p) => [p.name ?? '', short(p.hash), p.storedAt ?? '']);
    io.out(`${formatTable([['NAME', 'VERSION', 'STORED AT'], ...rows], '')}\n`);
    return EXIT.ok;
  },
};

const show: RemoteSpec = {
  name: 'plans show',
  usage,
  positionals: ['name'],
  options: { hash: { type: 'string' } },
  run: async ({ io, args, client, json, printJson }) => {
    const name = args.positionals[0] ?? '';
    const hash = stringFlag(args, 'hash');
    const query = hash ? `?hash=${encodeURIComponent(hash)}` : '';
    const { body } = await client.send('GET', `/api/plans/${encodeURIComponent(name)}${query}`, storedPlan);
    if (json) {
      printJson(body);
      return EXIT.ok;
    }
    io.err(`# ${body.name} version ${body.hash}, stored ${body.storedAt}\n`);
    io.out(body.source.endsWith('\n') ? body.source : `${body.source}\n`);
    return EXIT.ok;
  },
};

const versions: RemoteSpec = {
  name: 'plans versions',
  usage,
  positionals: ['name'],
  options: { limit: { type: 'string' } },
  run: async ({ io, args, client, json, printJson }) => {
    const name = args.positionals[0] ?? '';
    const limit = stringFlag(args, 'limit');
    // The API checks the limit (1-200) and names it when it is wrong.
    const query = limit === undefined ? '' : `?limit=${encodeURIComponent(limit)}`;
    const path = `/api/plans/${encodeURIComponent(name)}/versions${query}`;
    const { body } = await client.send('GET', path, planVersions);
    if (json) {
      printJson(body);
      return EXIT.ok;
    }
    const rows = body.versions.map((v) => [
      short(v.hash),
      v.storedAt,
      String(v.size),
      v.current ? 'current' : '',
    ]);
    io.out(`${formatTable([['VERSION', 'STORED AT', 'BYTES', ''], ...rows], '')}\n`);
    if (body.total > body.versions.length)
      io.out(`${body.versions.length} of ${body.total} versions; --limit shows more\n`);
    io.out(`Show one: durable-recovery plans show ${name} --hash <version>\n`);
    return EXIT.ok;
  },
};

const subcommands: Record<string, RemoteSpec> = { push, list, versions, show };

/** `durable-recovery plans push|list|show`: the app's stored plans. */
export const plansCommand: Command = {
  name: 'plans',
  summary: 'plans push <file> | list | versions <name> | show <name>: the plans stored in the app',
  usage,
  run: async (args, io) => {
    const [sub, ...rest] = args;
    const spec = sub === undefined ? undefined : subcommands[sub];
    if (!spec) {
      io.err(
        `plans: unknown or missing subcommand '${sub ?? ''}' (push, list, versions or show)\n\n${usage}\n`,
      );
      return EXIT.usage;
    }
    return runRemote(spec, rest, io);
  },
};
