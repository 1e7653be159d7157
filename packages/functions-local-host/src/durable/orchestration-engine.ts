import { randomUUID } from 'node:crypto';
import type { HostFunction, HostLogger, InvokeRequest, InvokeResult } from '../extension';
import type { DurableStore, InstancePage, InstanceQuery } from './durable-store';
import { planEpisode, type EpisodeOutcome, type WorkItem } from './episode-planner';
import {
  completedTaskId,
  EventType,
  inboundEvent,
  orchestrationStatusNumber,
  type HistoryEvent,
} from './history-event';
import { isTerminal, type InboxMessage, type InstanceRecord, type RuntimeStatus } from './instance-record';
import { stateFromFailure, type OrchestratorState } from './orchestrator-action';
import { KeyedLock, Semaphore } from './semaphore';
import { resultText, returnedValue } from './typed-data';

/** What the engine needs from the host (a subset of HostContext, so tests can pass a fake). */
export interface EngineHost {
  functions(): HostFunction[];
  invoke(functionName: string, request: InvokeRequest): Promise<InvokeResult>;
  log: HostLogger;
}

export interface EngineOptions {
  maxConcurrentActivityFunctions: number;
  maxConcurrentOrchestratorFunctions: number;
  /** `NonRunningStates` (default): an id whose instance is Running/Pending/Suspended cannot be started again. */
  overridableExistingInstanceStates: 'NonRunningStates' | 'AnyState';
  /** Log one line per episode (default true). */
  logEpisodes?: boolean;
}

export type StartResult =
  { ok: true; instanceId: string } | { ok: false; status: 400 | 409; message: string };
export type OperationResult = 'accepted' | 'notFound' | 'gone';

interface Inbound {
  executionId: string;
  event: HistoryEvent;
}

interface Slot {
  record?: InstanceRecord;
  /** Committed history of the current execution (the cache; loaded from the store on a miss). */
  history?: HistoryEvent[];
  inbox?: InboxMessage[];
  /** Results, timer firings and child completions not yet in history (recomputed after a crash). */
  pending: Inbound[];
  timers: Map<string, NodeJS.Timeout>;
  kicked: boolean;
}

const runningLike: ReadonlySet<RuntimeStatus> = new Set([
  'Running',
  'Pending',
  'Suspended',
  'ContinuedAsNew',
]);
const maxTimeout = 2 ** 31 - 1;

/**
 * Runs orchestrations: one episode per instance at a time, history committed before the work it
 * causes is dispatched, activities at least once, timers persisted as TimerCreated events.
 */
export class OrchestrationEngine {
  private readonly slots = new Map<string, Slot>();
  private readonly locks = new KeyedLock();
  private readonly activities: Semaphore;
  private readonly episodes: Semaphore;
  private readonly inFlight = new Set<Promise<unknown>>();
  private inboxCounter = 0;
  private stopped = false;

  constructor(
    private readonly store: DurableStore,
    private readonly host: EngineHost,
    private readonly options: EngineOptions,
  ) {
    this.activities = new Semaphore(options.maxConcurrentActivityFunctions);
    this.episodes = new Semaphore(options.maxConcurrentOrchestratorFunctions);
  }

  /** Resumes every unfinished instance: re-dispatches open activities, re-arms timers, applies pending events. */
  async recover(): Promise<number> {
    const unfinished = await this.store.listUnfinished();
    // Loaded side by side: a restart with many open instances should not pay one round trip after another.
    await Promise.all(
      unfinished.map((record) =>
        this.locks.run(record.instanceId, async () => {
          const slot = this.slot(record.instanceId);
          slot.record = record;
          const history = await this.history(slot, record);
          this.redispatchOpenWork(record, history);
        }),
      ),
    );
    for (const record of unfinished) this.kick(record.instanceId);
    return unfinished.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const slot of this.slots.values()) for (const timer of slot.timers.values()) clearTimeout(timer);
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((done) => setTimeout(done, 2_000)),
    ]);
  }

  // ---- client operations -------------------------------------------------------------------------

  async startNew(name: string, instanceId: string | undefined, input: string | null): Promise<StartResult> {
    const fn = this.host.functions().find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!fn || fn.trigger.type !== 'orchestrationTrigger') {
      return {
        ok: false,
        status: 400,
        message: `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`,
      };
    }
    const id = instanceId ?? randomUUID().replace(/-/g, '');
    const invalid = instanceIdProblem(id);
    if (invalid) return { ok: false, status: 400, message: invalid };
    return this.locks.run(id, async () => {
      const existing = await this.store.readInstance(id);
      if (
        existing &&
        runningLike.has(existing.runtimeStatus) &&
        this.options.overridableExistingInstanceStates !== 'AnyState'
      ) {
        return {
          ok: false as const,
          status: 409 as const,
          message: `An Orchestration instance with the status ${existing.runtimeStatus} already exists.`,
        };
      }
      const record = newRecord(id, fn.name, input, null);
      if (!(await this.store.createInstance(record, existing))) {
        return {
          ok: false as const,
          status: 409 as const,
          message: `The instance '${id}' was created concurrently.`,
        };
      }
      if (existing) await this.discardInbox(id);
      this.resetSlot(id, await this.store.readInstance(id));
      this.kick(id);
      return { ok: true as const, instanceId: id };
    });
  }

  async getInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    return this.store.readInstance(instanceId);
  }

  async getHistory(record: InstanceRecord): Promise<HistoryEvent[]> {
    return this.store.readHistory(record.instanceId, record.executionId, record.historyLength);
  }

  listInstances(query: InstanceQuery): Promise<InstancePage> {
    return this.store.listInstances(query);
  }

  raiseEvent(instanceId: string, eventName: string, data: string | null): Promise<OperationResult> {
    return this.enqueue(
      instanceId,
      inboundEvent(EventType.EventRaised, new Date(), { Name: eventName, Input: data }),
    );
  }

  terminate(instanceId: string, reason: string): Promise<OperationResult> {
    return this.enqueue(
      instanceId,
      inboundEvent(EventType.ExecutionTerminated, new Date(), { Input: reason }),
    );
  }

  suspend(instanceId: string, reason: string): Promise<OperationResult> {
    return this.enqueue(
      instanceId,
      inboundEvent(EventType.ExecutionSuspended, new Date(), { Reason: reason }),
    );
  }

  resume(instanceId: string, reason: string): Promise<OperationResult> {
    return this.enqueue(instanceId, inboundEvent(EventType.ExecutionResumed, new Date(), { Reason: reason }));
  }

  /** Purges one finished instance. Running instances are refused (terminate them first). */
  purge(instanceId: string): Promise<'deleted' | 'notFound' | 'running'> {
    return this.locks.run(instanceId, async () => {
      const record = await this.store.readInstance(instanceId);
      if (!record) return 'notFound';
      if (!isTerminal(record.runtimeStatus)) return 'running';
      await this.store.purge(instanceId);
      this.slots.delete(instanceId);
      return 'deleted';
    });
  }

  async purgeWhere(query: InstanceQuery): Promise<number> {
    let deleted = 0;
    let token: string | undefined;
    const matches: InstanceRecord[] = [];
    do {
      const page = await this.store.listInstances({ ...query, top: 500, continuationToken: token });
      matches.push(...page.instances);
      token = page.continuationToken;
    } while (token);
    for (const record of matches) {
      if ((await this.purge(record.instanceId)) === 'deleted') deleted++;
    }
    return deleted;
  }

  // ---- episodes ----------------------------------------------------------------------------------

  private slot(instanceId: string): Slot {
    let slot = this.slots.get(instanceId);
    if (!slot) {
      slot = { pending: [], timers: new Map(), kicked: false };
      this.slots.set(instanceId, slot);
    }
    return slot;
  }

  private resetSlot(instanceId: string, record: InstanceRecord | undefined): void {
    const old = this.slots.get(instanceId);
    for (const timer of old?.timers.values() ?? []) clearTimeout(timer);
    const slot: Slot = { pending: [], timers: new Map(), kicked: false, history: [], inbox: [] };
    if (record) slot.record = record;
    this.slots.set(instanceId, slot);
  }

  private async enqueue(instanceId: string, event: HistoryEvent): Promise<OperationResult> {
    const result = await this.locks.run(instanceId, async (): Promise<OperationResult> => {
      const slot = this.slot(instanceId);
      const record = slot.record ?? (await this.store.readInstance(instanceId));
      if (!record) return 'notFound';
      slot.record = record;
      if (isTerminal(record.runtimeStatus)) return 'gone';
      const message: InboxMessage = { key: this.nextInboxKey(), event };
      // Persisted before the caller hears 202: an acknowledged event survives a crash.
      await this.store.addInbox(instanceId, message);
      slot.inbox = [...(slot.inbox ?? (await this.inboxOf(instanceId, record))), message].filter(
        (m, i, all) => all.findIndex((other) => other.key === m.key) === i,
      );
      return 'accepted';
    });
    if (result === 'accepted') this.kick(instanceId);
    return result;
  }

  private nextInboxKey(): string {
    return `${Date.now().toString().padStart(15, '0')}-${(this.inboxCounter++ % 1e9).toString().padStart(9, '0')}`;
  }

  private async inboxOf(instanceId: string, record: InstanceRecord): Promise<InboxMessage[]> {
    const messages = await this.store.readInbox(instanceId);
    return messages.filter((message) => message.key > record.inboxApplied);
  }

  private async discardInbox(instanceId: string): Promise<void> {
    const leftovers = await this.store.readInbox(instanceId);
    if (leftovers.length > 0)
      await this.store.deleteInbox(
        instanceId,
        leftovers.map((message) => message.key),
      );
  }

  private async history(slot: Slot, record: InstanceRecord): Promise<HistoryEvent[]> {
    if (!slot.history) {
      slot.history = await this.store.readHistory(
        record.instanceId,
        record.executionId,
        record.historyLength,
      );
    }
    return slot.history;
  }

  /** Schedules an episode run for the instance (coalesced). */
  private kick(instanceId: string): void {
    if (this.stopped) return;
    const slot = this.slot(instanceId);
    if (slot.kicked) return;
    slot.kicked = true;
    this.track(
      this.episodes.run(() =>
        this.locks.run(instanceId, async () => {
          slot.kicked = false;
          if (this.stopped) return;
          const again = await this.runEpisode(instanceId);
          if (again) this.kick(instanceId);
        }),
      ),
    );
  }

  private track(work: Promise<unknown>): void {
    const guarded = work.catch((error: unknown) => {
      this.host.log.error(
        `durable: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    });
    this.inFlight.add(guarded);
    void guarded.then(() => this.inFlight.delete(guarded));
  }

  /** One episode. Resolves true when another episode is needed right away (continue-as-new). */
  private async runEpisode(instanceId: string): Promise<boolean> {
    const started = Date.now();
    const slot = this.slot(instanceId);
    const record = slot.record ?? (await this.store.readInstance(instanceId));
    if (!record) {
      this.slots.delete(instanceId);
      return false;
    }
    slot.record = record;
    if (isTerminal(record.runtimeStatus)) {
      slot.pending = [];
      return false;
    }
    const played = await this.history(slot, record);
    slot.inbox ??= await this.inboxOf(instanceId, record);

    const now = new Date();
    const newEvents: HistoryEvent[] = [];
    if (record.historyLength === 0) newEvents.push(executionStarted(record, now));
    let suspended = record.runtimeStatus === 'Suspended';
    let terminateReason: string | undefined;
    const applied: InboxMessage[] = [];
    let held: InboxMessage[] = []; // events that arrived while suspended wait for Resume
    for (const message of slot.inbox) {
      const event = { ...message.event, IsPlayed: false };
      if (event.EventType === EventType.ExecutionTerminated) {
        terminateReason = event.Input ?? '';
        newEvents.push(event);
        applied.push(message);
        break;
      }
      if (event.EventType === EventType.ExecutionSuspended) {
        if (!suspended) newEvents.push(event);
        suspended = true;
      } else if (event.EventType === EventType.ExecutionResumed) {
        if (suspended) newEvents.push(event);
        suspended = false;
        for (const waiting of held) newEvents.push({ ...waiting.event, IsPlayed: false });
        applied.push(...held);
        held = [];
      } else if (suspended) {
        held.push(message);
        continue;
      } else {
        newEvents.push(event);
      }
      applied.push(message);
    }
    // The watermark stays below the first held message, so a crash never loses it.
    const firstHeld = held[0]?.key;
    const appliedKey = applied
      .map((message) => message.key)
      .filter((key) => firstHeld === undefined || key < firstHeld)
      .reduce((max, key) => (key > max ? key : max), record.inboxApplied);
    let taken: Inbound[] = [];
    if (!suspended && terminateReason === undefined) {
      const closed = new Set(played.map(completedTaskId).filter((id) => id !== undefined));
      taken = slot.pending.filter((item) => item.executionId === record.executionId);
      for (const item of taken) {
        const id = completedTaskId(item.event);
        if (id !== undefined && closed.has(id)) continue; // a duplicate delivery (at-least-once)
        if (id !== undefined) closed.add(id);
        newEvents.push({ ...item.event, IsPlayed: false });
      }
    }
    if (newEvents.length === 0) return false;

    const episode: HistoryEvent[] = [inboundEvent(EventType.OrchestratorStarted, now), ...newEvents];
    let outcome: EpisodeOutcome;
    let work: WorkItem[] = [];
    let customStatus = record.customStatus;
    let status: RuntimeStatus;
    let actionCount = 0;
    const onlyControl = newEvents.every(
      (event) =>
        event.EventType === EventType.ExecutionSuspended || event.EventType === EventType.ExecutionResumed,
    );
    if (terminateReason !== undefined) {
      outcome = { kind: 'failed', reason: terminateReason };
      status = 'Terminated';
    } else if (suspended || onlyControl) {
      outcome = { kind: 'running' };
      status = suspended ? 'Suspended' : 'Running';
    } else {
      const history = [...played.map((event) => ({ ...event, IsPlayed: true })), ...episode];
      const state = await this.invokeOrchestrator(record, history);
      actionCount = state.actions.flat().length;
      const plan = planEpisode({
        orchestratorName: record.name,
        executionId: record.executionId,
        history,
        state,
        now,
      });
      episode.push(...plan.scheduling);
      work = plan.work;
      outcome = plan.outcome;
      customStatus = plan.customStatus;
      status = outcome.kind === 'completed' ? 'Completed' : outcome.kind === 'failed' ? 'Failed' : 'Running';
    }

    if (status === 'Terminated' || outcome.kind === 'completed' || outcome.kind === 'failed') {
      const result =
        outcome.kind === 'completed' ? outcome.output : outcome.kind === 'failed' ? outcome.reason : null;
      episode.push(
        inboundEvent(EventType.ExecutionCompleted, now, {
          OrchestrationStatus:
            status === 'Terminated'
              ? orchestrationStatusNumber.Terminated
              : status === 'Completed'
                ? orchestrationStatusNumber.Completed
                : orchestrationStatusNumber.Failed,
          Result: result,
        }),
      );
    }
    episode.push(inboundEvent(EventType.OrchestratorCompleted, now));

    const output =
      status === 'Terminated' || outcome.kind === 'failed'
        ? JSON.stringify(outcome.kind === 'failed' ? outcome.reason : terminateReason)
        : outcome.kind === 'completed'
          ? outcome.output
          : null;
    const next: InstanceRecord = {
      ...record,
      runtimeStatus: status,
      output,
      customStatus,
      lastUpdatedTime: now.toISOString(),
      historyLength: record.historyLength + episode.length,
      inboxApplied: appliedKey,
    };
    let dropExecutionId: string | undefined;
    if (outcome.kind === 'continueAsNew') {
      dropExecutionId = record.executionId;
      // The real backend creates the new execution afresh: createdTime is its start, not the first run's.
      Object.assign(next, {
        executionId: newExecutionId(),
        createdTime: now.toISOString(),
        input: outcome.input,
        historyLength: 0,
        runtimeStatus: 'Running' satisfies RuntimeStatus,
      });
    }
    // The last episode of an execution that continues as new is not kept: its history is dropped.
    const committed = await this.store.commit(instanceId, {
      from: dropExecutionId ? 0 : record.historyLength,
      events: dropExecutionId ? [] : episode,
      instance: next,
      ...(dropExecutionId ? { dropExecutionId } : {}),
    });

    // Only now, with the episode durable, does anything leave the instance.
    slot.record = committed;
    slot.pending = slot.pending.filter((item) => !taken.includes(item));
    slot.inbox = slot.inbox.filter((message) => !applied.includes(message));
    if (applied.length > 0) {
      this.track(
        this.store.deleteInbox(
          instanceId,
          applied.map((message) => message.key),
        ),
      );
    }
    if (outcome.kind === 'continueAsNew') {
      slot.history = [];
      slot.pending = [];
      slot.inbox = []; // unconsumed events are dropped at continue-as-new
      this.clearTimers(slot);
    } else {
      slot.history = [...played, ...episode.map((event) => ({ ...event, IsPlayed: true }))];
    }
    if (isTerminal(committed.runtimeStatus)) {
      this.clearTimers(slot);
      slot.pending = [];
      slot.history = undefined; // finished instances leave the cache
      this.notifyParent(committed);
    } else {
      for (const item of work) this.dispatch(committed, item);
    }
    if (this.options.logEpisodes !== false) {
      this.host.log.info(
        `durable: episode ${instanceId} (${record.name}) applied ${newEvents.length} events, ` +
          `emitted ${actionCount} actions (${work.length} new), status ${committed.runtimeStatus}, ${Date.now() - started} ms`,
      );
    }
    return outcome.kind === 'continueAsNew';
  }

  private async invokeOrchestrator(
    record: InstanceRecord,
    history: HistoryEvent[],
  ): Promise<OrchestratorState> {
    const fn = this.host
      .functions()
      .find(
        (f) =>
          f.name.toLowerCase() === record.name.toLowerCase() && f.trigger.type === 'orchestrationTrigger',
      );
    if (!fn) {
      return {
        isDone: false,
        actions: [],
        error: `The function '${record.name}' doesn't exist, is disabled, or is not an orchestrator function.`,
      };
    }
    const started = history.find((event) => event.EventType === EventType.ExecutionStarted);
    const context = {
      history,
      input: record.input === null ? null : (JSON.parse(record.input) as unknown),
      instanceId: record.instanceId,
      isReplaying: started?.IsPlayed ?? false,
      parentInstanceId: record.parent?.instanceId ?? null,
      upperSchemaVersion: 1,
      upperSchemaVersionNew: 2,
      longRunningTimerIntervalDuration: '3.00:00:00',
      // Very large, so the SDK never splits timers: this store has no 6-day limit (reference §3.4).
      maximumShortTimerDuration: '36500.00:00:00',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    };
    try {
      const result = await this.host.invoke(fn.name, {
        inputData: [{ name: fn.trigger.name, data: { string: JSON.stringify(context) } }],
        triggerMetadata: { instanceId: { string: record.instanceId } },
      });
      return returnedValue(result.returnValue) as OrchestratorState;
    } catch (error) {
      return (
        stateFromFailure(error) ?? {
          isDone: false,
          actions: [],
          error: error instanceof Error ? error.message : String(error),
        }
      );
    }
  }

  // ---- work --------------------------------------------------------------------------------------

  private redispatchOpenWork(record: InstanceRecord, history: HistoryEvent[]): void {
    const closed = new Set(history.map(completedTaskId).filter((id) => id !== undefined));
    for (const event of history) {
      if (closed.has(event.EventId)) continue;
      if (event.EventType === EventType.TaskScheduled) {
        this.dispatch(record, {
          kind: 'activity',
          id: event.EventId,
          name: event.Name ?? '',
          input: event.Input ?? null,
        });
      } else if (event.EventType === EventType.TimerCreated) {
        this.dispatch(record, {
          kind: 'timer',
          id: event.EventId,
          fireAt: event.FireAt ?? new Date().toISOString(),
        });
      } else if (event.EventType === EventType.SubOrchestrationInstanceCreated) {
        this.dispatch(record, {
          kind: 'subOrchestration',
          id: event.EventId,
          name: event.Name ?? '',
          instanceId: event.InstanceId ?? '',
          input: event.Input ?? null,
        });
      }
    }
  }

  private dispatch(record: InstanceRecord, item: WorkItem): void {
    switch (item.kind) {
      case 'activity':
        this.track(this.activities.run(() => this.runActivity(record, item)));
        return;
      case 'timer':
        this.armTimer(record, item.id, item.fireAt);
        return;
      case 'subOrchestration':
        this.track(this.startChild(record, item));
        return;
    }
  }

  private deliver(instanceId: string, executionId: string, event: HistoryEvent): void {
    if (this.stopped) return;
    const slot = this.slot(instanceId);
    if (slot.record && slot.record.executionId !== executionId) return; // a result for an execution that is gone
    slot.pending.push({ executionId, event });
    this.kick(instanceId);
  }

  private async runActivity(
    record: InstanceRecord,
    item: Extract<WorkItem, { kind: 'activity' }>,
  ): Promise<void> {
    if (this.stopped) return;
    const fn = this.host
      .functions()
      .find((f) => f.name.toLowerCase() === item.name.toLowerCase() && f.trigger.type === 'activityTrigger');
    let event: HistoryEvent;
    if (!fn) {
      const reason = `The function '${item.name}' doesn't exist, is disabled, or is not an activity function.`;
      event = inboundEvent(EventType.TaskFailed, new Date(), {
        TaskScheduledId: item.id,
        Reason: reason,
        Details: '',
      });
    } else {
      try {
        const result = await this.host.invoke(fn.name, {
          inputData: [{ name: fn.trigger.name, data: item.input === null ? {} : { string: item.input } }],
          triggerMetadata: { instanceId: { string: record.instanceId } },
        });
        event = inboundEvent(EventType.TaskCompleted, new Date(), {
          TaskScheduledId: item.id,
          Result: resultText(result.returnValue),
        });
      } catch (error) {
        event = inboundEvent(EventType.TaskFailed, new Date(), {
          TaskScheduledId: item.id,
          ...activityFailure(item.name, error),
        });
      }
    }
    this.deliver(record.instanceId, record.executionId, event);
  }

  private armTimer(record: InstanceRecord, id: number, fireAt: string): void {
    const slot = this.slot(record.instanceId);
    const key = `${record.executionId}:${id}`;
    if (slot.timers.has(key) || this.stopped) return;
    const due = Date.parse(fireAt);
    const wait = (): void => {
      const left = due - Date.now();
      if (left > 0) {
        slot.timers.set(key, setTimeout(wait, Math.min(left, maxTimeout)));
        return;
      }
      slot.timers.delete(key);
      this.deliver(
        record.instanceId,
        record.executionId,
        inboundEvent(EventType.TimerFired, new Date(), { TimerId: id, FireAt: fireAt }),
      );
    };
    wait();
  }

  private clearTimers(slot: Slot): void {
    for (const timer of slot.timers.values()) clearTimeout(timer);
    slot.timers.clear();
  }

  private async startChild(
    parent: InstanceRecord,
    item: Extract<WorkItem, { kind: 'subOrchestration' }>,
  ): Promise<void> {
    const fail = (reason: string): void =>
      this.deliver(
        parent.instanceId,
        parent.executionId,
        inboundEvent(EventType.SubOrchestrationInstanceFailed, new Date(), {
          TaskScheduledId: item.id,
          Reason: reason,
          Details: '',
        }),
      );
    if (item.instanceId === parent.instanceId) {
      fail(`A sub-orchestration cannot use its parent's instance id '${item.instanceId}'.`);
      return;
    }
    const fn = this.host.functions().find((f) => f.name.toLowerCase() === item.name.toLowerCase());
    if (!fn || fn.trigger.type !== 'orchestrationTrigger') {
      fail(`The function '${item.name}' doesn't exist, is disabled, or is not an orchestrator function.`);
      return;
    }
    const link = {
      instanceId: parent.instanceId,
      executionId: parent.executionId,
      name: parent.name,
      taskScheduledId: item.id,
    };
    const outcome = await this.locks.run(item.instanceId, async () => {
      const existing = await this.store.readInstance(item.instanceId);
      const ours =
        existing?.parent?.instanceId === link.instanceId &&
        existing.parent.executionId === link.executionId &&
        existing.parent.taskScheduledId === link.taskScheduledId;
      if (existing && ours) return { kind: 'exists' as const, record: existing };
      if (existing && runningLike.has(existing.runtimeStatus)) {
        return { kind: 'conflict' as const, status: existing.runtimeStatus };
      }
      const record = newRecord(item.instanceId, fn.name, item.input, link);
      if (!(await this.store.createInstance(record, existing)))
        return { kind: 'conflict' as const, status: 'Running' };
      if (existing) await this.discardInbox(item.instanceId);
      this.resetSlot(item.instanceId, await this.store.readInstance(item.instanceId));
      return { kind: 'created' as const };
    });
    if (outcome.kind === 'conflict') {
      fail(`An Orchestration instance with the status ${outcome.status} already exists.`);
    } else if (outcome.kind === 'exists' && isTerminal(outcome.record.runtimeStatus)) {
      this.notifyParent(outcome.record);
    } else {
      this.kick(item.instanceId);
    }
  }

  private notifyParent(child: InstanceRecord): void {
    const parent = child.parent;
    if (!parent) return;
    const now = new Date();
    const event =
      child.runtimeStatus === 'Completed'
        ? inboundEvent(EventType.SubOrchestrationInstanceCompleted, now, {
            TaskScheduledId: parent.taskScheduledId,
            Result: child.output ?? 'null',
          })
        : inboundEvent(EventType.SubOrchestrationInstanceFailed, now, {
            TaskScheduledId: parent.taskScheduledId,
            Reason: child.output === null ? '' : String(JSON.parse(child.output)),
            Details: '',
          });
    this.deliver(parent.instanceId, parent.executionId, event);
  }
}

function newRecord(
  instanceId: string,
  name: string,
  input: string | null,
  parent: InstanceRecord['parent'],
): InstanceRecord {
  const now = new Date().toISOString();
  return {
    instanceId,
    name,
    executionId: newExecutionId(),
    runtimeStatus: 'Pending',
    input,
    output: null,
    customStatus: null,
    createdTime: now,
    lastUpdatedTime: now,
    parent,
    historyLength: 0,
    inboxApplied: '',
  };
}

function newExecutionId(): string {
  return randomUUID().replace(/-/g, '');
}

function executionStarted(record: InstanceRecord, at: Date): HistoryEvent {
  const parent = record.parent;
  return inboundEvent(EventType.ExecutionStarted, at, {
    Name: record.name,
    Version: '',
    Input: record.input,
    OrchestrationInstance: { InstanceId: record.instanceId, ExecutionId: record.executionId },
    ParentInstance: parent
      ? {
          Name: parent.name,
          Version: '',
          TaskScheduledId: parent.taskScheduledId,
          OrchestrationInstance: { InstanceId: parent.instanceId, ExecutionId: parent.executionId },
        }
      : null,
    Tags: null,
    Correlation: null,
    ScheduledStartTime: null,
    Generation: 0,
  });
}

/** Reason/Details as the Durable extension's TaskActivityShim writes them (no FailureDetails). */
function activityFailure(name: string, error: unknown): { Reason: string; Details: string } {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  return {
    Reason: `Activity function '${name}' failed: ${message}`,
    Details: JSON.stringify({ Message: `Exception: ${message}`, StackTrace: stack }),
  };
}

/** Instance id rules of the Durable HTTP API (HttpApiHandler.cs). */
export function instanceIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'instanceId: must not be empty.';
  if (id.length > 256) return 'instanceId: must be at most 256 characters.';
  if (id.startsWith('@')) return "instanceId: must not start with '@'.";
  // eslint-disable-next-line no-control-regex
  if (/[/\\?#\u0000-\u001f\u007f]/.test(id))
    return 'instanceId: must not contain /, \\, ?, # or control characters.';
  return undefined;
}
