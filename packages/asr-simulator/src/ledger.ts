/** One HTTP request as the simulator saw it. */
export interface LedgerRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  /** Logical operation, e.g. `ReplicationProtectedItems.UnplannedFailover`; `Unknown` when no route matched. */
  operation: string;
  /** VM / plan / job / runbook the request addressed, when there is one. */
  target?: string;
  /** `accepted`, `ok`, `refused`, `not-found`, `bad-request`, `fault:429`, `fault:reset`, … */
  outcome: string;
  status: number;
  /** The RBAC action the request needed (authorization/arm-action.ts), for ARM resource paths. */
  action?: string;
}

/** Something the simulated service did on its own (job task started, group finished, runbook ran). */
export interface LedgerEvent {
  seq: number;
  time: string;
  /** Simulated seconds since the simulator (re)started: comparable across time scales. */
  simSeconds: number;
  kind: string;
  target: string;
  detail?: Record<string, unknown>;
}

export interface OperationCounter {
  calls: number;
  byOutcome: Record<string, number>;
}

/** Every request and service event in order, plus per-operation counters; tests read it to prove ordering. */
export class Ledger {
  private seq = 0;
  readonly requests: LedgerRequest[] = [];
  readonly events: LedgerEvent[] = [];
  readonly counters: Record<string, OperationCounter> = {};

  constructor(private readonly simSeconds: () => number) {}

  record(entry: Omit<LedgerRequest, 'seq' | 'time'>): LedgerRequest {
    const full = { seq: ++this.seq, time: new Date().toISOString(), ...entry };
    this.requests.push(full);
    const counter = (this.counters[entry.operation] ??= { calls: 0, byOutcome: {} });
    counter.calls++;
    counter.byOutcome[entry.outcome] = (counter.byOutcome[entry.outcome] ?? 0) + 1;
    return full;
  }

  event(kind: string, target: string, detail?: Record<string, unknown>): void {
    this.events.push({
      seq: ++this.seq,
      time: new Date().toISOString(),
      simSeconds: this.simSeconds(),
      kind,
      target,
      detail,
    });
  }

  clear(): void {
    this.requests.length = 0;
    this.events.length = 0;
    for (const key of Object.keys(this.counters)) delete this.counters[key];
  }
}
