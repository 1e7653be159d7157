import type { RunEnginePort } from '../../core/api/run-engine-port';
import type { RunRegistryPort } from '../../core/api/run-registry-port';
import type { PlanStorePort, RunArtifactStorePort } from '../../core/ports/plan-store-port';
import type { DrillStorePort } from '../../core/run/drill-history';
import type { ReadinessStorePort } from '../../core/readiness/plan/readiness-store-port';

/** Everything the API handlers touch; production builds it from app settings, tests pass fakes. */
export interface ApiDeps {
  plans: PlanStorePort;
  artifacts: RunArtifactStorePort;
  registry: RunRegistryPort;
  engine: RunEnginePort;
  now(): Date;
  /** A fresh unique id (GUID): run ids, decision ids. */
  newId(): string;
  /**
   * PUBLIC_BASE_URL (or its default): the base of absolute links and the only Origin browsers may send
   * on state-changing calls. Undefined: links stay relative. Never taken from the request's Host.
   */
  publicBaseUrl?: string;
  /** Drill history, for the live forecast's step durations (absent: runs forecast from budgets). */
  drills?: DrillStorePort;
  /** Plan readiness records: GET plan and run starts say when the latest evaluation is failing. */
  readiness?: ReadinessStorePort;
}
