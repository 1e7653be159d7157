import type { Operation, StepOf } from '../plan/plan-types';
import { forecast } from '../plan/plan-graph';
import type { Principal, RunInput, RunProgress } from '../run/run-types';

/** What an approver sees before deciding: on the confirmation page, the Teams card and the e-mail. */
export interface ApprovalSummary {
  runId: string;
  planName: string;
  planHash: string;
  operation: Operation;
  dryRun: boolean;
  drill: boolean;
  initiator: Principal;
  /** The replicated items the run fails over (refs as written in the plan). */
  items: string[];
  /** Elapsed plus remaining forecast when the run reports progress, else the plan's forecast. */
  forecastRtoMinutes: number;
  rtoMinutes: number;
  step: {
    id: string;
    group: string;
    quorum: number;
    fourEyes: boolean;
    message?: string;
    description?: string;
  };
}

/** The approval step with this id, if the plan has one. */
export function approvalStepOf(input: RunInput, stepId: string): StepOf<'approval'> | undefined {
  const step = input.pinned.plan.steps.find((s) => s.id === stepId);
  return step?.kind === 'approval' ? step : undefined;
}

export function summarizeRun(
  input: RunInput,
  progress: RunProgress | undefined,
  stepId: string,
): ApprovalSummary {
  const plan = input.pinned.plan;
  const items = plan.steps
    .filter((s) => s.kind === 'failover' && s.when.includes(input.operation))
    .flatMap((s) => (s.kind === 'failover' ? s.failover.items.map((i) => i.ref) : []));
  const step = approvalStepOf(input, stepId);
  return {
    runId: input.runId,
    planName: plan.metadata.name,
    planHash: input.pinned.hash,
    operation: input.operation,
    dryRun: input.dryRun,
    drill: input.drill !== undefined,
    initiator: input.initiator,
    items,
    forecastRtoMinutes: progress?.forecastMinutes ?? forecast(plan, input.operation).totalMinutes,
    rtoMinutes: plan.objectives.rtoMinutes,
    step: {
      id: stepId,
      group: step?.approval.group ?? '',
      quorum: step?.approval.quorum ?? 1,
      fourEyes: step?.approval.fourEyes ?? false,
      ...(step?.approval.message !== undefined ? { message: step.approval.message } : {}),
      ...(step?.description !== undefined ? { description: step.description } : {}),
    },
  };
}
