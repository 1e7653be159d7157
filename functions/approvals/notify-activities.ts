// Registers the notify activities (approval requests, run notices). Senders are built from app
// settings on first use: Teams Workflows webhooks per group, e-mail through ACS or the local sink.
import { randomUUID } from 'node:crypto';
import * as df from 'durable-functions';
import { AcsEmailSender } from '../../adapters/notify/acs-email-sender';
import { readApprovalSettings, readNotifySettings } from '../../adapters/notify/notify-settings';
import { SinkEmailSender } from '../../adapters/notify/sink-email-sender';
import { TeamsWebhookPoster } from '../../adapters/notify/teams-webhook-poster';
import {
  NOTIFY_ACTIVITIES,
  type NotifyApprovalInput,
  type NotifyRunInput,
} from '../../core/approvals/notify-activities';
import type { EmailPort } from '../../core/ports/notification-port';
import { PortError } from '../../core/ports/port-error';
import { notifyApproval, notifyRun, type NotifierDeps } from './approval-notifier';

let deps: NotifierDeps | undefined;

/** Once per process; a bad setting fails the activity with a terminal error naming the setting. */
function notifierDeps(): NotifierDeps {
  if (deps) return deps;
  const approval = readApprovalSettings(process.env);
  const notify = readNotifySettings(process.env);
  const errors = [...(approval.ok ? [] : approval.errors), ...(notify.ok ? [] : notify.errors)];
  if (!approval.ok || !notify.ok) {
    throw new PortError({ kind: 'terminal', code: 'ConfigurationError', message: errors.join('; ') });
  }
  const mail = notify.settings.email;
  const email: EmailPort | undefined =
    mail.kind === 'acs'
      ? new AcsEmailSender(mail.connectionString, mail.sender)
      : mail.kind === 'sink'
        ? new SinkEmailSender(mail.url, mail.sender)
        : undefined;
  deps = {
    key: approval.settings.signingKey,
    publicBaseUrl: approval.settings.publicBaseUrl,
    teamsWebhooks: notify.settings.teamsWebhooks,
    teams: new TeamsWebhookPoster(),
    ...(email ? { email } : {}),
    now: () => new Date(),
    newId: () => randomUUID(),
  };
  return deps;
}

df.app.activity(NOTIFY_ACTIVITIES.notifyApproval, {
  handler: (input: unknown) => notifyApproval(input as NotifyApprovalInput, notifierDeps()),
});

df.app.activity(NOTIFY_ACTIVITIES.notifyRun, {
  handler: (input: unknown) => notifyRun(input as NotifyRunInput, notifierDeps()),
});
