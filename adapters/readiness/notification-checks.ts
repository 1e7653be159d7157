import type { RecoveryPlan } from '../../core/plan/plan-types';
import { planTargets } from '../../core/readiness/plan-targets';
import type { ReadinessCheck } from '../../core/readiness/readiness-report';
import type { NotifySettings } from '../notify/notify-settings';
import { passed } from './check-results';

/** Approver groups the plans ask must be reachable: a Teams webhook for the group (or `*`), or e-mail. */
export function notificationChecks(
  plans: RecoveryPlan[],
  notify: NotifySettings,
  approvalsOn: boolean,
): ReadinessCheck[] {
  const asks = planTargets(plans).approvals;
  const channels = [
    ...Object.keys(notify.teamsWebhooks).map((group) => `Teams (${group})`),
    ...(notify.email.kind === 'none' ? [] : [`e-mail (${notify.email.kind})`]),
  ];
  if (asks.length === 0)
    return [
      passed(
        'notifications',
        'Notification channels',
        `No stored plan asks an approver group. Configured: ${channels.join(', ') || 'none'}.`,
      ),
    ];
  const checks: ReadinessCheck[] = [];
  if (!approvalsOn)
    checks.push({
      id: 'approvals',
      title: 'Approval links can be signed',
      status: 'fail',
      detail: `Plans ask approver groups (${[...new Set(asks.map((a) => a.group))].join(', ')}) but approvals are off: APPROVAL_SIGNING_KEY is not set.`,
      fix: 'Set APPROVAL_SIGNING_KEY (infra/ sets it as a Key Vault reference to the secret approval-signing-key).',
    });
  const unreachable = asks.filter(
    (ask) =>
      !notify.teamsWebhooks[ask.group] &&
      !notify.teamsWebhooks['*'] &&
      !(notify.email.kind !== 'none' && ask.hasAddresses),
  );
  checks.push(
    unreachable.length === 0
      ? passed(
          'notifications',
          'Notification channels',
          `Every approver group the plans ask is reachable (${channels.join(', ')}).`,
        )
      : {
          id: 'notifications',
          title: 'Notification channels',
          status: 'fail',
          detail: `No channel reaches: ${unreachable.map((a) => `${a.group} (plan ${a.plan})`).join(', ')}.`,
          fix: 'Set TEAMS_WEBHOOK_URLS to {"<group>": "https://…"} (or "*"), or configure ACS e-mail (ACS_EMAIL_CONNECTION_STRING, EMAIL_SENDER_ADDRESS) and list addresses under the plan\'s approvers.<group>.',
        },
  );
  return checks;
}
