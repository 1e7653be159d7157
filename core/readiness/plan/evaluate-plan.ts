import type { RecoveryPlan } from '../../plan/plan-types';
import { capacityCheck } from './capacity-check';
import { driftCheck } from './drift-check';
import {
  itemsExistCheck,
  itemsProtectedCheck,
  recoveryPointAgeCheck,
  replicationHealthCheck,
  rpoCheck,
} from './item-checks';
import { operationsCheck } from './operation-check';
import { permissionsCheck } from './permission-check';
import type { PlanCheckResult } from './plan-check';
import type { PlanFacts } from './plan-facts';
import { networksCheck, runbooksCheck } from './resource-checks';

/** Every check of a plan over what was read, in the order docs/readiness.md lists them. Pure. */
export function evaluatePlan(plan: RecoveryPlan, facts: PlanFacts, roleName: string): PlanCheckResult[] {
  const now = new Date(facts.readAt);
  return [
    itemsExistCheck(plan, facts.items),
    itemsProtectedCheck(facts.items),
    replicationHealthCheck(facts.items),
    rpoCheck(plan, facts.items),
    recoveryPointAgeCheck(plan, facts.items, now),
    operationsCheck(plan, facts.items),
    runbooksCheck(facts.runbooks),
    networksCheck(facts.networks),
    permissionsCheck(facts.permissions, roleName),
    capacityCheck(plan, facts.items, facts.regions),
    driftCheck(plan, facts.items, facts.drift),
  ];
}
