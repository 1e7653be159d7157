// The approval pages: small, escaped, no external assets, no JavaScript. Forms post to this endpoint.
import type { ApprovalRefusal } from '../../core/approvals/approval-refusal';
import type { ApprovalSummary } from '../../core/approvals/approval-summary';
import { escapeHtml } from '../../core/approvals/escape-text';
import type { Principal } from '../../core/run/run-types';

export interface Page {
  status: number;
  html: string;
}

const style = `body{font-family:Segoe UI,Arial,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}
th{text-align:left;padding:2px 12px 2px 0;vertical-align:top}.refused{color:#a4262c}.ok{color:#107c10}
button{padding:.5rem 1.2rem;margin-right:.5rem;font-size:1rem}textarea{width:100%}code{background:#eee;padding:0 .2rem}`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${style}</style></head>
<body>
${body}
</body></html>
`;
}

function summaryTable(summary: ApprovalSummary): string {
  const rows: [string, string][] = [
    ['Plan', `${summary.planName} (version ${summary.planHash.slice(0, 12)})`],
    [
      'Operation',
      `${summary.operation}${summary.drill ? ' (scheduled drill)' : ''}${summary.dryRun ? ' (dry run)' : ''}`,
    ],
    ['Initiator', summary.initiator.name],
    ['Items', `${summary.items.length}: ${summary.items.join(', ') || 'none'}`],
    ['Forecast RTO', `${summary.forecastRtoMinutes} min (objective ${summary.rtoMinutes} min)`],
    ['Step', `${summary.step.id} (approver group ${summary.step.group})`],
    ...(summary.step.message ? ([['Message', summary.step.message]] as [string, string][]) : []),
    ['Run', summary.runId],
  ];
  return `<table>\n${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}\n</table>`;
}

export function refusalPage(refusal: ApprovalRefusal, summary?: ApprovalSummary): Page {
  return {
    status: refusal.status,
    html: layout(
      'Approval refused',
      `<h1 class="refused">Not accepted</h1>
<p>${escapeHtml(refusal.message)}</p>
<p>Reason code: <code>${escapeHtml(refusal.code)}</code>. Nothing was changed.</p>
${summary ? summaryTable(summary) : ''}`,
    ),
  };
}

export interface SignInOptions {
  loginPath: string;
  /** This page's path and query, to come back to after signing in. */
  returnTo: string;
}

/** The confirmation page for a visitor who is not signed in (mail scanners always land here). */
export function signInPage(summary: ApprovalSummary, options: SignInOptions): Page {
  const dev = options.loginPath.endsWith('/dev');
  // The local sign-in emulation needs a user name; in Azure the identity provider asks for it.
  const signIn = dev
    ? `<form method="get" action="${escapeHtml(options.loginPath)}">
<input type="hidden" name="post_login_redirect_uri" value="${escapeHtml(options.returnTo)}">
<label>Local sign-in as <input name="user" required placeholder="alice@contoso.com"></label>
<label><input type="checkbox" name="roles" value="approver" checked> with the approver role</label>
<button type="submit">Sign in</button></form>`
    : `<p><a href="${escapeHtml(`${options.loginPath}?post_login_redirect_uri=${encodeURIComponent(options.returnTo)}`)}">Sign in to decide</a></p>`;
  return {
    status: 200,
    html: layout(
      `Approval: ${summary.planName}`,
      `<h1>Approval requested: ${escapeHtml(summary.planName)}</h1>
${summaryTable(summary)}
<p>Sign in as a member of <strong>${escapeHtml(summary.step.group)}</strong> to approve or reject. Opening this page changes nothing.</p>
${signIn}`,
    ),
  };
}

export interface DecisionFormOptions {
  principal: Principal;
  token: string;
  csrf: string;
  preselect: 'approve' | 'reject' | undefined;
}

/** The confirmation page with the decision form, for a signed-in member of the approver group. */
export function decisionPage(summary: ApprovalSummary, options: DecisionFormOptions): Page {
  const hidden = (name: string, value: string): string =>
    `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const button = (value: 'approve' | 'reject', label: string): string =>
    `<button type="submit" name="decision" value="${value}"${options.preselect === value ? ' autofocus' : ''}>${label}</button>`;
  const order =
    options.preselect === 'reject'
      ? [button('reject', 'Reject'), button('approve', 'Approve')]
      : [button('approve', 'Approve'), button('reject', 'Reject')];
  return {
    status: 200,
    html: layout(
      `Approval: ${summary.planName}`,
      `<h1>Approve or reject: ${escapeHtml(summary.planName)}</h1>
${summaryTable(summary)}
<p>Signed in as <strong>${escapeHtml(options.principal.name)}</strong>. Your decision is final and recorded in the run's audit log.</p>
<form method="post" action="approve">
${hidden('t', options.token)}
${hidden('run', summary.runId)}
${hidden('step', summary.step.id)}
${hidden('csrf', options.csrf)}
<p><label>Comment (optional)<br><textarea name="comment" rows="3" maxlength="500"></textarea></label></p>
<p>${order.join('\n')}</p>
</form>`,
    ),
  };
}

export function decidedPage(
  summary: ApprovalSummary,
  approve: boolean,
  principal: Principal,
  at: string,
  warning?: string,
): Page {
  return {
    status: 200,
    html: layout(
      'Decision recorded',
      `<h1 class="ok">${approve ? 'Approved' : 'Rejected'}</h1>
<p>${escapeHtml(principal.name)} ${approve ? 'approved' : 'rejected'} step <strong>${escapeHtml(summary.step.id)}</strong> at ${escapeHtml(at)}. The run has been told; this link cannot be used again.</p>
${warning ? `<p class="refused">${escapeHtml(warning)}</p>` : ''}
${summaryTable(summary)}`,
    ),
  };
}

export function errorPage(status: number, title: string, message: string): Page {
  return {
    status,
    html: layout(title, `<h1 class="refused">${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`),
  };
}
