// Decides who runs each registered function: the HTTP router, a timer runner, an extension (e.g. the
// Durable backend), or nobody ("not yet supported" Durable functions; other trigger types run only
// through admin invoke). Also renders the start-up listing, like `func start`.
import { join } from 'node:path';
import type { HostExtension, HostFunction, HostLogger } from './extension';
import type { HttpRouter } from './http-router';
import type { LoadedApp } from './load-app';
import { defaultUseMonitor, TimerRunner } from './timer-runner';
import { parseTimerSchedule } from './timer-schedule';

const durableTriggers = ['orchestrationtrigger', 'activitytrigger', 'entitytrigger'];
const durableInputs = ['durableclient', 'orchestrationclient'];

const lower = (values: string[]): string[] => values.map((v) => v.toLowerCase());

export function claimsTrigger(extension: HostExtension, type: string): boolean {
  return lower(extension.triggerTypes).includes(type.toLowerCase());
}

export function claimsInput(extension: HostExtension, type: string): boolean {
  return lower(extension.inputBindingTypes).includes(type.toLowerCase());
}

function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

export type Plan =
  | { kind: 'http' }
  | { kind: 'timer'; runner: TimerRunner }
  | { kind: 'extension'; extension: HostExtension }
  | { kind: 'unsupported'; reason: string }
  | { kind: 'admin-only' };

/** Decides who runs each function; a timer with a bad schedule stops the start. */
export function planFunctions(
  app: LoadedApp,
  extensions: HostExtension[],
  stateDir: string,
  invoke: LoadedApp['invoke'],
  log: HostLogger,
): Map<string, Plan> {
  const plans = new Map<string, Plan>();
  const timezone = app.settings.WEBSITE_TIME_ZONE;
  for (const fn of app.functions) {
    const type = fn.trigger.type;
    const extension = extensions.find((e) => claimsTrigger(e, type));
    const missingInput = fn.bindings.find(
      (b) =>
        b.direction === 'in' &&
        durableInputs.includes(b.type.toLowerCase()) &&
        !extensions.some((e) => claimsInput(e, b.type)),
    );
    if (extension) plans.set(fn.name, { kind: 'extension', extension });
    else if (durableTriggers.includes(type.toLowerCase()) || missingInput) {
      const what = missingInput ? `its ${missingInput.type} input` : type;
      plans.set(fn.name, {
        kind: 'unsupported',
        reason: `not yet supported (no host extension handles ${what})`,
      });
    } else if (type.toLowerCase() === 'httptrigger') plans.set(fn.name, { kind: 'http' });
    else if (type.toLowerCase() === 'timertrigger') {
      const where = `function "${fn.name}" schedule`;
      const schedule = parseTimerSchedule(
        typeof fn.trigger.schedule === 'string' ? fn.trigger.schedule : '',
        where,
        timezone,
      );
      const useMonitor =
        fn.trigger.useMonitor === undefined
          ? defaultUseMonitor(schedule, new Date())
          : isTrue(fn.trigger.useMonitor);
      const runner = new TimerRunner({
        fn,
        schedule,
        statusFile: useMonitor ? join(stateDir, 'timers', `${fn.name}.json`) : undefined,
        runOnStartup: isTrue(fn.trigger.runOnStartup),
        invoke,
        log,
      });
      plans.set(fn.name, { kind: 'timer', runner });
    } else plans.set(fn.name, { kind: 'admin-only' });
  }
  return plans;
}

/**
 * Output bindings the host does not write (everything but the HTTP response): their values would be
 * dropped without a word, so the start names each one.
 */
export function unwrittenOutputs(functions: HostFunction[]): string[] {
  return functions.flatMap((fn) =>
    fn.bindings
      .filter((b) => b.direction !== 'in' && b.type.toLowerCase() !== 'http')
      .map(
        (b) =>
          `Function '${fn.name}': output binding '${b.name}' (${b.type}) is not written by the local host; values set for it are dropped.`,
      ),
  );
}

export function describeFunction(fn: HostFunction, plan: Plan, router: HttpRouter, origin: string): string {
  switch (plan.kind) {
    case 'http': {
      const route = router.routes.find((r) => r.function === fn);
      const methods = route?.methods ? `[${route.methods.join(',')}]` : '[*]';
      const auth = route && route.authLevel !== 'anonymous' ? ` (authLevel ${route.authLevel})` : '';
      return `${fn.name}: ${methods} ${origin}/${route?.displayPath ?? ''}${auth}`;
    }
    case 'timer':
      return `${fn.name}: timerTrigger (schedule "${String(fn.trigger.schedule)}")`;
    case 'extension':
      return `${fn.name}: ${fn.trigger.type} (${plan.extension.name})`;
    case 'unsupported':
      return `${fn.name}: ${fn.trigger.type} — ${plan.reason}; skipped`;
    case 'admin-only':
      return `${fn.name}: ${fn.trigger.type} — not run by the local host; invoke it with POST /admin/functions/${fn.name}`;
  }
}
