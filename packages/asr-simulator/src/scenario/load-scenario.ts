import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { SimClock } from '../clock';
import { FaultInjector } from '../faults';
import { Ledger } from '../ledger';
import { createResourceState, SeedError } from '../resources';
import { alertRuleIssues } from '../monitor/alert-rules';
import { scenarioSchema, type Scenario } from './scenario-schema';

/** A scenario file or body that does not match the schema; `message` names each field and rule. */
export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/**
 * Folder of the seed scenarios: the package's scenarios/, two levels up from both src/scenario/ and
 * the compiled dist/scenario/, so sources and build find the same YAML files.
 */
export const seedScenarioDir = path.join(__dirname, '..', '..', 'scenarios');

/** Parses and validates a scenario given as YAML or JSON text; expands `generatedItems`. */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ScenarioError(`${source}: not valid YAML/JSON: ${reason}`, [
      { path: '', message: String(reason) },
    ]);
  }
  return validateScenario(raw, source);
}

/** Validates an already-parsed scenario object. */
export function validateScenario(raw: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      path: issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, ''),
      message: issue.message,
    }));
    const lines = issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n');
    throw new ScenarioError(`${source} is invalid:\n${lines}`, issues);
  }
  const scenario = result.data;
  if (scenario.generatedItems) {
    const { count, namePrefix, provider, durations } = scenario.generatedItems;
    const width = Math.max(4, String(count).length);
    for (let i = 1; i <= count; i++) {
      scenario.items.push({ name: `${namePrefix}${String(i).padStart(width, '0')}`, provider, durations });
    }
  }
  checkReferences(scenario, source);
  checkResources(scenario, source);
  return scenario;
}

/**
 * Seeds the `network` and `virtualMachines` sections into a throwaway store, so a scenario whose
 * resources the ARM types refuse (address outside its subnet, unknown reference) fails on load with
 * the field named, not later on the first request.
 */
function checkResources(scenario: Scenario, source: string): void {
  try {
    createResourceState(scenario, new SimClock(1, scenario.seed), new Ledger(() => 0), new FaultInjector());
  } catch (error) {
    if (!(error instanceof SeedError)) throw error;
    throw new ScenarioError(`${source} is invalid:\n  ${error.path}: ${error.message}`, [
      { path: error.path, message: error.message },
    ]);
  }
}

/** Item names must be unique; plans and actions must name items and runbooks that exist. */
function checkReferences(scenario: Scenario, source: string): void {
  const issues: { path: string; message: string }[] = [];
  const names = new Set<string>();
  const fabricOf = new Map<string, string>();
  scenario.items.forEach((item, i) => {
    if (names.has(item.name.toLowerCase()))
      issues.push({ path: `items[${i}].name`, message: `duplicate item '${item.name}'` });
    names.add(item.name.toLowerCase());
    const provider = item.provider ?? scenario.defaults.provider;
    if (item.vmm !== undefined && provider !== 'HyperVReplicaAzure')
      issues.push({
        path: `items[${i}].vmm`,
        message: `vmm applies to HyperVReplicaAzure items only (this one is ${provider})`,
      });
    if (item.machine !== undefined && provider !== 'InMageRcm' && provider !== 'InMageAzureV2')
      issues.push({
        path: `items[${i}].machine`,
        message: `machine applies to InMageRcm and InMageAzureV2 items only (this one is ${provider})`,
      });
    // The fabric the item replicates from: a plan may not mix fabrics (as ASR refuses on create).
    fabricOf.set(
      item.name.toLowerCase(),
      provider === 'HyperVReplicaAzure' && item.vmm ? 'HyperVReplicaAzure (VMM)' : provider,
    );
  });
  const runbooks = new Set((scenario.automation?.runbooks ?? []).map((r) => r.name.toLowerCase()));
  scenario.recoveryPlans.forEach((plan, p) => {
    const fabrics = new Set(plan.groups.flatMap((g) => g.items.map((n) => fabricOf.get(n.toLowerCase()))));
    fabrics.delete(undefined);
    if (fabrics.size > 1)
      issues.push({
        path: `recoveryPlans[${p}]`,
        message: `a recovery plan cannot mix fabrics/providers (${[...fabrics].join(', ')}); use one plan per fabric`,
      });
    plan.groups.forEach((group, g) => {
      group.items.forEach((name, n) => {
        if (!names.has(name.toLowerCase()))
          issues.push({
            path: `recoveryPlans[${p}].groups[${g}].items[${n}]`,
            message: `no item named '${name}'`,
          });
      });
      for (const [side, actions] of [
        ['pre', group.pre ?? []],
        ['post', group.post ?? []],
      ] as const) {
        actions.forEach((action, a) => {
          if (action.kind === 'runbook' && !runbooks.has((action.runbook ?? '').toLowerCase()))
            issues.push({
              path: `recoveryPlans[${p}].groups[${g}].${side}[${a}].runbook`,
              message: `runbook action needs a runbook declared under automation.runbooks (got '${action.runbook ?? ''}')`,
            });
        });
      }
    });
  });
  (scenario.automation?.webhooks ?? []).forEach((webhook, w) => {
    if (!runbooks.has(webhook.runbook.toLowerCase()))
      issues.push({
        path: `automation.webhooks[${w}].runbook`,
        message: `no runbook named '${webhook.runbook}' under automation.runbooks`,
      });
  });
  (scenario.healthEvents ?? []).forEach((event, e) => {
    if (!names.has(event.item.toLowerCase()))
      issues.push({ path: `healthEvents[${e}].item`, message: `no item named '${event.item}'` });
  });
  issues.push(...alertRuleIssues(scenario));
  if (issues.length > 0) {
    throw new ScenarioError(
      `${source} is invalid:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
      issues,
    );
  }
}

/** Loads a scenario file; a bare name like `demo-shop` resolves to a seed scenario. */
export async function loadScenarioFile(fileOrSeed: string, cwd = process.cwd()): Promise<Scenario> {
  const isSeed =
    !fileOrSeed.includes('/') && !fileOrSeed.includes('\\') && !/\.(ya?ml|json)$/i.test(fileOrSeed);
  const file = isSeed ? path.join(seedScenarioDir, `${fileOrSeed}.yaml`) : path.resolve(cwd, fileOrSeed);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ScenarioError(`scenario file not found: ${file}`, [{ path: '', message: 'file not found' }]);
  }
  return parseScenario(text, path.basename(file));
}
