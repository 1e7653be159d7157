// Registers the notify activities (approval requests, run notices). Senders are built from app
// settings on first use: Teams Workflows webhooks per group, e-mail through ACS or the local sink.
import { randomUUID } from 'node:crypto';
import * as df from 'durable-functions';
import { outboundAllowlist } from '../../adapters/config/app-config';
import { readPublicBaseUrl } from '../../adapters/config/public-base-url';
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

let deps: { deps: NotifierDeps; signingErrors: string[] } | undefined;

/**
 * Once per process. A bad notify setting fails both activities, a missing or bad approval setting only
 * notifyApproval (run notices carry no token; without a public base URL they go out without links):
 * a terminal error naming the setting, which RunPlan records as a warning.
 */
function notifierDeps(signing: boolean): NotifierDeps {
  deps ??= buildDeps();
  if (signing && deps.signingErrors.length > 0) {
    throw new PortError({
      kind: 'terminal',
      code: 'ConfigurationError',
      message: deps.signingErrors.join('; '),
    });
  }
  return deps.deps;
}

function buildDeps(): { deps: NotifierDeps; signingErrors: string[] } {
  const approval = readApprovalSettings(process.env);
  const notify = readNotifySettings(process.env);
  // Run notices need no signing key: their links only need the public base URL.
  const base = readPublicBaseUrl(process.env);
  if (!notify.ok) {
    throw new PortError({ kind: 'terminal', code: 'ConfigurationError', message: notify.errors.join('; ') });
  }
  const outbound = { allow: outboundAllowlist(process.env) };
  const mail = notify.settings.email;
  const email: EmailPort | undefined =
    mail.kind === 'acs'
      ? new AcsEmailSender(mail.connectionString, mail.sender)
      : mail.kind === 'sink'
        ? new SinkEmailSender(mail.url, mail.sender, outbound)
        : undefined;
  return {
    deps: {
      key: approval.ok ? approval.settings.signingKey : new Uint8Array(),
      publicBaseUrl: base.ok ? (base.url ?? '') : '',
      teamsWebhooks: notify.settings.teamsWebhooks,
      teams: new TeamsWebhookPoster(outbound),
      ...(email ? { email } : {}),
      now: () => new Date(),
      newId: () => randomUUID(),
    },
    signingErrors: approval.ok ? [] : approval.errors,
  };
}

df.app.activity(NOTIFY_ACTIVITIES.notifyApproval, {
  handler: (input: unknown) => notifyApproval(input as NotifyApprovalInput, notifierDeps(true)),
});

df.app.activity(NOTIFY_ACTIVITIES.notifyRun, {
  handler: (input: unknown) => notifyRun(input as NotifyRunInput, notifierDeps(false)),
});
