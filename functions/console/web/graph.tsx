// The plan's dependency graph as SVG: layered left to right (a layer runs once the one before is done),
// edges from what a step waits for, the critical path of the chosen operation drawn heavier.
import type { Operation, RecoveryPlan } from '../../../core/plan/plan-types';
import { forecast, topologicalLayers } from '../../../core/plan/plan-graph';

const NODE_W = 168;
const NODE_H = 46;
const GAP_X = 56;
const GAP_Y = 14;
const PAD = 12;

const KIND_COLOUR: Record<string, string> = {
  failover: '#0b5cad',
  runbook: '#6639ba',
  approval: '#9a6700',
  wait: '#57606a',
  check: '#116329',
  webhook: '#1b7c83',
  plan: '#bc4c00',
};

/** Budgets are minutes with fractions (a lab plan's 0.024): two decimals at most, no float noise. */
const round = (minutes: number): string => String(Math.round(minutes * 100) / 100);

export interface Placed {
  id: string;
  x: number;
  y: number;
}

/** Positions of every step: column = layer, rows in plan order; pure, so it can be tested. */
export function layout(
  plan: RecoveryPlan,
  operation?: Operation,
): { nodes: Map<string, Placed>; width: number; height: number } {
  const layers = topologicalLayers(plan);
  const nodes = new Map<string, Placed>();
  let rows = 0;
  layers.forEach((layer, column) => {
    layer.forEach((id, row) => {
      nodes.set(id, { id, x: PAD + column * (NODE_W + GAP_X), y: PAD + row * (NODE_H + GAP_Y) });
    });
    rows = Math.max(rows, layer.length);
  });
  void operation;
  return {
    nodes,
    width: PAD * 2 + Math.max(1, layers.length) * (NODE_W + GAP_X) - GAP_X,
    height: PAD * 2 + Math.max(1, rows) * (NODE_H + GAP_Y) - GAP_Y,
  };
}

export function PlanGraph({ plan, operation }: { plan: RecoveryPlan; operation: Operation }) {
  const { nodes, width, height } = layout(plan, operation);
  const result = forecast(plan, operation);
  const critical = new Set(result.criticalPath);
  const timing = new Map(result.steps.map((s) => [s.id, s]));
  const criticalEdge = (from: string, to: string): boolean => {
    const i = result.criticalPath.indexOf(from);
    return i >= 0 && result.criticalPath[i + 1] === to;
  };
  const described = `Dependency graph of ${plan.metadata.name}: ${plan.steps.length} steps in ${Math.round((width - PAD) / (NODE_W + GAP_X))} layers; critical path for ${operation}: ${result.criticalPath.join(' → ') || 'none'}.`;
  return (
    <div class="graph" tabIndex={0}>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={described}>
        <defs>
          {(
            [
              ['arrow', '#8c959f'],
              ['arrow-crit', '#bc4c00'],
            ] as const
          ).map(([id, fill]) => (
            <marker
              key={id}
              id={id}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="9"
              markerHeight="9"
              markerUnits="userSpaceOnUse"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" fill={fill} />
            </marker>
          ))}
        </defs>
        {plan.steps.flatMap((step) =>
          step.dependsOn.map((dep) => {
            const a = nodes.get(dep);
            const b = nodes.get(step.id);
            if (!a || !b) return null;
            const crit = criticalEdge(dep, step.id);
            const x1 = a.x + NODE_W;
            const y1 = a.y + NODE_H / 2;
            const x2 = b.x;
            const y2 = b.y + NODE_H / 2;
            const mid = (x1 + x2) / 2;
            return (
              <path
                key={`${dep}->${step.id}`}
                d={`M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2 - 2} ${y2}`}
                fill="none"
                stroke={crit ? '#bc4c00' : '#8c959f'}
                stroke-width={crit ? 2.5 : 1.2}
                marker-end={crit ? 'url(#arrow-crit)' : 'url(#arrow)'}
              />
            );
          }),
        )}
        {plan.steps.map((step) => {
          const at = nodes.get(step.id);
          if (!at) return null;
          const t = timing.get(step.id);
          const skipped = t?.skipped ?? false;
          const crit = critical.has(step.id);
          return (
            <g key={step.id} transform={`translate(${at.x},${at.y})`} opacity={skipped ? 0.45 : 1}>
              <title>{`${step.id} (${step.kind})${step.description ? `: ${step.description}` : ''}; budget ${step.budgetMinutes} min${skipped ? `; does not run for ${operation}` : ''}`}</title>
              <rect
                width={NODE_W}
                height={NODE_H}
                rx="6"
                fill="#fff"
                stroke={crit ? '#bc4c00' : '#d0d7de'}
                stroke-width={crit ? 2.5 : 1}
                stroke-dasharray={skipped ? '4 3' : undefined}
              />
              <rect width="5" height={NODE_H} rx="2" fill={KIND_COLOUR[step.kind] ?? '#57606a'} />
              <text x="12" y="19" font-size="12.5" font-weight="600" fill="#1b1f24">
                {step.id.length > 22 ? `${step.id.slice(0, 21)}…` : step.id}
              </text>
              <text x="12" y="36" font-size="11" fill="#57606a">
                {`${step.kind} · ${t && !skipped ? `${round(t.startMinutes)}–${round(t.finishMinutes)} min` : 'skipped'}`}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

export function KindLegend() {
  return (
    <div class="legend" aria-hidden="true">
      {Object.entries(KIND_COLOUR).map(([kind, colour]) => (
        <span key={kind} style={{ '--sw': colour }}>
          {kind}
        </span>
      ))}
      <span style={{ '--sw': '#bc4c00' }}>critical path (heavy outline)</span>
    </div>
  );
}
