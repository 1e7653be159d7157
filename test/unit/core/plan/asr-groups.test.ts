import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { asrGroups, type AsrPlanView } from '../../../../core/plan/asr-groups';
import type { RecoveryPlan, Step } from '../../../../core/plan/plan-types';
import { validatePlan } from '../../../../core/plan/validate-plan';
import { planOf, step, waitStep } from '../run/run-fixtures';
import { basePlan, check } from './plan-fixtures';

const root = join(__dirname, '../../../..');

function load(file: string): RecoveryPlan {
  const result = validatePlan(readFileSync(join(root, 'plans', file)), { fileName: file });
  if (!result.ok) throw new Error(`${file} is invalid: ${JSON.stringify(result.issues)}`);
  return result.plan;
}

function fromGroups(groups: unknown[]): RecoveryPlan {
  const doc = basePlan();
  delete doc.steps;
  doc.groups = groups;
  const result = check(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.plan;
}

/** A view as plain rows: name, start action ids, failover step ids, end action ids. */
function rows(view: AsrPlanView) {
  return view.groups.map((g) => ({
    name: g.name,
    start: g.startActions.map((a) => a.stepId),
    failover: g.failovers,
    end: g.endActions.map((a) => a.stepId),
  }));
}

/** Where each step runs in the native plan: [group, part (0 start, 1 failover, 2 end), index in part]. */
function positions(view: AsrPlanView): Map<string, [number, number, number]> {
  const at = new Map<string, [number, number, number]>();
  view.groups.forEach((g, i) => {
    g.startActions.forEach((a, j) => at.set(a.stepId, [i, 0, j]));
    g.failovers.forEach((id) => at.set(id, [i, 1, 0]));
    g.endActions.forEach((a, j) => at.set(a.stepId, [i, 2, j]));
  });
  return at;
}

const runsBefore = (a: [number, number, number], b: [number, number, number]) =>
  a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[1] !== 1 && a[2] < b[2];

describe('the plan as native ASR groups', () => {
  for (const file of ['shop-groups.yaml', 'reference-workload-groups.yaml']) {
    it(`when ${file} is viewed as ASR groups, then it maps back to its own groups with the same steps`, () => {
      const plan = load(file);
      const view = asrGroups(plan);
      expect(view.from).toBe('groups');
      expect(view.problems).toEqual([]);
      const written = (
        parse(readFileSync(join(root, 'plans', file), 'utf8')) as {
          groups: { name: string; steps: { id: string }[] }[];
        }
      ).groups;
      expect(
        rows(view).map((g) => ({ name: g.name, steps: [...g.start, ...g.failover, ...g.end].sort() })),
      ).toEqual(written.map((g) => ({ name: g.name, steps: g.steps.map((s) => s.id).sort() })));
    });
  }

  it('when shop-groups.yaml is viewed, then runbooks, approvals and checks are actions of their groups, not groups', () => {
    const view = asrGroups(load('shop-groups.yaml'));
    expect(rows(view)).toEqual([
      { name: 'go', start: ['approve'], failover: [], end: [] },
      { name: 'group-1-sql', start: [], failover: ['sql'], end: ['sql-ag', 'sql-dns'] },
      { name: 'group-2-app', start: [], failover: ['app'], end: [] },
      {
        name: 'group-3-web',
        start: [],
        failover: ['web'],
        end: ['web-nsg', 'web-lb', 'web-ip', 'dns', 'traffic'],
      },
      { name: 'group-4-check', start: ['health'], failover: [], end: [] },
    ]);
    const approve = view.groups[0]!.startActions[0]!;
    expect(approve).toMatchObject({ instanceType: 'ManualActionDetails', when: ['planned', 'unplanned'] });
    expect(view.groups[1]!.endActions[0]!.instanceType).toBe('AutomationRunbookActionDetails');
  });

  it('when reference-workload-groups.yaml is viewed, then it is the native plan of the ARM simulator scenario, group for group', () => {
    const plan = load('reference-workload-groups.yaml');
    const scenario = parse(
      readFileSync(join(root, 'packages/asr-simulator/scenarios/reference-workload.yaml'), 'utf8'),
    ) as {
      recoveryPlans: {
        name: string;
        groups: { items: string[]; pre?: { name: string }[]; post?: { name: string }[] }[];
      }[];
    };
    const native = scenario.recoveryPlans.find((p) => p.name === 'reference-native')!;
    const itemsOf = (id: string) => {
      const s = plan.steps.find((x) => x.id === id);
      return s?.kind === 'failover' ? s.failover.items.map((i) => i.ref) : [];
    };
    expect(
      asrGroups(plan).groups.map((g) => ({
        items: g.failovers.flatMap(itemsOf),
        pre: g.startActions.map((a) => a.stepId),
        post: g.endActions.map((a) => a.stepId),
      })),
    ).toEqual(
      native.groups.map((g) => ({
        items: g.items,
        pre: (g.pre ?? []).map((a) => a.name),
        post: (g.post ?? []).map((a) => a.name),
      })),
    );
  });

  it('when shop.yaml (a graph) is viewed, then its steps become actions before or after the failover groups', () => {
    const view = asrGroups(load('shop.yaml'), 'planned');
    expect(view.from).toBe('steps');
    expect(rows(view)).toEqual([
      { name: 'Group 1', start: ['approve'], failover: ['sql'], end: ['sql-ag', 'sql-dns'] },
      { name: 'Group 2', start: [], failover: ['app'], end: [] },
      {
        name: 'Group 3',
        start: [],
        failover: ['web'],
        end: ['web-nsg', 'web-lb', 'web-ip', 'dns', 'traffic', 'health'],
      },
    ]);
    expect(view.problems).toEqual([]);
    // 5 + 12 + 6 + 1, 10, 8 + 2 + 2 + 2 + 3 + 1 + 5: actions run one at a time, so the web tier's
    // network steps no longer overlap each other.
    expect(view.forecastMinutes).toBe(57);
    // A drill leaves out the approval and the network steps: 12, 10, 8 + 5.
    expect(asrGroups(load('shop.yaml'), 'test').forecastMinutes).toBe(35);
  });

  it('when a check sits between two failovers of the same written group, then the view says ASR cannot hold it and invents no group', () => {
    const plan = fromGroups([
      {
        name: 'tier',
        steps: [
          { id: 'db', failover: { items: ['sql-01'] } },
          {
            id: 'probe',
            dependsOn: ['db'],
            check: { http: { url: 'https://db.contoso.com/ok' }, timeoutMinutes: 5 },
          },
          { id: 'app', dependsOn: ['probe'], failover: { items: ['app-01'] } },
        ],
      },
    ]);
    const view = asrGroups(plan);
    expect(view.groups.map((g) => g.name)).toEqual(['tier']);
    expect(view.problems).toHaveLength(1);
    expect(view.problems[0]).toContain(
      'failover step "app" waits for "probe", which runs after failover step "db"',
    );
    expect(view.problems[0]).toContain('split the group');
  });

  it('when failovers chain over more than 7 groups, then the view names the chain', () => {
    const chain = Array.from({ length: 8 }, (_, i) =>
      step({
        id: `f${i}`,
        kind: 'failover',
        failover: { items: [{ by: 'name', ref: `vm-${i}`, recoveryPoint: { type: 'latest' } }] },
        dependsOn: i === 0 ? [] : [`f${i - 1}`],
      }),
    );
    const view = asrGroups(planOf(chain));
    expect(view.groups).toHaveLength(8);
    expect(view.problems).toEqual([
      'needs 8 groups but at most 7 are allowed: the failovers f0 → f1 → f2 → f3 → f4 → f5 → f6 → f7 must run one after another',
    ]);
  });

  it('when a graph has a long chain of runbooks and checks but few failovers, then they are actions and still fit', () => {
    const waits = Array.from({ length: 9 }, (_, i) => waitStep(`w${i}`, i === 0 ? [] : [`w${i - 1}`]));
    const view = asrGroups(planOf(waits));
    expect(rows(view)).toEqual([{ name: 'Group 1', start: waits.map((w) => w.id), failover: [], end: [] }]);
    expect(view.problems).toEqual([]);
  });

  it('when any graph of failovers and other steps is viewed, then the native order keeps every dependency', () => {
    const graph = fc
      .integer({ min: 1, max: 12 })
      .chain((n) =>
        fc.tuple(
          fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
          fc.array(fc.constantFrom('failover', 'wait', 'approval'), { minLength: n, maxLength: n }),
        ),
      )
      .map(([edges, kinds]) =>
        planOf(
          edges.map((row, i): Step => {
            const dependsOn = row.slice(0, i).flatMap((edge, j) => (edge ? [`s${j}`] : []));
            if (kinds[i] === 'failover')
              return step({
                id: `s${i}`,
                kind: 'failover',
                failover: { items: [{ by: 'name', ref: `vm-${i}`, recoveryPoint: { type: 'latest' } }] },
                dependsOn,
              });
            if (kinds[i] === 'approval')
              return step({
                id: `s${i}`,
                kind: 'approval',
                approval: {
                  group: 'leads',
                  quorum: 1,
                  timeoutMinutes: 5,
                  onTimeout: { action: 'abort' },
                  fourEyes: false,
                },
                dependsOn,
              });
            return waitStep(`s${i}`, dependsOn);
          }),
        ),
      );
    fc.assert(
      fc.property(graph, (plan) => {
        const view = asrGroups(plan);
        const at = positions(view);
        expect([...at.keys()].sort()).toEqual(plan.steps.map((s) => s.id).sort());
        for (const s of plan.steps)
          for (const dep of s.dependsOn)
            expect(runsBefore(at.get(dep)!, at.get(s.id)!), `${dep} before ${s.id}`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
