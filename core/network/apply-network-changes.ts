import type { NetworkPort } from '../ports/network-port';
import { PortError } from '../ports/port-error';
import { applyDecision, describeChange, type NetworkChange, type NetworkValue } from './network-change';

export interface AppliedChange {
  change: NetworkChange;
  result: 'written' | 'already' | 'conflict' | 'gone';
  /** For a conflict: the value found, which is neither the change's own nor the original. */
  found?: NetworkValue;
}

/**
 * Applies planned changes one by one: reads the setting, writes only when it differs (a repeat after
 * a crash finds its own writes done and makes none). A compensation (`undo`) leaves a setting alone
 * when someone else has changed it since, and reports it.
 */
export async function applyNetworkChanges(
  changes: readonly NetworkChange[],
  purpose: 'apply' | 'undo',
  network: NetworkPort,
): Promise<AppliedChange[]> {
  const results: AppliedChange[] = [];
  for (const change of changes) {
    let current: NetworkValue;
    try {
      current = await network.read(change.target);
    } catch (error) {
      // Undoing a drill: test-failover cleanup has already deleted the test VM's NIC, and its settings with it.
      if (purpose === 'undo' && error instanceof PortError && error.info.kind === 'notFound') {
        results.push({ change, result: 'gone' });
        continue;
      }
      throw error;
    }
    const decision = applyDecision(change, current, purpose);
    if (decision === 'write') await network.write(change.target, change.to);
    results.push({
      change: decision === 'conflict' ? { ...change, from: current } : change,
      result: decision === 'write' ? 'written' : decision,
    });
  }
  return results;
}

/** One line saying what an apply did (the step's note). */
export function summarizeApplied(results: readonly AppliedChange[], purpose: 'apply' | 'undo'): string {
  const written = results.filter((r) => r.result === 'written').length;
  const already = results.filter((r) => r.result === 'already').length;
  const gone = results.filter((r) => r.result === 'gone').length;
  const verb = purpose === 'apply' ? 'changed' : 'restored';
  const head = `${verb} ${written} setting(s)${already > 0 ? `, ${already} already so` : ''}${gone > 0 ? `, ${gone} gone with their resource` : ''}`;
  const lines = results
    .filter((r) => r.result === 'written')
    .slice(0, 5)
    .map((r) => describeChange(r.change));
  return lines.length > 0 ? `${head}: ${lines.join('; ')}${written > 5 ? '; …' : ''}` : head;
}
