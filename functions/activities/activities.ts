// Every activity of the app, as one table (name → handler): the ActivityContracts activities, each
// checked against its input schema by runActivity, and the notify activities. functions/index.ts
// registers it.
import { randomUUID } from 'node:crypto';
import { appAdapters, appPorts } from '../../adapters/config/app-adapters';
import {
  NOTIFY_ACTIVITIES,
  type NotifyApprovalInput,
  type NotifyResult,
  type NotifyRunInput,
} from '../../core/approvals/notify-activities';
import { PortError } from '../../core/ports/port-error';
import type { ActivityName } from '../../core/run/activity-contracts';
import { notifyApproval, notifyRun, type NotifierDeps } from '../approvals/approval-notifier';
import { activityBodies } from './activity-bodies';
import { runActivity } from './activity-runner';

export type ActivityHandler = (input: unknown) => Promise<unknown>;

/**
 * The notifier's ports. Run notices need no signing key (their links only need the public base URL);
 * approval requests without one fail as a terminal ConfigurationError naming the setting, which
 * RunPlan records as a warning.
 */
function notifierDeps(signing: boolean): NotifierDeps {
  const { config, teams, email } = appPorts();
  if (signing && !config.approval.ok) {
    throw new PortError({
      kind: 'terminal',
      code: 'ConfigurationError',
      message: config.approval.errors.join('; '),
    });
  }
  return {
    key: config.approval.ok ? config.approval.settings.signingKey : new Uint8Array(),
    publicBaseUrl: config.publicBaseUrl ?? '',
    teamsWebhooks: config.notify.teamsWebhooks,
    teams,
    ...(email ? { email } : {}),
    now: () => new Date(),
    newId: () => randomUUID(),
  };
}

/** The input's top-level fields, checked (RunPlan builds the rest from typed values). */
function checked<T>(name: string, input: unknown, fields: Record<string, (value: unknown) => boolean>): T {
  const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : undefined;
  for (const [field, ok] of Object.entries(fields)) {
    if (!record || !ok(record[field]))
      throw new PortError({
        kind: 'terminal',
        code: 'InvalidActivityInput',
        message: `${name} input: ${field}: is missing or has the wrong type`,
      });
  }
  return input as T;
}

const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null;
const isStrings = (value: unknown): boolean =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

const notifyHandlers: Record<(typeof NOTIFY_ACTIVITIES)[keyof typeof NOTIFY_ACTIVITIES], ActivityHandler> = {
  [NOTIFY_ACTIVITIES.notifyApproval]: (input): Promise<NotifyResult> =>
    notifyApproval(
      checked<NotifyApprovalInput>(NOTIFY_ACTIVITIES.notifyApproval, input, {
        summary: isObject,
        members: isStrings,
        expiresInMinutes: (v) => typeof v === 'number' && v > 0,
      }),
      notifierDeps(true),
    ),
  [NOTIFY_ACTIVITIES.notifyRun]: (input): Promise<NotifyResult> =>
    notifyRun(
      checked<NotifyRunInput>(NOTIFY_ACTIVITIES.notifyRun, input, {
        notice: isObject,
        groups: isStrings,
        emails: isStrings,
      }),
      notifierDeps(false),
    ),
};

export const ACTIVITIES: Readonly<Record<string, ActivityHandler>> = {
  ...Object.fromEntries(
    (Object.keys(activityBodies) as ActivityName[]).map((name) => [
      name,
      (input: unknown) => runActivity(name, input, appAdapters),
    ]),
  ),
  ...notifyHandlers,
};
