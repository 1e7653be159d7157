import { describe, expect, it } from 'vitest';
import { validatePlan } from '../../../../core/plan/validate-plan';
import { RULES } from '../../../../core/plan/rule-catalogue';
import type { PlanDoc } from './plan-fixtures';
import { basePlan, check, yamlOf } from './plan-fixtures';
import { networkRuleCases } from './network-rule-cases';

// One case per rule: the smallest change to a valid plan that breaks it, and where the issue must point.
interface RuleCase {
  rule: string;
  path: string;
  /** Changes the base plan, or returns raw source text instead. */
  make: (doc: PlanDoc) => void | string | Uint8Array;
  resolvePlan?: (name: string) => string | undefined;
}

const step = (doc: PlanDoc, i: number) => doc.steps[i] as PlanDoc;

const cases: RuleCase[] = [
  { rule: 'source/encoding', path: '$', make: () => new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0xfe]) },
  { rule: 'source/yaml', path: '$', make: () => 'metadata: [unclosed\n' },
  { rule: 'source/duplicate-key', path: 'kind', make: () => 'kind: RecoveryPlan\nkind: RecoveryPlan\n' },
  { rule: 'source/not-a-map', path: '$', make: () => '- just\n- a list\n' },
  {
    rule: 'source/unsupported-tag',
    path: 'metadata.description',
    make: (d) => yamlOf(d).replace('metadata:\n', 'metadata:\n  description: !!binary aGVsbG8=\n'),
  },
  {
    rule: 'source/invalid-character',
    path: 'metadata.description',
    make: (d) => void (d.metadata.description = 'nul\u0000here'),
  },
  {
    rule: 'source/reserved-key',
    path: '__proto__',
    make: (d) => JSON.stringify(d).replace('"vault":', '"__proto__":{},"vault":'),
  },
  {
    rule: 'name/invisible-character',
    path: 'steps[1].failover.items[0]',
    make: (d) => void (step(d, 1).failover.items[0] = 'sql\u200B-01'),
  },
  {
    rule: 'limits/issues',
    path: '$',
    make: (d) =>
      void Object.assign(step(d, 0), Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`x${i}`, 1]))),
  },
  { rule: 'limits/file-size', path: '$', make: () => `# ${'x'.repeat(1024 * 1024)}\n` },
  { rule: 'limits/depth', path: '$', make: () => `a: ${'['.repeat(40)}${']'.repeat(40)}\n` },
  {
    rule: 'limits/aliases',
    path: '$',
    make: () =>
      'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
  },
  {
    rule: 'limits/too-many',
    path: 'metadata.owners',
    make: (d) => void (d.metadata.owners = Array.from({ length: 51 }, (_, i) => `o${i}@contoso.com`)),
  },
  {
    rule: 'limits/string-length',
    path: 'metadata.description',
    make: (d) => void (d.metadata.description = 'x'.repeat(2049)),
  },
  {
    rule: 'limits/items',
    path: '$',
    make: (d) =>
      void d.steps.push(
        { id: 'big1', failover: { items: Array.from({ length: 5000 }, (_, i) => `a-${i}`) } },
        { id: 'big2', failover: { items: Array.from({ length: 5001 }, (_, i) => `b-${i}`) } },
      ),
  },
  {
    rule: 'schema/unknown-field',
    path: 'steps[1].dependson',
    make: (d) => void (step(d, 1).dependson = ['go']),
  },
  { rule: 'schema/required', path: 'vault.name', make: (d) => void delete d.vault.name },
  {
    rule: 'schema/type',
    path: 'objectives.rtoMinutes',
    make: (d) => void (d.objectives.rtoMinutes = 'soon'),
  },
  { rule: 'schema/empty', path: 'metadata.owners', make: (d) => void (d.metadata.owners = []) },
  {
    rule: 'schema/range',
    path: 'steps[1].onFailure.backoffFactor',
    make: (d) => void (step(d, 1).onFailure = { action: 'retry', backoffFactor: 50 }),
  },
  {
    rule: 'schema/format',
    path: 'vault.subscriptionId',
    make: (d) => void (d.vault.subscriptionId = 'my-subscription'),
  },
  { rule: 'schema/enum', path: 'steps[0].when[0]', make: (d) => void (step(d, 0).when = ['drill']) },
  { rule: 'plan/api-version', path: 'apiVersion', make: (d) => void (d.apiVersion = 'durable-recovery/v2') },
  { rule: 'metadata/name', path: 'metadata.name', make: (d) => void (d.metadata.name = 'Shop Plan') },
  { rule: 'step/id-format', path: 'steps[2].id', make: (d) => void (step(d, 2).id = 'app tier') },
  {
    rule: 'url/format',
    path: 'steps[3].check.http.url',
    make: (d) =>
      void d.steps.push({
        id: 'probe',
        check: { http: { url: 'ftp://shop.contoso.com' }, timeoutMinutes: 5 },
      }),
  },
  {
    rule: 'duration/range',
    path: 'steps[3].wait.minutes',
    make: (d) => void d.steps.push({ id: 'pause', wait: { minutes: 20000 } }),
  },
  {
    rule: 'retry/attempts',
    path: 'steps[1].onFailure.attempts',
    make: (d) => void (step(d, 1).onFailure = { action: 'retry', attempts: 0 }),
  },
  {
    rule: 'approval/quorum-range',
    path: 'steps[0].approval.quorum',
    make: (d) => void (step(d, 0).approval.quorum = 0),
  },
  {
    rule: 'failover/item-ref',
    path: 'steps[1].failover.items[0]',
    make: (d) => void (step(d, 1).failover.items[0] = '/subscriptions/x/vm'),
  },
  { rule: 'drill/schedule', path: 'drill.schedule', make: (d) => void (d.drill.schedule = '0 2 * * 6') },
  {
    rule: 'plan/steps-and-groups',
    path: 'groups',
    make: (d) => void (d.groups = [{ name: 'g1', steps: [{ id: 'w', wait: { minutes: 1 } }] }]),
  },
  { rule: 'plan/no-steps', path: '$', make: (d) => void delete d.steps },
  { rule: 'step/kind', path: 'steps[2]', make: (d) => void (step(d, 2).wait = { minutes: 1 }) },
  { rule: 'step/duplicate-id', path: 'steps[2].id', make: (d) => void (step(d, 2).id = 'db') },
  {
    rule: 'group/duplicate-name',
    path: 'groups[1].name',
    make: (d) => {
      delete d.steps;
      d.groups = [
        { name: 'g', steps: [{ id: 'a', wait: { minutes: 1 } }] },
        { name: 'g', steps: [{ id: 'b', wait: { minutes: 1 } }] },
      ];
    },
  },
  {
    rule: 'step/self-dependency',
    path: 'steps[1].dependsOn[0]',
    make: (d) => void (step(d, 1).dependsOn = ['db']),
  },
  {
    rule: 'step/unknown-dependency',
    path: 'steps[1].dependsOn[0]',
    make: (d) => void (step(d, 1).dependsOn = ['gogo']),
  },
  {
    rule: 'step/duplicate-dependency',
    path: 'steps[1].dependsOn[1]',
    make: (d) => void (step(d, 1).dependsOn = ['go', 'go']),
  },
  { rule: 'plan/cycle', path: 'steps[0].dependsOn', make: (d) => void (step(d, 0).dependsOn = ['app']) },
  {
    rule: 'failover/duplicate-item',
    path: 'steps[2].failover.items[1]',
    make: (d) => void step(d, 2).failover.items.push('SQL-02'),
  },
  {
    rule: 'approval/unknown-group',
    path: 'steps[0].approval.group',
    make: (d) => void (step(d, 0).approval.group = 'lead'),
  },
  {
    rule: 'approval/quorum-exceeds-group',
    path: 'steps[0].approval.quorum',
    make: (d) => void (step(d, 0).approval.quorum = 3),
  },
  {
    rule: 'approval/four-eyes',
    path: 'steps[0].approval.fourEyes',
    make: (d) => void Object.assign(step(d, 0).approval, { group: 'solo', fourEyes: true }),
  },
  {
    rule: 'approval/escalation',
    path: 'steps[0].approval.escalateTo',
    make: (d) => void (step(d, 0).approval.onTimeout = 'escalate'),
  },
  { rule: 'failure/ask-group', path: 'steps[1].onFailure', make: (d) => void (step(d, 1).onFailure = 'ask') },
  {
    rule: 'retry/backoff',
    path: 'steps[1].onFailure.maxBackoffSeconds',
    make: (d) =>
      void (step(d, 1).onFailure = { action: 'retry', backoffSeconds: 120, maxBackoffSeconds: 60 }),
  },
  {
    rule: 'url/https-required',
    path: 'steps[3].webhook.url',
    make: (d) => void d.steps.push({ id: 'notify', webhook: { url: 'http://logic.contoso.com/hook' } }),
  },
  {
    rule: 'url/private-target',
    path: 'steps[3].check.http.url',
    make: (d) =>
      void d.steps.push({
        id: 'probe',
        check: { http: { url: 'https://[::ffff:a9fe:a9fe]/metadata' }, timeoutMinutes: 1 },
      }),
  },
  {
    rule: 'compensation/kind',
    path: 'steps[1].compensation',
    make: (d) => void (step(d, 1).compensation = {}),
  },
  {
    rule: 'compensation/auto',
    path: 'steps[0].compensation',
    make: (d) => void (step(d, 0).compensation = 'auto'),
  },
  {
    rule: 'runbook/fair-share',
    path: 'steps[3].runbook.timeoutMinutes',
    make: (d) =>
      void d.steps.push({ id: 'long', runbook: { account: 'aa-dr', name: 'Long', timeoutMinutes: 240 } }),
  },
  {
    rule: 'step/budget',
    path: 'steps[3].budgetMinutes',
    make: (d) => void d.steps.push({ id: 'pause', wait: { minutes: 10 }, budgetMinutes: 5 }),
  },
  {
    rule: 'step/when-duplicate',
    path: 'steps[0].when',
    make: (d) => void (step(d, 0).when = ['planned', 'planned']),
  },
  { rule: 'drill/no-test-network', path: '$', make: (d) => void delete d.drill },
  {
    rule: 'drill/manual-approval',
    path: 'steps[0].when',
    make: (d) =>
      void Object.assign(d.drill, { autoApprove: false }, void (step(d, 0).when = ['test', 'planned'])),
  },
  {
    rule: 'recovery/no-criteria',
    path: 'recovery',
    make: (d) => void (d.recovery = { timeoutMinutes: 10 }),
  },
  {
    rule: 'recovery/check-step',
    path: 'recovery.checks[0]',
    make: (d) => void (d.recovery = { checks: ['db'], timeoutMinutes: 10 }),
  },
  {
    rule: 'trigger/approval-required',
    path: 'triggers[0].operation',
    make: (d) =>
      void (d.triggers = [
        {
          alertRules: [
            '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mon/providers/Microsoft.Insights/metricAlerts/shop-down',
          ],
          operation: 'test',
        },
      ]),
  },
  {
    rule: 'trigger/unattended-test-only',
    path: 'triggers[0].unattended',
    make: (d) =>
      void (d.triggers = [
        {
          alertRules: [
            '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mon/providers/Microsoft.Insights/metricAlerts/shop-down',
          ],
          operation: 'unplanned',
          unattended: true,
        },
      ]),
  },
  {
    rule: 'trigger/duplicate-rule',
    path: 'triggers[1].alertRules[0]',
    make: (d) =>
      void (d.triggers = [
        {
          alertRules: [
            '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mon/providers/Microsoft.Insights/metricAlerts/shop-down',
          ],
          operation: 'unplanned',
        },
        {
          alertRules: [
            '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mon/providers/Microsoft.Insights/metricAlerts/shop-down',
          ],
          operation: 'planned',
        },
      ]),
  },
  {
    rule: 'plan/sub-plan-recursion',
    path: 'steps[3].plan.name',
    make: (d) => void d.steps.push({ id: 'again', plan: { name: 'test-plan' } }),
  },
  {
    rule: 'plan/unknown-sub-plan',
    path: 'steps[3].plan.name',
    make: (d) => void d.steps.push({ id: 'network', plan: { name: 'core-network' } }),
    resolvePlan: () => undefined,
  },
  {
    rule: 'plan/sub-plan-depth',
    path: 'steps[3].plan.name',
    make: (d) => void d.steps.push({ id: 'chain', plan: { name: 'p0' } }),
    // p0 → p1 → p2 → … : a chain deeper than the limit, without a loop.
    resolvePlan: (name) => {
      const next = `p${Number(name.slice(1)) + 1}`;
      const doc = basePlan();
      doc.metadata.name = name;
      doc.steps.push({ id: 'sub', plan: { name: next } });
      return yamlOf(doc);
    },
  },
  {
    rule: 'objectives/rto-forecast',
    path: 'objectives.rtoMinutes',
    make: (d) => void (d.objectives.rtoMinutes = 20),
  },
];

/** Rules that no input can reach: the schema fallback and the "validator bug" guard. */
const UNREACHABLE = new Set(['schema/invalid', 'internal/error']);

cases.push(...networkRuleCases);

describe('validatePlan rules', () => {
  it('when the base plan is checked, then it is valid with no issues', () => {
    const result = check(basePlan());
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it.each(cases)(
    'when a plan breaks $rule, then an issue with that rule points at $path',
    ({ rule, path, make, resolvePlan }) => {
      const doc = basePlan();
      const made = make(doc);
      const source = made === undefined ? yamlOf(doc) : made;
      const result = validatePlan(source, resolvePlan ? { resolvePlan } : {});
      const found = result.issues.filter((i) => i.rule === rule);
      expect(
        found.map((i) => i.path),
        JSON.stringify(result.issues, null, 1),
      ).toContain(path);
      const issue = found.find((i) => i.path === path)!;
      expect(issue.message.length).toBeGreaterThan(10);
      const catalogue = RULES.find((r) => r.id === rule);
      expect(catalogue, `${rule} is in the rule catalogue`).toBeDefined();
      expect(issue.severity).toBe(catalogue!.severity);
      expect(result.ok).toBe(catalogue!.severity === 'warning');
    },
  );

  it('when the rule catalogue is read, then every reachable rule has a case above', () => {
    const tested = new Set(cases.map((c) => c.rule));
    const untested = RULES.map((r) => r.id).filter((id) => !tested.has(id) && !UNREACHABLE.has(id));
    expect(untested).toEqual([]);
  });
});
