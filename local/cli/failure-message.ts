import type { ApiFailure } from './api-client';

/** A detail value as text (strings as they are, anything else as JSON). */
function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

interface Busy {
  item?: unknown;
  runId?: unknown;
  plan?: unknown;
}

/**
 * What a person reads when the app refuses: the API's message (it names the field and the rule), then
 * what to do next where the code says more than the message. `command` is the word before the message.
 */
export function failureMessage(command: string, failure: ApiFailure): string {
  const lines = [
    `${command}: ${failure.message}${failure.status > 0 ? ` [${failure.status} ${failure.code}]` : ''}`,
  ];
  const details = (failure.details ?? {}) as Record<string, unknown>;
  switch (failure.code) {
    case 'run-active': {
      const runId = typeof details.activeRunId === 'string' ? details.activeRunId : undefined;
      if (runId) {
        lines.push(`  active run: ${runId}`);
        lines.push(`  watch it:   durable-recovery watch ${runId}`);
        lines.push(`  cancel it:  durable-recovery cancel ${runId}`);
      }
      break;
    }
    case 'item-busy': {
      const busy = Array.isArray(details.busy) ? (details.busy as Busy[]) : [];
      for (const b of busy) lines.push(`  ${text(b.item)} is in run ${text(b.runId)} (plan ${text(b.plan)})`);
      break;
    }
    case 'unauthenticated':
      lines.push(
        '  approvals and decisions are made by a person: --as <user> signs in to the lab (dev sign-in);',
        '  against Azure pass an Entra access token for the app with --token or DURABLE_RECOVERY_TOKEN.',
      );
      break;
    case 'not-waiting': {
      const waiting = Array.isArray(details.waiting)
        ? (details.waiting as { stepId?: unknown; kind?: unknown }[])
        : [];
      if (waiting.length === 0) lines.push('  the run waits for nobody right now');
      break;
    }
    case 'invalid-request':
    case 'invalid-json':
      if (Array.isArray(details)) {
        for (const d of details as { path?: unknown; message?: unknown }[])
          lines.push(`  ${text(d.path ?? '')}: ${text(d.message ?? '')}`);
      }
      break;
  }
  return `${lines.join('\n')}\n`;
}
