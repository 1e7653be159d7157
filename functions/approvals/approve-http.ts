// /api/approve (GET, HEAD, POST; anonymous: the signed token and App Service Authentication protect
// it, never a function key in a link). Registered from functions/http/http-functions.ts.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { appPorts } from '../../adapters/config/app-adapters';
import { handleApprovalRequest } from './approval-endpoint';
import { errorPage } from './approval-pages';
import { DurableRuns } from '../http/durable-runs';

export async function approve(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const { config, usedTokens, artifacts } = appPorts();
  // No APPROVAL_SIGNING_KEY: approvals are off. Operators learn why from the log (names, never values).
  if (!config.approval.ok) {
    context.error(`approvals are not configured: ${config.approval.errors.join('; ')}`);
    const page = errorPage(
      503,
      'Approvals not configured',
      'The approval service is missing settings; operators have been told through the log.',
    );
    return { status: page.status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page.html };
  }
  const { signingKey, loginPath, publicBaseUrl } = config.approval.settings;
  return handleApprovalRequest(request, {
    key: signingKey,
    loginPath,
    publicBaseUrl,
    usedTokens,
    audit: artifacts,
    runs: new DurableRuns(df.getClient(context)),
    now: () => new Date(),
    log: (message) => context.error(message),
  });
}
