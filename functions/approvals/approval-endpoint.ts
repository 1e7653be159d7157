// GET/HEAD /api/approve?run=&step=&d=&t= shows the confirmation page and never changes anything (mail
// scanners open links). POST (a signed-in approver's form, with the anti-CSRF token) decides: it marks
// the token used, writes the decision record (RunPlan counts an event only when its record backs it),
// raises the run's `approval` event and appends an audit record.
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { refuse, type ApprovalRefusal } from '../../core/approvals/approval-refusal';
import {
  checkApprover,
  checkLinkTarget,
  checkTokenAgainstRun,
  type ApprovalRun,
} from '../../core/approvals/approval-rules';
import { summarizeRun, type ApprovalSummary } from '../../core/approvals/approval-summary';
import { verifyApprovalToken, type ApprovalClaims } from '../../core/approvals/approval-token';
import type { RunArtifactStorePort } from '../../core/ports/plan-store-port';
import type { UsedTokenStorePort } from '../../core/ports/used-token-store-port';
import type { ApprovalDecision, Principal } from '../../core/run/run-types';
import { decidedPage, decisionPage, errorPage, refusalPage, signInPage, type Page } from './approval-pages';
import { crossSiteReason } from '../http/same-origin';
import { principalOf } from '../http/principal';
import { grants, rolesOf } from '../http/roles';
import { requestOrigin } from '../http/request-origin';
import { csrfMatches, csrfToken } from './csrf-token';

/** The run as the endpoint reads and signals it (the Durable client in production). */
export interface ApprovalRuns {
  read(runId: string): Promise<ApprovalRun | undefined>;
  /** `ended` when the instance already finished, `notFound` when there is none. */
  raiseApproval(runId: string, decision: ApprovalDecision): Promise<'accepted' | 'notFound' | 'ended'>;
}

export interface ApprovalEndpointDeps {
  key: Uint8Array;
  loginPath: string;
  /** PUBLIC_BASE_URL: the only Origin a browser may post decisions from (the request's own when unset). */
  publicBaseUrl?: string;
  usedTokens: UsedTokenStorePort;
  /** The audit log, and the decision records the run confirms events against. */
  audit: Pick<RunArtifactStorePort, 'appendAudit' | 'putDecision'>;
  runs: ApprovalRuns;
  now(): Date;
  log?(message: string): void;
}

type Request = Pick<HttpRequest, 'method' | 'url' | 'headers' | 'text'>;

const MAX_FORM_BYTES = 16 * 1024;
const MAX_COMMENT = 500;

function respond(page: Page, head: boolean): HttpResponseInit {
  return {
    status: page.status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      // The link carries a bearer token: keep it out of caches and Referer headers.
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    },
    ...(head ? {} : { body: page.html }),
  };
}

interface Checked {
  claims: ApprovalClaims;
  run: ApprovalRun;
  summary: ApprovalSummary;
}

/** Token, link, single-use marker (read only) and run checks shared by the page and the decision. */
async function checkLink(
  deps: ApprovalEndpointDeps,
  token: string | undefined,
  link: { runId?: string; stepId?: string },
): Promise<Checked | { refusal: ApprovalRefusal; summary?: ApprovalSummary }> {
  const verified = await verifyApprovalToken(token, deps.key, deps.now());
  if (!verified.ok) return { refusal: verified };
  const claims = verified.claims;
  const foreign = checkLinkTarget(claims, link);
  if (foreign) return { refusal: foreign };
  if (await deps.usedTokens.isUsed(claims.tokenId)) return { refusal: refuse('replayed') };
  const run = await deps.runs.read(claims.runId);
  if (!run) return { refusal: refuse('runNotFound') };
  const summary = summarizeRun(run.input, run.progress, claims.stepId);
  const stale = checkTokenAgainstRun(claims, run);
  if (stale) return { refusal: stale, summary };
  return { claims, run, summary };
}

const optional = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value === '' ? undefined : value;

async function showPage(request: Request, deps: ApprovalEndpointDeps): Promise<Page> {
  const url = new URL(request.url);
  const query = url.searchParams;
  const checked = await checkLink(deps, optional(query.get('t')), {
    runId: optional(query.get('run')),
    stepId: optional(query.get('step')),
  });
  if ('refusal' in checked) return refusalPage(checked.refusal, checked.summary);
  const principal = principalOf(request);
  if (!principal)
    return signInPage(checked.summary, { loginPath: deps.loginPath, returnTo: url.pathname + url.search });
  if (!grants(rolesOf(request), 'approver')) return refusalPage(refuse('needsApproverRole'), checked.summary);
  const notAllowed = checkApprover(checked.claims, checked.run, principal);
  if (notAllowed) return refusalPage(notAllowed, checked.summary);
  const d = query.get('d');
  return decisionPage(checked.summary, {
    principal,
    token: query.get('t') ?? '',
    csrf: csrfToken(deps.key, principal.id, checked.claims.tokenId),
    preselect: d === 'approve' || d === 'reject' ? d : undefined,
  });
}

async function readForm(request: Request): Promise<URLSearchParams | Page> {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    return errorPage(
      415,
      'Unsupported form',
      'Content-Type: decisions are posted by the page form (application/x-www-form-urlencoded).',
    );
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_FORM_BYTES)
    return errorPage(413, 'Form too large', `The form is limited to ${MAX_FORM_BYTES} bytes.`);
  return new URLSearchParams(text);
}

async function decide(request: Request, deps: ApprovalEndpointDeps): Promise<Page> {
  if (crossSiteReason(request, deps.publicBaseUrl)) return refusalPage(refuse('crossSiteRequest'));
  const form = await readForm(request);
  if (!(form instanceof URLSearchParams)) return form;
  const token = optional(form.get('t'));
  // Cheap, state-free checks first: a forged or cross-site post reads nothing and writes nothing.
  const verified = await verifyApprovalToken(token, deps.key, deps.now());
  if (!verified.ok) return refusalPage(verified);
  const principal = principalOf(request);
  if (!principal) return refusalPage(refuse('notSignedIn'));
  if (!grants(rolesOf(request), 'approver')) return refusalPage(refuse('needsApproverRole'));
  const csrf = optional(form.get('csrf'));
  if (csrf === undefined) return refusalPage(refuse('csrfMissing'));
  if (!csrfMatches(deps.key, principal.id, verified.claims.tokenId, csrf))
    return refusalPage(refuse('csrfMismatch'));
  const choice = form.get('decision');
  if (choice !== 'approve' && choice !== 'reject') return refusalPage(refuse('decisionInvalid'));
  const comment = optional(form.get('comment')?.trim());
  if (comment !== undefined && comment.length > MAX_COMMENT) return refusalPage(refuse('commentTooLong'));

  const checked = await checkLink(deps, token, {
    runId: optional(form.get('run')),
    stepId: optional(form.get('step')),
  });
  if ('refusal' in checked) return refusalPage(checked.refusal, checked.summary);
  const { claims, summary } = checked;
  const notAllowed = checkApprover(claims, checked.run, principal);
  if (notAllowed) return refusalPage(notAllowed, summary);

  const at = deps.now().toISOString();
  if (!(await deps.usedTokens.markUsed(claims.tokenId, { runId: claims.runId, stepId: claims.stepId, at }))) {
    return refusalPage(refuse('replayed'), summary);
  }
  const decision: ApprovalDecision = {
    stepId: claims.stepId,
    id: claims.tokenId,
    group: claims.group,
    approve: choice === 'approve',
    approver: principal,
    at,
    ...(comment !== undefined ? { comment } : {}),
  };
  await deps.audit.putDecision({
    id: claims.tokenId,
    runId: claims.runId,
    stepId: claims.stepId,
    kind: 'approval',
    group: claims.group,
    by: principal,
    at,
    via: 'approval-link',
    from: requestOrigin(request),
    approve: decision.approve,
    ...(comment !== undefined ? { comment } : {}),
    tokenId: claims.tokenId,
  });
  const raised = await deps.runs.raiseApproval(claims.runId, decision);
  if (raised !== 'accepted')
    return refusalPage(refuse(raised === 'notFound' ? 'runNotFound' : 'runNotActive'), summary);
  // The decision already reached the run; a failing audit write is retried, then reported, not undone.
  for (let attempt = 1; ; attempt++) {
    try {
      await audit(deps, request, claims, decision, principal);
      break;
    } catch (error) {
      if (attempt < 3) continue;
      deps.log?.(
        `approval ${claims.tokenId} for run ${claims.runId}: audit record not written (${(error as Error).message})`,
      );
      return decidedPage(
        summary,
        decision.approve,
        principal,
        at,
        'The audit record could not be written; operators have been told through the log.',
      );
    }
  }
  return decidedPage(summary, decision.approve, principal, at);
}

async function audit(
  deps: ApprovalEndpointDeps,
  request: Request,
  claims: ApprovalClaims,
  decision: ApprovalDecision,
  principal: Principal,
): Promise<void> {
  await deps.audit.appendAudit(claims.runId, {
    id: `approval-${claims.tokenId}`,
    type: 'approvalDecision',
    at: decision.at,
    runId: claims.runId,
    stepId: claims.stepId,
    group: claims.group,
    decision: decision.approve ? 'approve' : 'reject',
    by: principal,
    from: requestOrigin(request),
    via: 'approval-link',
    tokenId: claims.tokenId,
    ...(decision.comment !== undefined ? { comment: decision.comment } : {}),
  });
}

/** The handler behind /api/approve. Unexpected failures become a 503 page, never a stack trace. */
export async function handleApprovalRequest(
  request: Request,
  deps: ApprovalEndpointDeps,
): Promise<HttpResponseInit> {
  const method = request.method.toUpperCase();
  const head = method === 'HEAD';
  try {
    if (method === 'GET' || head) return respond(await showPage(request, deps), head);
    if (method === 'POST') return respond(await decide(request, deps), false);
    return respond(errorPage(405, 'Method not allowed', 'Use GET to open an approval link.'), false);
  } catch (error) {
    deps.log?.(`approval endpoint: ${(error as Error).message}`);
    return respond(
      errorPage(
        503,
        'Try again later',
        'The approval service could not reach its storage or the run. Nothing was decided unless a later page said so.',
      ),
      head,
    );
  }
}
