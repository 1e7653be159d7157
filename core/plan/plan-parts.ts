import type { z } from 'zod';
import { suggestionBudget } from './did-you-mean';
import { stepKindOf } from './normalize-plan';
import type { PathSegment } from './plan-issue';
import { planDocumentSchema } from './plan-schema';
import type { PlanDocument } from './plan-schema';
import type { StepKind } from './plan-types';
import { stepSchema } from './step-schema';
import type { StepDocument } from './step-schema';

// What the semantic rules look at: the parts of a document that are valid on their own.

/** A step that passed the step schema, with its path in the document. */
export interface LocatedStep {
  doc: StepDocument;
  path: PathSegment[];
  groupIndex?: number;
}

/**
 * The parts of a document that passed the schema on their own. Semantic rules run on these even when
 * other parts are broken, so one run reports every problem.
 */
export interface LiteStep {
  id?: string;
  dependsOn: string[];
  kinds: StepKind[];
  path: PathSegment[];
  groupIndex?: number;
}

export interface PlanParts {
  name?: string;
  approvers?: Record<string, string[]>;
  defaults?: NonNullable<PlanDocument['defaults']>;
  drill?: NonNullable<PlanDocument['drill']>;
  /** The `groups` list as written, when every group passed the schema. */
  groups?: PlanDocument['groups'];
  hasSteps: boolean;
  hasGroups: boolean;
  steps: LocatedStep[];
  /** Every step object with just the fields the graph rules need, even when the rest is broken. */
  lite: LiteStep[];
  /** ` (did you mean "x"?)` or nothing; shared by the rules so one validation makes a bounded number. */
  suggest: (input: string, candidates: Iterable<string>) => string;
}

const shape = planDocumentSchema.shape;

function part<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/**
 * A step with its broken fields left out, so the rules still see its valid ones (an unknown approver
 * group is reported even when the same step also has a typo in `when`). Without a valid id, none.
 */
function lenientStep(step: unknown): StepDocument | undefined {
  const first = stepSchema.safeParse(step);
  if (first.success) return first.data;
  if (step === null || typeof step !== 'object' || Array.isArray(step)) return undefined;
  const repaired: Record<string, unknown> = { ...(step as Record<string, unknown>) };
  for (const issue of first.error.issues) {
    const [key] = issue.path;
    if (key !== undefined) delete repaired[String(key)];
    else if (issue.code === 'unrecognized_keys') for (const extra of issue.keys) delete repaired[extra];
    else return undefined;
  }
  return part(stepSchema, repaired);
}

/** Picks out the parts that are individually valid. */
export function extractParts(value: Record<string, unknown>): PlanParts {
  const parts: PlanParts = {
    hasSteps: value.steps !== undefined,
    hasGroups: value.groups !== undefined,
    steps: [],
    lite: [],
    suggest: suggestionBudget(),
  };
  const addLite = (step: unknown, path: PathSegment[], groupIndex?: number) => {
    if (step === null || typeof step !== 'object' || Array.isArray(step)) return;
    const raw = step as Record<string, unknown>;
    const dependsOn = Array.isArray(raw.dependsOn)
      ? raw.dependsOn.filter((d): d is string => typeof d === 'string')
      : [];
    const lite: LiteStep = { dependsOn, kinds: stepKindOf(raw), path };
    if (typeof raw.id === 'string') lite.id = raw.id;
    if (groupIndex !== undefined) lite.groupIndex = groupIndex;
    parts.lite.push(lite);
  };
  const metadata = value.metadata as Record<string, unknown> | undefined;
  parts.name = part(shape.metadata.shape.name, metadata?.name);
  parts.approvers = part(shape.approvers, value.approvers);
  parts.defaults = part(shape.defaults, value.defaults);
  parts.drill = part(shape.drill, value.drill);
  if (Array.isArray(value.groups)) {
    const groups = part(shape.groups, value.groups);
    if (groups) parts.groups = groups;
    value.groups.forEach((group: unknown, groupIndex) => {
      const steps = (group as { steps?: unknown } | null)?.steps;
      if (!Array.isArray(steps)) return;
      steps.forEach((step, i) => {
        addLite(step, ['groups', groupIndex, 'steps', i], groupIndex);
        const doc = lenientStep(step);
        if (doc) parts.steps.push({ doc, path: ['groups', groupIndex, 'steps', i], groupIndex });
      });
    });
  } else if (Array.isArray(value.steps)) {
    value.steps.forEach((step, i) => {
      addLite(step, ['steps', i]);
      const doc = lenientStep(step);
      if (doc) parts.steps.push({ doc, path: ['steps', i] });
    });
  }
  return parts;
}

/** Reports one issue. */
export type Emit = (
  rule: string,
  path: PathSegment[],
  message: string,
  severity?: 'error' | 'warning',
) => void;

/** `steps[2].id`, for messages. */
export function pathText(path: readonly PathSegment[]): string {
  return path
    .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
}
