// Runs the chosen attacks against one private stack and collects what each observed. An attack that
// throws (the stack misbehaved in a way it did not foresee) is reported as broken, with the error.
import type { AttackResult, BatteryMode } from './attack';
import { ATTACKS } from './attacks';
import { startBatteryStack } from './battery-stack';

export interface BatteryOptions extends BatteryMode {
  /** Attack family names to run (all when empty). */
  only: string[];
  progress?: (line: string) => void;
}

/** The family names `--only` accepts. */
export const attackNames = (): string[] => ATTACKS.map((a) => a.name);

export async function runBattery(options: BatteryOptions): Promise<AttackResult[]> {
  const unknown = options.only.filter((name) => !attackNames().includes(name));
  if (unknown.length > 0)
    throw new Error(`--only: unknown attack ${unknown.join(', ')}; known: ${attackNames().join(', ')}`);
  const chosen = ATTACKS.filter((a) =>
    options.only.length === 0 ? !options.short || a.short : options.only.includes(a.name),
  );
  options.progress?.('starting the stack (Azurite, ARM simulator, sinks, host) …');
  const lab = await startBatteryStack();
  const results: AttackResult[] = [];
  try {
    for (const attack of chosen) {
      const started = Date.now();
      options.progress?.(`${attack.name} …`);
      try {
        results.push(...(await attack.run(lab, { short: options.short })));
      } catch (error) {
        results.push({
          name: attack.name,
          expected: 'the attack runs to an observation',
          observed: `attack failed: ${(error as Error).message.split('\n')[0] ?? String(error)}`,
          held: false,
        });
      }
      options.progress?.(`${attack.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await lab.stop();
  }
  return results;
}
