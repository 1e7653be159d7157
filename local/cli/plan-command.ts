import { resolve } from 'node:path';
import { asrGroups, type AsrAction } from '../../core/plan/asr-groups';
import { forecast, topologicalLayers } from '../../core/plan/plan-graph';
import type { NetworkStep, Operation, RecoveryPlan, Step } from '../../core/plan/plan-types';
import { describeNetworkStep, networkSpecOf } from '../../core/plan/network-step-normalize';
import { isNetworkKind } from '../../core/plan/network-step-types';
import { OPERATIONS } from '../../core/plan/plan-types';
import type { Command, CliIo } from './command';
import { formatIssue, siblingPlans, validatePlanFile } from './plan-file-reader';
import { formatTable } from './plan-table';

const usage = `Usage: durable-recovery plan <file> [--operation <op>]

Shows a recovery plan: its steps, the layers that run in parallel, the critical path and the RTO
forecast against the objective, plus how it would look as native ASR groups.

Options:
  --operation <op>   forecast detail for this operation (${OPERATIONS.join(', ')}); default planned`;

const RTO_OPERATIONS: Operation[] = ['test', 'planned', 'unplanned', 'failback'];

function minutes(value: number): string {
  return `${Number.isInteger(value) ? value : value.toFixed(1)} min`;
}

function what(step: Step): string {
  if (isNetworkKind(step.kind)) return describeNetworkStep(networkSpecOf(step as NetworkStep));
  switch (step.kind) {
    case 'failover':
      return step.failover.items
        .map((i) => (i.by === 'vmId' ? (i.ref.split('/').pop() ?? i.ref) : i.ref))
        .join(', ');
    case 'runbook':
      return `${step.runbook.account}/${step.runbook.name}`;
    case 'approval':
      return `${step.approval.quorum} of ${step.approval.group}, ${minutes(step.approval.timeoutMinutes)} then ${step.approval.onTimeout.action}`;
    case 'wait':
      return minutes(step.wait.minutes);
    case 'check':
      return `${step.check.http.method} ${step.check.http.url}`;
    case 'webhook':
      return `${step.webhook.method} ${step.webhook.url}`;
    case 'plan':
      return `sub-plan ${step.plan.name}`;
  }
}

/** An action as the ASR view shows it: step, how ASR would carry it, and its operations when narrowed. */
function actionLabel(action: AsrAction): string {
  const carrier =
    action.instanceType === 'ManualActionDetails'
      ? 'manual'
      : action.kind === 'runbook'
        ? 'runbook'
        : `${action.kind} as runbook`;
  const only = action.when.length < 4 ? `, ${action.when.join('+') || 'never'}` : '';
  return `${action.stepId} (${carrier}${only})`;
}

function describe(plan: RecoveryPlan, operation: Operation): string {
  const out: string[] = [];
  out.push(`Plan ${plan.metadata.name}${plan.metadata.description ? ` - ${plan.metadata.description}` : ''}`);
  out.push(
    `Vault ${plan.vault.name} (resource group ${plan.vault.resourceGroup}, subscription ${plan.vault.subscriptionId})`,
  );
  out.push(
    `Objectives: RTO ${minutes(plan.objectives.rtoMinutes)}, RPO ${minutes(plan.objectives.rpoMinutes)}`,
  );
  if (plan.drill) {
    const schedule = plan.drill.schedule ? `schedule "${plan.drill.schedule}"` : 'no schedule';
    out.push(
      `Drills: ${schedule}, auto-approve ${plan.drill.autoApprove ? 'yes' : 'no'}, cleanup ${plan.drill.cleanup.policy}`,
    );
  }

  out.push('', `Steps (${plan.steps.length})`);
  const when = (s: Step) => (s.when.length === OPERATIONS.length ? 'all' : s.when.join(', '));
  const stepRows = plan.steps.map((s) => [
    s.id,
    s.kind,
    s.dependsOn.join(', ') || '-',
    when(s),
    minutes(s.budgetMinutes),
    what(s),
  ]);
  out.push(formatTable([['ID', 'KIND', 'DEPENDS ON', 'WHEN', 'BUDGET', 'WHAT'], ...stepRows], '  ', [4]));

  // Layers for the operation shown: steps it skips are transparent, as the scheduler runs them.
  const layers = topologicalLayers(plan, operation);
  out.push(
    '',
    `Layers for ${operation} (the steps of a layer can run in parallel; skipped steps are left out)`,
  );
  out.push(
    formatTable(
      layers.map((layer, i) => [String(i + 1), layer.join(', ')]),
      '  ',
      [0],
    ),
  );

  const detail = forecast(plan, operation);
  out.push('', `Forecast for ${operation}`);
  const forecastRows = detail.steps.map((s) => [
    s.id,
    s.skipped ? '-' : minutes(s.startMinutes),
    s.skipped ? '-' : minutes(s.finishMinutes),
    s.skipped ? 'skipped' : '',
  ]);
  out.push(formatTable([['STEP', 'START', 'FINISH', ''], ...forecastRows], '  ', [1, 2]));
  out.push(`  Critical path: ${detail.criticalPath.join(' → ')} (${minutes(detail.totalMinutes)})`);

  out.push('', 'RTO forecast by operation (commit, reprotect and cleanup happen after recovery)');
  const byOperation = RTO_OPERATIONS.map((op) => forecast(plan, op)).map((f) => [
    f.operation ?? '',
    minutes(f.totalMinutes),
    minutes(f.rtoMinutes),
    f.withinObjective ? `ok, ${minutes(f.marginMinutes)} to spare` : `MISSES by ${minutes(-f.marginMinutes)}`,
  ]);
  out.push(formatTable([['OPERATION', 'FORECAST', 'RTO', ''], ...byOperation], '  ', [1, 2]));

  const asr = asrGroups(plan, operation);
  out.push(
    '',
    `As a native ASR recovery plan (${asr.from === 'groups' ? 'its groups as written' : 'groups derived from the graph'}; each group fails its items over together after the previous group, actions run one at a time)`,
  );
  const actions = (list: AsrAction[]) => list.map(actionLabel).join(', ') || '-';
  out.push(
    formatTable([
      ['GROUP', 'START ACTIONS', 'FAILOVER', 'END ACTIONS'],
      ...asr.groups.map((g, i) => [
        `${i + 1} ${g.name}`,
        actions(g.startActions),
        g.failovers.join(', ') || '-',
        actions(g.endActions),
      ]),
    ]),
  );
  out.push(
    `  ${asr.groups.length} groups, ${operation} forecast ${minutes(asr.forecastMinutes)} (this plan: ${minutes(detail.totalMinutes)})`,
  );
  for (const problem of asr.problems) out.push(`  Does not fit ASR: ${problem}`);
  return `${out.join('\n')}\n`;
}

function parseArgs(args: string[], io: CliIo): { file: string; operation: Operation } | undefined {
  let operation: Operation = 'planned';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--operation') {
      const value = args[++i];
      if (!OPERATIONS.includes(value as Operation)) {
        io.err(`plan: --operation must be one of ${OPERATIONS.join(', ')}\n`);
        return undefined;
      }
      operation = value as Operation;
    } else if (arg.startsWith('-')) {
      io.err(`plan: unknown option ${arg}\n`);
      return undefined;
    } else files.push(arg);
  }
  if (files.length !== 1) {
    io.err('plan: give exactly one plan file\n');
    return undefined;
  }
  return { file: files[0] ?? '', operation };
}

/** `durable-recovery plan`: what a plan will do, in what order, and how long it should take. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'show a plan: steps, layers, critical path, RTO forecast',
  usage,
  async run(args, io) {
    const parsed = parseArgs(args, io);
    if (!parsed) {
      io.err(`${usage}\n`);
      return 2;
    }
    const path = resolve(io.cwd, parsed.file);
    const result = validatePlanFile(path, siblingPlans([path]));
    if ('unreadable' in result) {
      io.err(`plan: ${result.unreadable.replace(path, parsed.file)}\n`);
      return 2;
    }
    for (const issue of result.issues) io.err(`${formatIssue(parsed.file, issue)}\n`);
    if (!result.ok) return 1;
    io.out(describe(result.plan, parsed.operation));
    return 0;
  },
};
