import { Document } from 'yaml';
import { asrGroups } from '../plan/asr-groups';
import type { PlanIssue } from '../plan/plan-issue';
import type { Operation } from '../plan/plan-types';
import { validatePlan } from '../plan/validate-plan';
import type { VaultRef } from '../ports/site-recovery-port';
import { compareWithNative, type Equivalence } from './native-equivalence';
import {
  DEFAULT_RUNBOOK_MINUTES,
  PRIMARY_SIDE_LABEL,
  parseRunbookId,
  planNameFrom,
  stepIdFrom,
  timeoutMinutes,
} from './native-names';
import { filterLoss, operationsOf } from './native-operations';
import { bootGroups, type NativeAction, type NativeRecoveryPlan } from './native-plan';

/** What the person importing decides (docs/native-plans.md#import): ASR does not know these. */
export interface ImportOptions {
  vault: VaultRef;
  /** `metadata.name`; default: the native name made safe (lowercase letters, digits, `-`). */
  planName?: string;
  /** `metadata.owners` (1–50 e-mail addresses). */
  owners: string[];
  /** The approver group manual actions become approvals of (default `dr-approvers`). */
  approverGroup?: string;
  /** Its members; default the owners. */
  approvers?: string[];
  /** How long an approval from a manual action waits (default 1440 minutes; ASR waits until resumed). */
  approvalTimeoutMinutes?: number;
  rtoMinutes?: number;
  rpoMinutes?: number;
  /** Protected item ARM id (lowercase) → the name to write (its VM name); others keep the id's last segment. */
  itemNames?: ReadonlyMap<string, string>;
}

export interface ImportResult {
  /** The native plan's name and the plan's `metadata.name`. */
  nativeName: string;
  name: string;
  /** The YAML plan, with a comment for each action that needs attention. */
  source: string;
  /** Actions the plan could not take over (script actions, unreadable runbooks), one sentence each. */
  attention: string[];
  /** Where the plan differs in form but not in order (e.g. an item-less group's end actions). */
  notes: string[];
  /** Validation of the written plan: empty issues and `ok` when it validates. */
  ok: boolean;
  issues: PlanIssue[];
  /** The plan's ASR view compared with the native plan, group by group. */
  equivalence: Equivalence;
}

const ALL_ACTION_OPERATIONS: Operation[] = ['test', 'planned', 'unplanned', 'failback'];

type StepDoc = Record<string, unknown> & { id: string };

/**
 * A native plan as a plan in the `groups` form that runs in exactly the native order: Boot group N is
 * group `GroupN`, whose steps wait for every step of group N-1 (the barrier); inside a group the start
 * actions run one after another, then one failover step for the group's items, then the end actions
 * one after another. Runbook actions become runbook steps (which receive RecoveryPlanContext as ASR
 * gives it), manual actions approvals of `approverGroup`, failover type/direction filters `when`.
 * Script actions cannot run in Azure-to-Azure: they are left out and named in `attention` and in a
 * comment. Pure: item names come in `options.itemNames`.
 */
export function importNativePlan(native: NativeRecoveryPlan, options: ImportOptions): ImportResult {
  const name = options.planName ?? planNameFrom(native.name);
  const approverGroup = options.approverGroup ?? 'dr-approvers';
  const attention: string[] = [];
  const notes: string[] = [];
  const taken = new Set<string>();
  const primarySide: string[] = [];
  const comments = new Map<number, string[]>();
  let manual = false;

  const boot = bootGroups(native);
  // Actions of ASR's own Shutdown and Failover groups run before Boot group 1.
  const leading = native.groups
    .filter((g) => g.groupType !== 'Boot')
    .flatMap((g) =>
      [...g.startGroupActions, ...g.endGroupActions].map((action) => ({ action, from: g.groupType })),
    );
  for (const { action, from } of leading)
    notes.push(
      `action "${action.actionName}" of ASR's ${from} group runs at the start of Group1 (exported back, it is a start action of Group 1)`,
    );

  const groups = boot.map((group, g) => {
    const label = `Group${g + 1}`;
    const steps: StepDoc[] = [];
    const where = (side: string, action: NativeAction) =>
      `Group ${g + 1} ${side} action "${action.actionName}"`;
    const addAction = (action: NativeAction, side: string): void => {
      const step = actionStep(action, where(side, action));
      if (!step) return;
      if (steps.length > 0) step.dependsOn = [steps.at(-1)!.id];
      steps.push(step);
    };
    const actionStep = (action: NativeAction, at: string): StepDoc | undefined => {
      const details = action.customDetails;
      if (details.instanceType === 'ScriptActionDetails') {
        const text = `${at} is a script (${details.path || 'no path'}, ${details.fabricLocation} side): scripts run on on-premises hosts and cannot run in Azure-to-Azure; rewrite it as a runbook step and add it here`;
        attention.push(text);
        comments.set(g, [...(comments.get(g) ?? []), `NEEDS ATTENTION: ${text}`]);
        return undefined;
      }
      const when = operationsOf(action.failoverTypes, action.failoverDirections);
      if (when.length === 0) {
        attention.push(`${at} runs for no failover (failoverTypes/failoverDirections are empty); left out`);
        return undefined;
      }
      const loss = filterLoss(action.failoverTypes, action.failoverDirections);
      if (loss) notes.push(`${at} ${loss}`);
      const id = stepIdFrom(action.actionName, taken, `${label}-action`);
      if (id !== action.actionName) notes.push(`${at} is step "${id}" (exported back under that name)`);
      const step: StepDoc = { id };
      if (!sameOperations(when, ALL_ACTION_OPERATIONS)) step.when = when;
      if (details.instanceType === 'ManualActionDetails') {
        manual = true;
        step.approval = {
          group: approverGroup,
          timeoutMinutes: options.approvalTimeoutMinutes ?? 1440,
          // The plan format keeps texts to 2,048 characters.
          ...(details.description?.trim() ? { message: details.description.trim().slice(0, 2048) } : {}),
        };
        return step;
      }
      const runbook = parseRunbookId(details.runbookId);
      if (!runbook) {
        const text = `${at}: runbookId '${details.runbookId}' is not an Automation runbook id (/subscriptions/…/automationAccounts/{account}/runbooks/{name}); left out`;
        attention.push(text);
        comments.set(g, [...(comments.get(g) ?? []), `NEEDS ATTENTION: ${text}`]);
        taken.delete(id.toLowerCase());
        return undefined;
      }
      const minutes = timeoutMinutes(details.timeout);
      step.runbook = {
        account: runbook.account,
        name: runbook.name,
        ...(runbook.resourceGroup.toLowerCase() === options.vault.resourceGroup.toLowerCase()
          ? {}
          : { resourceGroup: runbook.resourceGroup }),
        ...(runbook.subscriptionId.toLowerCase() === options.vault.subscriptionId.toLowerCase()
          ? {}
          : { subscriptionId: runbook.subscriptionId }),
        ...(minutes !== undefined && minutes !== DEFAULT_RUNBOOK_MINUTES
          ? { timeoutMinutes: Math.max(1, minutes) }
          : {}),
      };
      if (details.timeout !== undefined && minutes === undefined)
        notes.push(
          `${at}: timeout '${details.timeout}' is not a duration; the runbook step keeps 60 minutes`,
        );
      if (details.fabricLocation === 'Primary') primarySide.push(id);
      return step;
    };

    if (g === 0) for (const { action, from } of leading) addAction(action, `${from} group`);
    for (const action of group.startGroupActions) addAction(action, 'start');
    if (group.items.length > 0) {
      const step: StepDoc = {
        id: stepIdFrom(`${label}-failover`, taken, `${label}-failover`),
        failover: { items: group.items.map((id) => itemName(id, options.itemNames)) },
      };
      if (steps.length > 0) step.dependsOn = [steps.at(-1)!.id];
      steps.push(step);
    } else if (group.endGroupActions.length > 0)
      notes.push(
        `Group ${g + 1} has no items: its end actions follow its start actions (exported back, they are start actions)`,
      );
    for (const action of group.endGroupActions) addAction(action, 'end');
    return { name: label, steps };
  });

  const document: Record<string, unknown> = {
    apiVersion: 'durable-recovery/v1',
    kind: 'RecoveryPlan',
    metadata: {
      name,
      description: `Imported from the native ASR recovery plan "${native.name}" of vault ${options.vault.name}`,
      owners: options.owners,
      ...(primarySide.length > 0 ? { labels: { [PRIMARY_SIDE_LABEL]: primarySide.join(',') } } : {}),
    },
    vault: {
      subscriptionId: options.vault.subscriptionId,
      resourceGroup: options.vault.resourceGroup,
      name: options.vault.name,
    },
    objectives: { rtoMinutes: options.rtoMinutes ?? 240, rpoMinutes: options.rpoMinutes ?? 60 },
    ...(manual ? { approvers: { [approverGroup]: options.approvers ?? options.owners } } : {}),
    groups: groups.filter((g) => g.steps.length > 0),
  };
  const emptyGroups = groups.filter((g) => g.steps.length === 0).map((g) => g.name);
  if (emptyGroups.length > 0)
    attention.push(`${emptyGroups.join(', ')}: no items and no actions left; not written`);

  const source = toYaml(document, native.name, comments, groups);
  const validated = validatePlan(source, { fileName: `${name}.yaml` });
  const equivalence = validated.ok
    ? compareWithNative(asrGroups(validated.plan), validated.plan, native, options.itemNames)
    : { matches: false, groups: boot.length, differences: ['the written plan does not validate'] };
  return {
    nativeName: native.name,
    name,
    source,
    attention,
    notes,
    ok: validated.ok,
    issues: validated.issues,
    equivalence,
  };
}

function itemName(id: string, names: ReadonlyMap<string, string> | undefined): string {
  return names?.get(id.toLowerCase()) ?? id.split('/').filter(Boolean).at(-1) ?? id;
}

const sameOperations = (a: Operation[], b: Operation[]): boolean =>
  a.length === b.length && a.every((op) => b.includes(op));

function toYaml(
  document: Record<string, unknown>,
  nativeName: string,
  comments: Map<number, string[]>,
  groups: { name: string }[],
): string {
  const doc = new Document(document, { aliasDuplicateObjects: false });
  const header = [
    `Imported from the native ASR recovery plan "${nativeName}" by durable-recovery import.`,
    'Groups run in the native order: each group waits for every step of the group before it.',
    'Review owners, approvers and objectives: ASR does not hold them.',
  ];
  const attention = [...comments.values()].flat();
  doc.commentBefore = [...header, ...attention].map((l) => ` ${l}`).join('\n');
  const written = (document.groups as { name: string }[]).map((g) => g.name);
  for (const [index, lines] of comments) {
    const at = written.indexOf(groups[index]?.name ?? '');
    const node = doc.getIn(['groups', at], true) as { commentBefore?: string } | undefined;
    if (at >= 0 && node) node.commentBefore = lines.map((l) => ` ${l}`).join('\n');
  }
  return doc.toString({ lineWidth: 0 });
}
