import { EventType, type HistoryEvent } from './history-event';
import { ActionType, type OrchestratorAction, type RetryOptionsWire } from './orchestrator-action';

/**
 * Re-derives the sequence ids the durable-functions SDK assigned to each task, by replaying the
 * SDK's own bookkeeping (lib/src/orchestrations/TaskOrchestrationExecutor.js) over the history and
 * the action list the orchestrator returned. The SDK does not put ids in its actions, so the host
 * must reproduce them: atomic tasks get the next number when they are first yielded (depth-first
 * inside Task.all/any), external events are keyed by name, and a retrying task takes one extra id
 * for each retry timer and each new attempt at the moment the failure or the timer is processed.
 */

export type LeafRole = 'activity' | 'subOrchestration' | 'timer' | 'event' | 'retryTimer' | 'retryAttempt';

export interface SimLeaf {
  kind: 'leaf';
  role: LeafRole;
  /** Sequence id; undefined for external events. */
  id: number | undefined;
  /** For retry timers/attempts: the CallActivityWithRetry / CallSubOrchestratorWithRetry action. */
  action: OrchestratorAction;
  eventName?: string;
  state: TaskState;
  parent?: SimCompound;
  /** Retry timers: the delay before the next attempt (0 for the final timer after the last attempt). */
  retryDelayMs?: number;
}

export interface SimCompound {
  kind: 'all' | 'any' | 'retry';
  action: OrchestratorAction;
  children: SimNode[];
  state: TaskState;
  parent?: SimCompound;
  failed?: boolean;
  attemptNumber: number;
  waitingOnTimer: boolean;
}

type SimNode = SimLeaf | SimCompound;
type TaskState = 'running' | 'completed' | 'failed';

export interface SimulationResult {
  /** Every task that received a sequence id, in id order. */
  numbered: SimLeaf[];
  /** Fire-and-forget actions met (continue-as-new, entity signals). */
  fireAndForget: OrchestratorAction[];
  /** Set when the orchestrator used something this backend refuses (entities, callHttp). */
  unsupported?: string;
}

const unsupportedActions: Partial<Record<ActionType, string>> = {
  [ActionType.CallEntity]: 'callEntity',
  [ActionType.SignalEntity]: 'signalEntity',
  [ActionType.LockEntities]: 'lock (entity critical sections)',
  [ActionType.ReleaseEntities]: 'entity lock release',
  [ActionType.CallHttp]: 'callHttp',
};

export function simulateTasks(actions: OrchestratorAction[], history: HistoryEvent[]): SimulationResult {
  return new TaskSimulator(actions).run(history);
}

class TaskSimulator {
  private sequence = 0;
  private cursor = 0;
  private current: SimNode | undefined;
  private readonly openById = new Map<number, SimLeaf>();
  private readonly openEvents = new Map<string, SimLeaf[]>();
  private readonly deferred = new Map<string | number, HistoryEvent[]>();
  private readonly numbered: SimLeaf[] = [];
  private readonly fireAndForget: OrchestratorAction[] = [];
  private unsupported: string | undefined;

  constructor(private readonly actions: OrchestratorAction[]) {}

  run(history: HistoryEvent[]): SimulationResult {
    for (const event of history) {
      if (this.unsupported) break;
      switch (event.EventType) {
        case EventType.ExecutionStarted:
          this.resume();
          break;
        case EventType.TaskCompleted:
        case EventType.SubOrchestrationInstanceCompleted:
          this.deliver(event.TaskScheduledId ?? -1, true, event);
          break;
        case EventType.TimerFired:
          this.deliver(event.TimerId ?? -1, true, event);
          break;
        case EventType.TaskFailed:
        case EventType.SubOrchestrationInstanceFailed:
          this.deliver(event.TaskScheduledId ?? -1, false, event);
          break;
        case EventType.EventRaised:
          this.deliver(event.Name ?? '', true, event);
          break;
        default:
          break;
      }
    }
    const result: SimulationResult = { numbered: this.numbered, fireAndForget: this.fireAndForget };
    if (this.unsupported) result.unsupported = this.unsupported;
    return result;
  }

  /** Mirrors setTaskValue followed by tryResumingUserCode (the resume is skipped for buffered completions). */
  private deliver(key: number | string, success: boolean, event: HistoryEvent, resumeAfter = true): void {
    let leaf: SimLeaf | undefined;
    if (typeof key === 'number' && this.openById.has(key)) {
      leaf = this.openById.get(key);
      this.openById.delete(key);
    } else if (typeof key === 'string' && this.openEvents.get(key)?.length) {
      // The SDK pops the most recent waiter of that name.
      leaf = this.openEvents.get(key)?.pop();
    }
    if (!leaf) {
      const queue = this.deferred.get(key) ?? [];
      queue.push(event);
      this.deferred.set(key, queue);
      return;
    }
    this.settle(leaf, success);
    if (resumeAfter) this.resume();
  }

  private settle(node: SimNode, success: boolean): void {
    node.state = success ? 'completed' : 'failed';
    if (node.parent) this.childSettled(node.parent, node);
  }

  private childSettled(parent: SimCompound, child: SimNode): void {
    switch (parent.kind) {
      case 'all':
        if (child.state === 'completed') {
          if (parent.children.every((c) => c.state === 'completed')) this.settle(parent, true);
        } else if (!parent.failed) {
          parent.failed = true;
          this.settle(parent, false);
        }
        return;
      case 'any':
        if (parent.state === 'running') this.settle(parent, true);
        return;
      case 'retry':
        this.retryChildSettled(parent, child);
        return;
    }
  }

  /** Mirrors RetryableTask.trySetValue. */
  private retryChildSettled(retry: SimCompound, child: SimNode): void {
    const options = retry.action.retryOptions;
    const maxAttempts = options?.maxNumberOfAttempts ?? 1;
    if (retry.waitingOnTimer) {
      retry.waitingOnTimer = false;
      if (retry.attemptNumber > maxAttempts) {
        this.settle(retry, false);
      } else {
        this.addRetryChild(retry, { role: 'retryAttempt' });
      }
    } else if (child.state === 'completed') {
      this.settle(retry, true);
    } else {
      const failedAttempts = retry.attemptNumber;
      retry.attemptNumber++;
      retry.waitingOnTimer = true;
      const delay = retry.attemptNumber > maxAttempts ? 0 : retryDelay(options, failedAttempts);
      this.addRetryChild(retry, { role: 'retryTimer', retryDelayMs: delay });
    }
  }

  private addRetryChild(retry: SimCompound, fields: Pick<SimLeaf, 'role' | 'retryDelayMs'>): void {
    const leaf: SimLeaf = {
      kind: 'leaf',
      id: undefined,
      action: retry.action,
      state: 'running',
      parent: retry,
      ...fields,
    };
    retry.children.push(leaf);
    this.track(leaf);
  }

  /** Mirrors tryResumingUserCode: pulls the next yielded task once the current one is done. */
  private resume(): void {
    while (!this.unsupported && (this.current === undefined || this.current.state !== 'running')) {
      const action = this.actions[this.cursor++];
      if (action === undefined) {
        this.current = {
          kind: 'all',
          action: { actionType: ActionType.WhenAll },
          children: [],
          state: 'running',
          attemptNumber: 0,
          waitingOnTimer: false,
        };
        return;
      }
      const refused = unsupportedActions[action.actionType];
      if (refused) {
        this.unsupported = refused;
        return;
      }
      if (action.actionType === ActionType.ContinueAsNew) {
        this.fireAndForget.push(action);
        continue;
      }
      const node = this.build(action);
      this.current = node;
      this.track(node);
    }
  }

  private build(action: OrchestratorAction, parent?: SimCompound): SimNode {
    const leaf = (role: LeafRole): SimLeaf => {
      const node: SimLeaf = { kind: 'leaf', role, id: undefined, action, state: 'running' };
      if (parent) node.parent = parent;
      if (role === 'event') node.eventName = action.externalEventName ?? '';
      return node;
    };
    switch (action.actionType) {
      case ActionType.CallActivity:
        return leaf('activity');
      case ActionType.CallSubOrchestrator:
        return leaf('subOrchestration');
      case ActionType.CreateTimer:
        return leaf('timer');
      case ActionType.WaitForExternalEvent:
        return leaf('event');
      case ActionType.CallActivityWithRetry:
      case ActionType.CallSubOrchestratorWithRetry: {
        const retry: SimCompound = {
          kind: 'retry',
          action,
          children: [],
          state: 'running',
          attemptNumber: 1,
          waitingOnTimer: false,
        };
        if (parent) retry.parent = parent;
        const inner = leaf(
          action.actionType === ActionType.CallActivityWithRetry ? 'activity' : 'subOrchestration',
        );
        inner.parent = retry;
        retry.children.push(inner);
        return retry;
      }
      case ActionType.WhenAll:
      case ActionType.WhenAny: {
        const compound: SimCompound = {
          kind: action.actionType === ActionType.WhenAll ? 'all' : 'any',
          action,
          children: [],
          state: 'running',
          attemptNumber: 0,
          waitingOnTimer: false,
        };
        if (parent) compound.parent = parent;
        for (const child of action.compoundActions ?? []) {
          const refused = unsupportedActions[child.actionType];
          if (refused) this.unsupported = refused;
          compound.children.push(this.build(child, compound));
        }
        return compound;
      }
      default:
        this.unsupported = `action type ${String(action.actionType)}`;
        return leaf('activity');
    }
  }

  /** Mirrors trackOpenTask: numbers atomic tasks depth-first, then applies a buffered completion. */
  private track(node: SimNode): void {
    if (node.kind !== 'leaf') {
      for (const child of [...node.children]) this.track(child);
      return;
    }
    let key: number | string;
    if (node.role === 'event') {
      key = node.eventName ?? '';
      const waiting = this.openEvents.get(key) ?? [];
      waiting.push(node);
      this.openEvents.set(key, waiting);
    } else {
      node.id = this.sequence++;
      key = node.id;
      this.openById.set(node.id, node);
      this.numbered.push(node);
    }
    const queue = this.deferred.get(key);
    const buffered = queue?.shift();
    if (queue && queue.length === 0) this.deferred.delete(key);
    if (buffered) {
      const success =
        buffered.EventType !== EventType.TaskFailed &&
        buffered.EventType !== EventType.SubOrchestrationInstanceFailed;
      this.deliver(key, success, buffered, false);
    }
  }
}

/** Delay before the next attempt after `failedAttempts` failures (DTFx RetryInterceptor). */
export function retryDelay(options: RetryOptionsWire | undefined, failedAttempts: number): number {
  if (!options) return 0;
  const coefficient = options.backoffCoefficient ?? 1;
  const raw = options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, failedAttempts - 1);
  const cap = options.maxRetryIntervalInMilliseconds ?? 6 * 24 * 3600 * 1000;
  return Math.min(raw, cap);
}
