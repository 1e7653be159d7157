import type { ApprovalClaims } from './approval-token';

/** The approval endpoint's path under the Functions route prefix. */
export const APPROVAL_PATH = '/api/approve';

export interface ApprovalLinks {
  /** Opens the confirmation page with Approve preselected. */
  approveUrl: string;
  /** Opens the confirmation page with Reject preselected. */
  rejectUrl: string;
}

/**
 * Links to the confirmation page. Both carry the same single-use token: whichever decision is posted
 * first uses it. Opening a link (GET/HEAD) never decides anything.
 */
export function approvalLinks(
  publicBaseUrl: string,
  claims: Pick<ApprovalClaims, 'runId' | 'stepId'>,
  token: string,
): ApprovalLinks {
  const link = (decision: 'approve' | 'reject'): string => {
    const url = new URL(
      APPROVAL_PATH.slice(1),
      publicBaseUrl.endsWith('/') ? publicBaseUrl : `${publicBaseUrl}/`,
    );
    url.searchParams.set('run', claims.runId);
    url.searchParams.set('step', claims.stepId);
    url.searchParams.set('d', decision);
    url.searchParams.set('t', token);
    return url.toString();
  };
  return { approveUrl: link('approve'), rejectUrl: link('reject') };
}
