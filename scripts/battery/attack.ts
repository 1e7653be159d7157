// What an attack is and what it reports. An attack observes the system through its HTTP API, the
// Durable API, the audit log or the ARM simulator's ledger, and says whether the defence held.
import type { BatteryStack } from './battery-stack';

export interface AttackResult {
  name: string;
  /** What a defended system does, in a few words. */
  expected: string;
  /** What this system did, as observed (status codes, reason codes, counts). */
  observed: string;
  held: boolean;
}

export interface BatteryMode {
  /** The CI form: fewer kills, a shorter storm. */
  short: boolean;
}

export interface Attack {
  /** Family name, as `--only` takes it; each result's name starts with it. */
  name: string;
  /** Runs in the short (CI) form too. */
  short: boolean;
  run(lab: BatteryStack, mode: BatteryMode): Promise<AttackResult[]>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
