/**
 * Every reason an approval link or decision is refused. Each has its own code, HTTP status and a
 * message a person can act on; the page and the logs show the code so support can tell them apart.
 */
export const APPROVAL_REFUSALS = {
  tokenMissing: { status: 400, message: 'The link has no approval token (parameter "t").' },
  tokenMalformed: { status: 400, message: 'The approval token is not a well-formed signed token.' },
  algorithmNone: {
    status: 401,
    message: 'The approval token is unsigned ("alg": "none"); only HS256-signed tokens are accepted.',
  },
  algorithmNotAllowed: {
    status: 401,
    message: 'The approval token is signed with an algorithm other than HS256.',
  },
  signatureInvalid: {
    status: 401,
    message:
      'The approval token signature does not verify: the link was altered or not issued by this service.',
  },
  wrongAudience: { status: 401, message: 'The token was not issued for approval links of this service.' },
  claimsInvalid: {
    status: 401,
    message: 'The token lacks the run, step, group or plan claims an approval needs.',
  },
  expired: { status: 410, message: 'The approval link has expired; ask for a new one.' },
  notYetValid: {
    status: 401,
    message: 'The approval link is not valid yet (clock skew or a forged issue time).',
  },
  replayed: { status: 409, message: 'This approval link has already been used; each link decides once.' },
  wrongRun: { status: 403, message: 'The token was issued for a different run than the link names.' },
  runNotFound: { status: 404, message: 'The run this link belongs to does not exist.' },
  runNotActive: { status: 409, message: 'The run this link belongs to is no longer running.' },
  wrongStep: { status: 403, message: 'The run has no approval step with the id this link names.' },
  wrongGroup: {
    status: 403,
    message: 'The link was issued for a different approver group than the step asks.',
  },
  planChanged: {
    status: 409,
    message: 'The link was issued for a different version of the plan than the run executes.',
  },
  notWaiting: {
    status: 409,
    message: 'The step is not waiting for an approval (decided, timed out or not reached).',
  },
  notSignedIn: { status: 401, message: 'Sign in to record a decision.' },
  needsApproverRole: {
    status: 403,
    message: 'You are signed in without the approver app role; ask an administrator to assign it to you.',
  },
  notApprover: { status: 403, message: 'You are not a member of the approver group this step asks.' },
  initiator: {
    status: 403,
    message: 'Four-eyes rule: the person who started the run cannot approve it.',
  },
  csrfMissing: { status: 403, message: 'The form token is missing; open the link again and use its form.' },
  csrfMismatch: {
    status: 403,
    message:
      'The form token does not match your session and this link; open the link again and use its form.',
  },
  crossSiteRequest: {
    status: 403,
    message:
      "The decision was sent from another site's page (Origin / Sec-Fetch-Site); open the approval link and use its form.",
  },
  decisionInvalid: { status: 400, message: 'Field "decision": must be "approve" or "reject".' },
  commentTooLong: { status: 400, message: 'Field "comment": at most 500 characters.' },
} as const;

export type ApprovalRefusalCode = keyof typeof APPROVAL_REFUSALS;

/** A refusal as a value: code, HTTP status and message. */
export interface ApprovalRefusal {
  ok: false;
  code: ApprovalRefusalCode;
  status: number;
  message: string;
}

export function refuse(code: ApprovalRefusalCode): ApprovalRefusal {
  const { status, message } = APPROVAL_REFUSALS[code];
  return { ok: false, code, status, message };
}
