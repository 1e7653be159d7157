import { LIMITS } from './limits';
import { parseSource } from './parse-source';
import type { PlanIssue } from './plan-issue';
import { compareIssues, formatJsonPath } from './plan-issue';
import { forecast } from './plan-graph';
import { planDocumentSchema } from './plan-schema';
import type { RecoveryPlan } from './plan-types';
import { normalizePlan } from './normalize-plan';
import { healthIssues } from './health-rules';
import type { RawIssue } from './schema-issues';
import { schemaIssues } from './schema-issues';
import { semanticIssues } from './semantic-rules';

/** Options of `validatePlan`. */
export interface ValidatePlanOptions {
  /** Shown by callers next to issues; validation itself does not read files. */
  fileName?: string;
  /** Returns the source of another plan by its metadata name, so sub-plan loops can be found. */
  resolvePlan?: (name: string) => string | undefined;
  /**
   * Outbound targets the operator allows although the policy refuses them (OUTBOUND_ALLOWED_TARGETS:
   * origins or origin/path prefixes). Default none: check and webhook URLs are public https only.
   */
  outboundAllow?: readonly string[];
}

/** The outcome: a normalised plan plus warnings, or every problem found. */
export type ValidatePlanResult =
  { ok: true; plan: RecoveryPlan; issues: PlanIssue[] } | { ok: false; issues: PlanIssue[] };

/** The sub-plan names a plan source refers to; unreadable sources have none (they are validated on their own). */
function subPlansOf(source: string): string[] {
  const parsed = parseSource(source);
  if (!parsed.ok) return [];
  const value = parsed.value as { steps?: unknown; groups?: unknown };
  const steps: unknown[] = Array.isArray(value.steps) ? value.steps : [];
  if (Array.isArray(value.groups)) {
    for (const group of value.groups as unknown[]) {
      const inner = (group as { steps?: unknown } | null)?.steps;
      if (Array.isArray(inner)) steps.push(...(inner as unknown[]));
    }
  }
  return steps
    .map((step) => (step as { plan?: { name?: unknown } } | null)?.plan?.name)
    .filter((name): name is string => typeof name === 'string');
}

function validate(source: string | Uint8Array, options: ValidatePlanOptions): ValidatePlanResult {
  const parsed = parseSource(source);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const value = parsed.value as Record<string, unknown>;
  const schema = planDocumentSchema.safeParse(value);
  const raw: RawIssue[] = schema.success ? [] : schemaIssues(schema.error.issues, value, planDocumentSchema);
  raw.push(
    ...semanticIssues(value, {
      ...(options.resolvePlan ? { resolvePlan: options.resolvePlan, subPlansOf } : {}),
      ...(options.outboundAllow ? { outboundAllow: options.outboundAllow } : {}),
    }),
  );

  let plan: RecoveryPlan | undefined;
  if (schema.success && !raw.some((i) => i.severity === 'error')) {
    plan = normalizePlan(schema.data);
    const health = healthIssues(plan);
    raw.push(...health);
    if (health.some((i) => i.severity === 'error')) plan = undefined;
  }
  if (plan) {
    for (const operation of ['planned', 'unplanned'] as const) {
      const result = forecast(plan, operation);
      if (result.totalMinutes > plan.objectives.rtoMinutes) {
        raw.push({
          rule: 'objectives/rto-forecast',
          path: ['objectives', 'rtoMinutes'],
          message: `the ${operation} forecast is ${result.totalMinutes} min (critical path ${result.criticalPath.join(' → ')}), over the ${plan.objectives.rtoMinutes} min objective`,
          severity: 'warning',
        });
        break;
      }
    }
  }
  const seen = new Set<string>();
  const issues: PlanIssue[] = [];
  for (const issue of raw) {
    const path = formatJsonPath(issue.path);
    const key = `${issue.rule}|${path}|${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({
      rule: issue.rule,
      path,
      message: issue.message,
      severity: issue.severity,
      ...parsed.locate(issue.path, issue.atKey),
    });
  }
  issues.sort(compareIssues);
  const listed = capIssues(issues);
  return plan ? { ok: true, plan, issues: listed } : { ok: false, issues: listed };
}

/**
 * The first `LIMITS.maxIssues` problems in source order, then one issue counting the rest: a file with
 * 50,000 mistakes is answered with what to fix first, not a 10 MB list.
 */
function capIssues(issues: PlanIssue[]): PlanIssue[] {
  if (issues.length <= LIMITS.maxIssues) return issues;
  const shown = issues.slice(0, LIMITS.maxIssues);
  const rest = issues.slice(LIMITS.maxIssues);
  const errors = rest.filter((i) => i.severity === 'error').length;
  const warnings = rest.length - errors;
  const counted = [
    errors > 0 ? `${errors} more error${errors === 1 ? '' : 's'}` : '',
    warnings > 0 ? `${warnings} more warning${warnings === 1 ? '' : 's'}` : '',
  ].filter((part) => part !== '');
  shown.push({
    rule: 'limits/issues',
    path: '$',
    message: `and ${counted.join(' and ')} not listed (only the first ${LIMITS.maxIssues} are); fix these and validate again`,
    severity: errors > 0 ? 'error' : 'warning',
  });
  return shown;
}

/**
 * Parses and checks a plan file (YAML or JSON, text or bytes) and returns the normalised plan, or every
 * problem found, each with a rule id, a JSON path and a line:column. Never throws.
 */
export function validatePlan(
  source: string | Uint8Array,
  options: ValidatePlanOptions = {},
): ValidatePlanResult {
  if (typeof source !== 'string' && !(source instanceof Uint8Array)) {
    const message = 'a plan source must be text or bytes';
    return { ok: false, issues: [{ rule: 'source/encoding', path: '$', message, severity: 'error' }] };
  }
  try {
    return validate(source, options);
  } catch (error) {
    // A stack overflow on a pathological file is the only expected way here; anything else is our bug,
    // still reported as a value so callers never turn a bad file into a 500.
    const overflow = error instanceof RangeError;
    const message = overflow
      ? 'the file is nested too deeply or is too complex to check'
      : `the validator failed on this file (${error instanceof Error ? error.message : String(error)}); please report it`;
    return {
      ok: false,
      issues: [{ rule: overflow ? 'limits/depth' : 'internal/error', path: '$', message, severity: 'error' }],
    };
  }
}
