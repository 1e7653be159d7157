// Plan sources of about a given size built to make a validator do the most work per byte: many
// steps, ids, dependencies, unknown keys, errors with did-you-mean suggestions, groups, approvers,
// labels, aliases and nesting. Used by the validate bench and by the linear-validation unit test.

/** One kind of input: a name, what it stresses, and a source of `count` units. */
export interface PathologicalKind {
  name: string;
  stresses: string;
  make: (count: number) => string;
}

const header = {
  apiVersion: 'durable-recovery/v1',
  kind: 'RecoveryPlan',
  metadata: { name: 'stress', owners: ['dr@contoso.com'] },
  vault: { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg-dr', name: 'vault-dr' },
  objectives: { rtoMinutes: 10_080, rpoMinutes: 15 },
  approvers: { leads: ['alice@contoso.com', 'bob@contoso.com'] },
};

const range = (count: number) => Array.from({ length: count }, (_, i) => i);
const json = (doc: Record<string, unknown>) => JSON.stringify({ ...header, ...doc });
/** `"k0":1,"k1":1,…` written directly: building an object of 100,000 keys first is slow. */
const keys = (count: number) =>
  range(count)
    .map((i) => `"k${i}":1`)
    .join(',');
const wait = (id: string, extra: Record<string, unknown> = {}) => ({ id, wait: { minutes: 1 }, ...extra });

/** A valid, realistic plan: failover tiers with runbooks between them, descriptions and parameters. */
export function normalPlan(count: number): string {
  const steps: Record<string, unknown>[] = [];
  const perTier = 20;
  for (let i = 0; i < count; i++) {
    const tier = Math.floor(i / perTier);
    steps.push({
      id: `tier-${tier}-batch-${i}`,
      description: `fail over batch ${i} of tier ${tier} (web, app and database servers)`,
      ...(tier > 0 ? { dependsOn: [`tier-${tier - 1}-ready`] } : {}),
      failover: { items: range(5).map((k) => ({ name: `vm-${i}-${k}`, recoveryPoint: 'latestProcessed' })) },
      onFailure: { action: 'retry', attempts: 3, then: 'stop' },
      budgetMinutes: 1,
    });
    if (i % perTier === perTier - 1 || i === count - 1) {
      steps.push({
        id: `tier-${tier}-ready`,
        dependsOn: range(Math.min(perTier, i + 1 - tier * perTier)).map(
          (k) => `tier-${tier}-batch-${tier * perTier + k}`,
        ),
        runbook: { account: 'aa-dr', name: 'Tier-Ready', parameters: { Tier: tier }, timeoutMinutes: 15 },
      });
    }
  }
  return json({ steps });
}

/** Every kind the bench and the test run; `count` is scaled until the source reaches the size wanted. */
export const PATHOLOGICAL_KINDS: readonly PathologicalKind[] = [
  {
    name: 'many steps',
    stresses: 'steps past the limit, each parsed and checked',
    make: (n) => json({ steps: range(n).map((i) => wait(`s${i}`)) }),
  },
  {
    name: 'chain of dependencies',
    stresses: 'one long dependsOn chain (cycle detection, forecast)',
    make: (n) =>
      json({ steps: range(n).map((i) => wait(`s${i}`, i > 0 ? { dependsOn: [`s${i - 1}`] } : {})) }),
  },
  {
    name: 'long cycle',
    stresses: 'a dependency loop through every step',
    make: (n) => json({ steps: range(n).map((i) => wait(`s${i}`, { dependsOn: [`s${(i + 1) % n}`] })) }),
  },
  {
    name: 'wide dependsOn',
    stresses: 'steps that each depend on the same 2,000 steps',
    make: (n) => {
      const roots = range(2_000).map((i) => `r${i}`);
      return json({
        steps: [...roots.map((id) => wait(id)), ...range(n).map((i) => wait(`d${i}`, { dependsOn: roots }))],
      });
    },
  },
  {
    name: 'unknown dependencies',
    stresses: 'dependsOn names no step has, each with a did-you-mean over every id',
    make: (n) => {
      const ids = Math.max(1, Math.floor(n / 10));
      return json({
        steps: range(ids).map((i) => wait(`s${i}`, { dependsOn: range(10).map((k) => `x${i * 10 + k}`) })),
      });
    },
  },
  {
    name: 'duplicate ids',
    stresses: 'every step has the same id',
    make: (n) => json({ steps: range(n).map(() => wait('same')) }),
  },
  {
    name: 'unknown keys',
    stresses: 'one map with many unknown fields (issue location, did-you-mean)',
    make: (n) =>
      json({ steps: [{ ...wait('a'), ...Object.fromEntries(range(n).map((i) => [`k${i}`, 1])) }] }),
  },
  {
    name: 'unknown top-level keys',
    stresses: 'many unknown fields at the top of the document',
    make: (n) => `{${keys(n)},${json({}).slice(1)}`,
  },
  {
    name: 'type errors',
    stresses: 'an error on every step',
    make: (n) => json({ steps: range(n).map((i) => ({ id: `s${i}`, wait: { minutes: 'x' } })) }),
  },
  {
    name: 'two huge groups',
    stresses: 'group barriers: every step of group 2 waits for every step of group 1',
    make: (n) => {
      const half = Math.max(1, Math.floor(n / 2));
      return json({
        groups: [0, 1].map((g) => ({ name: `g${g}`, steps: range(half).map((i) => wait(`g${g}s${i}`)) })),
      });
    },
  },
  {
    name: 'many groups',
    stresses: 'groups past the limit, two steps each',
    make: (n) =>
      json({
        groups: range(Math.max(1, Math.floor(n / 2))).map((g) => ({
          name: `g${g}`,
          steps: [wait(`a${g}`), wait(`b${g}`)],
        })),
      }),
  },
  {
    name: 'many approver groups',
    stresses: 'approvers with many groups; approvals naming unknown ones (did-you-mean)',
    make: (n) => {
      const groups = Object.fromEntries(range(n).map((i) => [`grp${i}`, ['alice@contoso.com']]));
      const steps = range(Math.max(1, Math.floor(n / 10))).map((i) => ({
        id: `ap${i}`,
        approval: { group: `gpr${i}`, timeoutMinutes: 5 },
      }));
      return json({ approvers: groups, steps });
    },
  },
  {
    name: 'many approvers',
    stresses: 'one approver group with many members',
    make: (n) =>
      json({
        approvers: { leads: range(n).map((i) => `person${i}@contoso.com`) },
        steps: [{ id: 'ap', approval: { group: 'leads', quorum: 2, timeoutMinutes: 5 } }],
      }),
  },
  {
    name: 'many labels',
    stresses: 'metadata.labels with many keys, half invalid',
    make: (n) =>
      json({
        metadata: {
          ...header.metadata,
          labels: Object.fromEntries(range(n).map((i) => [i % 2 ? `label-${i}` : `bad label ${i}`, 'v'])),
        },
        steps: [wait('a')],
      }),
  },
  {
    name: 'long when lists',
    stresses: 'when lists far past four operations',
    make: (n) =>
      json({
        steps: range(Math.max(1, Math.floor(n / 100))).map((i) =>
          wait(`s${i}`, { when: range(100).map((k) => (k % 2 ? 'planned' : 'plannd')) }),
        ),
      }),
  },
  {
    name: 'duplicate items',
    stresses: 'the same failover item listed many times',
    make: (n) => json({ steps: [{ id: 'f', failover: { items: range(n).map(() => 'vm-01') } }] }),
  },
  {
    name: 'anchors and aliases',
    stresses: 'an anchor on every step, 100 aliases',
    make: (n) => {
      const lines = ['apiVersion: durable-recovery/v1', 'kind: RecoveryPlan', 'steps:'];
      for (let i = 0; i < n; i++) lines.push(`  - &a${i} { id: s${i}, wait: { minutes: 1 } }`);
      for (let i = 0; i < Math.min(n, 100); i++) lines.push(`  - *a${i}`);
      return `${lines.join('\n')}\n`;
    },
  },
  {
    name: 'deep nesting',
    stresses: 'many values nested just under the depth limit',
    make: (n) => {
      const deep = `${'['.repeat(24)}1${']'.repeat(24)}`;
      return json({
        steps: range(Math.max(1, Math.floor(n / 30))).map((i) => ({ id: `s${i}`, wait: deep })),
      }).replace(/"\[+1\]+"/g, deep);
    },
  },
];

/**
 * A source of `make` close to `bytes` without going over it. Sizes grow about linearly with the
 * count, so two small samples give an estimate, then the count is scaled by the size it gave.
 */
export function sourceOfSize(make: (count: number) => string, bytes: number): string {
  const [a, b] = [Buffer.byteLength(make(100)), Buffer.byteLength(make(200))];
  let count = Math.max(1, Math.floor(100 + (bytes - a) / Math.max(1, (b - a) / 100)));
  for (;;) {
    const source = make(count);
    const size = Buffer.byteLength(source);
    if (size <= bytes || count === 1) return source;
    count = Math.max(1, Math.floor(count * (bytes / size) * 0.995));
  }
}
