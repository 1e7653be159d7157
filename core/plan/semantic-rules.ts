import { checkCycles, checkDependencies, checkIds, checkShape } from './graph-rules';
import { checkNetworkSteps } from './network-step-rules';
import type { Emit } from './plan-parts';
import { extractParts } from './plan-parts';
import type { RawIssue } from './schema-issues';
import {
  checkApprovals,
  checkDrill,
  checkFailurePolicies,
  checkItems,
  checkStepSettings,
} from './step-rules';
import { checkSubPlans } from './sub-plan-rules';

/** Every rule that needs more than one field; schema rules come from the zod schema. */
export function semanticIssues(
  value: Record<string, unknown>,
  options: {
    resolvePlan?: (name: string) => string | undefined;
    subPlansOf?: (source: string) => string[];
    outboundAllow?: readonly string[];
  } = {},
): RawIssue[] {
  const issues: RawIssue[] = [];
  const emit: Emit = (rule, path, message, severity = 'error') =>
    issues.push({ rule, path, message, severity });
  const parts = extractParts(value);
  checkShape(parts, emit);
  const ids = checkIds(parts, emit);
  checkDependencies(parts, ids, emit);
  checkCycles(parts, ids, emit);
  checkItems(parts, emit);
  checkApprovals(parts, emit);
  checkFailurePolicies(parts, emit);
  checkStepSettings(parts, emit, options.outboundAllow);
  checkDrill(parts, emit);
  checkNetworkSteps(parts, emit);
  checkSubPlans(parts, emit, options.resolvePlan, options.subPlansOf);
  return issues;
}
