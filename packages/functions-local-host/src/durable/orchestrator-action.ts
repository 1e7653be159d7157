/**
 * The actions a durable-functions 3 orchestrator returns in OrchestratorState (schema V2/V3:
 * `actions[0]` is the flat list in yield order, compound tasks nest). reference/durable-protocol.md §3.5.
 */
export enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  CallSubOrchestrator = 2,
  CallSubOrchestratorWithRetry = 3,
  ContinueAsNew = 4,
  CreateTimer = 5,
  WaitForExternalEvent = 6,
  CallEntity = 7,
  CallHttp = 8,
  SignalEntity = 9,
  WhenAny = 11,
  WhenAll = 12,
  LockEntities = 13,
  ReleaseEntities = 14,
}

export interface RetryOptionsWire {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

export interface OrchestratorAction {
  actionType: ActionType;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  version?: string;
  retryOptions?: RetryOptionsWire;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: OrchestratorAction[];
}

/** OrchestratorState as the SDK returns it (or embeds in its failure message). */
export interface OrchestratorState {
  isDone: boolean;
  actions: OrchestratorAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion?: number;
}

const outOfProcLabel = '\n\n$OutOfProcData$:';

/** Recovers the state the SDK embeds in an OrchestrationFailureError message (§3.6). */
export function stateFromFailure(error: unknown): OrchestratorState | undefined {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const at = message.indexOf(outOfProcLabel);
  if (at < 0) return undefined;
  try {
    return JSON.parse(message.slice(at + outOfProcLabel.length)) as OrchestratorState;
  } catch {
    return undefined;
  }
}

/** The V2/V3 action list; V1 (one inner array per yield) is flattened the same way the extension reads it. */
export function flatActions(state: OrchestratorState): OrchestratorAction[] {
  return state.actions.flat();
}

/** The JSON text DTFx stores for an activity/continue-as-new input the SDK already pre-processed. */
export function inputText(input: unknown): string | null {
  if (input === undefined) return null;
  return typeof input === 'string' ? input : JSON.stringify(input);
}
