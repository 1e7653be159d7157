import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { z } from 'zod';
import {
  nativeExportResult,
  nativeImport,
  nativeImportList,
} from '../../functions/http/native-plans-schemas';
import { ApiFailure } from './api-client';
import { CONNECTION_USAGE, stringFlag, UsageError, type ParsedArgs } from './cli-args';
import { EXIT } from './exit-codes';
import { remoteCommand } from './remote-command';

// `durable-recovery import` and `export`: the app's API reads and writes the vault's native recovery
// plans with its managed identity (docs/native-plans.md); these commands call it and write the files.

const importUsage = `Usage: durable-recovery import --vault <vault-id> --owner <email> (<native-plan> [--out <file>] | --all --out-dir <dir>) [options]

Reads native ASR recovery plans of a vault (through the app) and writes each as a YAML plan that runs in
exactly the native order. Prints, per plan, whether its ASR view matches the native groups ("native
order preserved: groups 1..N match") and what needs attention (script actions, which cannot run in
Azure-to-Azure). Files are only written when every plan imported cleanly and no file would be
overwritten (unless --force).

  --vault <id>              the vault's ARM id, /subscriptions/…/providers/Microsoft.RecoveryServices/vaults/<name>
  --owner <email>           metadata.owners of the written plans (repeatable; required)
  <native-plan>             one plan: written to --out <file>, or printed on stdout without --out
  --all --out-dir <dir>     every plan of the vault, one <name>.yaml each (names made safe)
  --force                   overwrite existing files
  --approver-group <name>   the approver group manual actions become approvals of (default dr-approvers)
  --approver <email>        its members (repeatable; default the owners)
  --approval-timeout <min>  how long those approvals wait (default 1440)
  --rto <min> --rpo <min>   objectives (ASR has none; default 240 and 60)

Exit codes: 0 imported, 4 imported but something needs attention, 1 refused or failed, 2 usage.

${CONNECTION_USAGE}`;

const exportUsage = `Usage: durable-recovery export <plan> [--native-name <name>] [--allow-dropped] [--dry-run]

Creates or updates the native ASR recovery plan of a stored plan (durable-recovery plans push first),
through the app. Reads the native plan first and writes only when it differs ("unchanged" otherwise).
Refuses, naming every reason, when the plan does not fit ASR (more than 7 groups or 100 items, an order
ASR groups cannot hold, steps with no native form); it never reorders.

  --native-name <name>   the native plan's name (default the plan's name)
  --allow-dropped        leave checks, webhooks, waits and runbook parameters out (listed) instead of refusing
  --dry-run              say what would be written, write nothing

${CONNECTION_USAGE}`;

const list = (args: ParsedArgs, name: string): string[] => {
  const value = args.values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
};

function importQuery(args: ParsedArgs): string {
  const query = new URLSearchParams();
  query.set('vault', stringFlag(args, 'vault') ?? '');
  for (const owner of list(args, 'owner')) query.append('owner', owner);
  for (const approver of list(args, 'approver')) query.append('approver', approver);
  const pairs: [string, string][] = [
    ['approver-group', 'approverGroup'],
    ['approval-timeout', 'approvalTimeoutMinutes'],
    ['rto', 'rtoMinutes'],
    ['rpo', 'rpoMinutes'],
  ];
  for (const [flag, param] of pairs) {
    const value = stringFlag(args, flag);
    if (value !== undefined) query.set(param, value);
  }
  return query.toString();
}

type Imported = z.output<typeof nativeImport>;

function report(io: { out(t: string): void; err(t: string): void }, plan: Imported, where: string): void {
  const out = (text: string) => io.err(`${text}\n`);
  out(`${where} ← native plan "${plan.nativeName}"`);
  if (!plan.ok)
    for (const issue of plan.issues.filter((i) => i.severity === 'error'))
      out(`  invalid: ${issue.path}: ${issue.message} [${issue.rule}]`);
  const { equivalence } = plan;
  out(
    equivalence.matches
      ? `  native order preserved: groups 1..${equivalence.groups} match`
      : `  native order NOT preserved: ${equivalence.differences.join('; ')}`,
  );
  for (const text of plan.attention) out(`  needs attention: ${text}`);
  for (const text of plan.notes) out(`  note: ${text}`);
}

export const importCommand = remoteCommand({
  name: 'import',
  summary: 'import native ASR recovery plans of a vault as YAML plans (one, or --all into a folder)',
  usage: importUsage,
  positionals: ['native-plan?'],
  options: {
    vault: { type: 'string' },
    owner: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    out: { type: 'string' },
    'out-dir': { type: 'string' },
    force: { type: 'boolean' },
    'approver-group': { type: 'string' },
    approver: { type: 'string', multiple: true },
    'approval-timeout': { type: 'string' },
    rto: { type: 'string' },
    rpo: { type: 'string' },
  },
  check: (args) => {
    if (stringFlag(args, 'vault') === undefined)
      throw new UsageError('import: --vault <vault-id> is required');
    if (list(args, 'owner').length === 0)
      throw new UsageError('import: --owner <email> is required (metadata.owners)');
    const one = args.positionals[0];
    const all = args.values.all === true;
    if (all === (one !== undefined))
      throw new UsageError('import: give one <native-plan> or --all, not both or neither');
    if (all && stringFlag(args, 'out-dir') === undefined)
      throw new UsageError('import: --all needs --out-dir <dir>');
    if (!all && stringFlag(args, 'out-dir') !== undefined)
      throw new UsageError('import: --out-dir goes with --all; one plan takes --out <file>');
    if (all && stringFlag(args, 'out') !== undefined)
      throw new UsageError('import: --out is for one plan; --all takes --out-dir <dir>');
  },
  run: async ({ io, args, client, json, printJson }) => {
    const query = importQuery(args);
    const one = args.positionals[0];
    let plans: Imported[];
    let targets: (string | undefined)[];
    if (one !== undefined) {
      const { body } = await client.send(
        'GET',
        `/api/native-plans/${encodeURIComponent(one)}?${query}`,
        nativeImport,
      );
      plans = [body];
      const out = stringFlag(args, 'out');
      targets = [out === undefined ? undefined : resolve(io.cwd, out)];
    } else {
      const { body } = await client.send('GET', `/api/native-plans?${query}`, nativeImportList);
      plans = body.plans;
      const dir = resolve(io.cwd, stringFlag(args, 'out-dir') ?? '.');
      targets = plans.map((p) => join(dir, p.fileName));
    }
    // Everything is checked before the first file is written: no half-imported folder.
    const invalid = plans.filter((p) => !p.ok).map((p) => p.nativeName);
    const existing =
      args.values.force === true ? [] : targets.filter((t): t is string => t !== undefined && existsSync(t));
    if (json) printJson(one !== undefined ? plans[0] : { plans });
    else
      plans.forEach((p, i) => {
        const target = targets[i];
        report(io, p, target === undefined ? 'stdout' : relative(io.cwd, target) || target);
      });
    if (invalid.length > 0)
      throw new ApiFailure(
        0,
        'import-invalid',
        `${invalid.join(', ')}: the written plan would not validate; nothing written`,
      );
    if (existing.length > 0)
      throw new ApiFailure(
        0,
        'file-exists',
        `${existing.map((t) => relative(io.cwd, t)).join(', ')} already exist(s); nothing written (--force overwrites)`,
      );
    if (plans.length === 0 && !json) io.err('the vault has no recovery plans; nothing written\n');
    plans.forEach((plan, i) => {
      const target = targets[i];
      if (target === undefined) {
        if (!json) io.out(plan.source);
        return;
      }
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, plan.source);
    });
    return plans.some((p) => p.attention.length > 0) ? EXIT.needsAttention : EXIT.ok;
  },
});

export const exportCommand = remoteCommand({
  name: 'export',
  summary: 'create or update the native ASR recovery plan of a stored plan (refuses what ASR cannot hold)',
  usage: exportUsage,
  positionals: ['plan'],
  options: {
    'native-name': { type: 'string' },
    'allow-dropped': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  run: async ({ io, args, client, json, printJson }) => {
    const name = args.positionals[0] ?? '';
    const nativeName = stringFlag(args, 'native-name');
    try {
      const { body } = await client.send(
        'POST',
        `/api/plans/${encodeURIComponent(name)}/native-export`,
        nativeExportResult,
        {
          json: {
            ...(nativeName !== undefined ? { nativeName } : {}),
            ...(args.values['allow-dropped'] === true ? { allowDropped: true } : {}),
            ...(args.values['dry-run'] === true ? { dryRun: true } : {}),
          },
        },
      );
      if (json) {
        printJson(body);
        return EXIT.ok;
      }
      io.out(
        `${body.nativeName}: ${body.outcome} (${body.groups} group(s), ${body.items} item(s)) in ${body.vault.split('/').at(-1) ?? body.vault}\n`,
      );
      for (const text of body.dropped) io.err(`  dropped: ${text}\n`);
      for (const text of body.notes) io.err(`  note: ${text}\n`);
      return EXIT.ok;
    } catch (error) {
      if (
        !json &&
        error instanceof ApiFailure &&
        error.code === 'native-plan-does-not-fit' &&
        Array.isArray(error.details)
      ) {
        io.err(`export: ${name} does not fit a native ASR recovery plan; nothing written:\n`);
        for (const reason of error.details as string[]) io.err(`  - ${reason}\n`);
        return EXIT.failed;
      }
      throw error;
    }
  },
});
