// Sends approval requests and run notices. Each e-mail recipient gets links with their own token
// (single use: one person's click never spends another's link); the Teams channel gets one token,
// spent by whoever decides first from the card.
import { approvalLinks } from '../../core/approvals/approval-links';
import { mintApprovalToken } from '../../core/approvals/approval-token';
import { noticeCard } from '../../core/approvals/notice-card';
import {
  approvalRequestContent,
  runNoticeContent,
  type NoticeContent,
  type RunNotice,
} from '../../core/approvals/notice-content';
import { noticeEmail } from '../../core/approvals/notice-email';
import type {
  NotifyApprovalInput,
  NotifyResult,
  NotifyRunInput,
} from '../../core/approvals/notify-activities';
import type { EmailPort, TeamsPort } from '../../core/ports/notification-port';

export interface NotifierDeps {
  key: Uint8Array;
  publicBaseUrl: string;
  /** Approver group → Workflows webhook URL; `*` serves groups without their own. */
  teamsWebhooks: Record<string, string>;
  teams: TeamsPort;
  email?: EmailPort;
  now(): Date;
  newId(): string;
}

const isEmail = (member: string): boolean => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(member);
const reason = (error: unknown): string => (error as Error).message.slice(0, 300);

export async function notifyApproval(input: NotifyApprovalInput, deps: NotifierDeps): Promise<NotifyResult> {
  const { summary } = input;
  const result: NotifyResult = { teams: [], emails: [], tokenIds: [] };
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + input.expiresInMinutes * 60_000);
  const content = async (): Promise<NoticeContent> => {
    const tokenId = deps.newId();
    result.tokenIds.push(tokenId);
    const token = await mintApprovalToken(deps.key, {
      runId: summary.runId,
      stepId: summary.step.id,
      group: summary.step.group,
      planHash: summary.planHash,
      tokenId,
      now,
      ttlMinutes: input.expiresInMinutes,
    });
    const links = approvalLinks(deps.publicBaseUrl, { runId: summary.runId, stepId: summary.step.id }, token);
    return approvalRequestContent(summary, links, expiresAt);
  };

  const webhook = deps.teamsWebhooks[summary.step.group] ?? deps.teamsWebhooks['*'];
  if (webhook) {
    try {
      await deps.teams.post(webhook, noticeCard(await content()));
      result.teams.push({ channel: summary.step.group, ok: true });
    } catch (error) {
      result.teams.push({ channel: summary.step.group, ok: false, error: reason(error) });
    }
  }
  if (deps.email) {
    for (const to of input.members.filter(isEmail)) {
      try {
        await deps.email.send({ to: [to], ...noticeEmail(await content()) });
        result.emails.push({ to, ok: true });
      } catch (error) {
        result.emails.push({ to, ok: false, error: reason(error) });
      }
    }
  }
  return result;
}

/**
 * Links to the run's console page and its evidence report page (functions/console): a person opening
 * them from Teams or a mail is sent to sign in and lands on the page. Never a Durable management URL.
 */
function withLinks(notice: RunNotice, base: string): RunNotice {
  if (!base) return notice;
  const run = `${base}/api/console/runs/${encodeURIComponent(notice.runId)}`;
  return {
    ...notice,
    statusUrl: notice.statusUrl ?? run,
    ...(notice.kind === 'completion' ? { reportUrl: notice.reportUrl ?? `${run}/report` } : {}),
  };
}

export async function notifyRun(input: NotifyRunInput, deps: NotifierDeps): Promise<NotifyResult> {
  const result: NotifyResult = { teams: [], emails: [], tokenIds: [] };
  const content = runNoticeContent(withLinks(input.notice, deps.publicBaseUrl));
  const posted = new Set<string>();
  for (const group of input.groups) {
    const webhook = deps.teamsWebhooks[group] ?? deps.teamsWebhooks['*'];
    if (!webhook || posted.has(webhook)) continue;
    posted.add(webhook);
    try {
      await deps.teams.post(webhook, noticeCard(content));
      result.teams.push({ channel: group, ok: true });
    } catch (error) {
      result.teams.push({ channel: group, ok: false, error: reason(error) });
    }
  }
  const recipients = [...new Set(input.emails.filter(isEmail))];
  if (deps.email && recipients.length > 0) {
    try {
      await deps.email.send({ to: recipients, ...noticeEmail(content) });
      result.emails.push(...recipients.map((to) => ({ to, ok: true })));
    } catch (error) {
      result.emails.push(...recipients.map((to) => ({ to, ok: false, error: reason(error) })));
    }
  }
  return result;
}
