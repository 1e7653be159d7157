import { randomUUID } from 'node:crypto';
import { badRequest, notFound } from '../arm-error';
import { filterClauses, ok, page } from '../http/arm-responses';
import type { ArmRequest, ArmResponse, RouteTable } from '../http/route-table';
import { provisioningState, type AutomationJob, type AutomationState } from './automation-state';

/** Versions `@azure/arm-automation` 10.1.1 bakes in, plus the current stable ones. */
const jobVersions = ['2017-05-15-preview', '2019-06-01', '2022-08-08', '2023-11-01', '2024-10-23'];
const accountVersions = ['2015-10-31', '2019-06-01', '2021-06-22', '2022-08-08', '2023-11-01', '2024-10-23'];
const runbookVersions = ['2015-10-31', '2018-06-30', '2019-06-01', '2022-08-08', '2023-11-01', '2024-10-23'];

const accountTemplate =
  '/subscriptions/{sub}/resourcegroups/{rg}/providers/microsoft.automation/automationaccounts/{account}';

function account(getState: () => AutomationState, req: ArmRequest): AutomationState {
  const state = getState();
  const { scenario } = state;
  if (req.params.sub?.toLowerCase() !== scenario.subscriptionId.toLowerCase())
    throw notFound('subscription', req.params.sub ?? '');
  if (req.params.rg?.toLowerCase() !== scenario.resourceGroup.toLowerCase())
    throw Object.assign(notFound('resource group', req.params.rg ?? ''), { code: 'ResourceGroupNotFound' });
  if (!state.account || req.params.account?.toLowerCase() !== state.account.toLowerCase())
    throw notFound('automation account', req.params.account ?? '');
  return state;
}

export function automationJobResource(state: AutomationState, job: AutomationJob): object {
  return {
    id: `${state.accountId}/jobs/${job.name}`,
    name: job.name,
    type: 'Microsoft.Automation/AutomationAccounts/Jobs',
    properties: {
      jobId: job.jobId,
      runbook: { name: job.runbook },
      provisioningState: provisioningState(job.status),
      creationTime: job.creationTime,
      endTime: job.endTime,
      exception: job.exception,
      lastModifiedTime: job.lastModifiedTime,
      lastStatusModifiedTime: job.lastStatusModifiedTime,
      startedBy: job.startedBy,
      startTime: job.startTime,
      status: job.status,
      statusDetails: 'None',
      parameters: job.parameters,
      runOn: job.runOn || null,
    },
  };
}

export function addAutomationRoutes(table: RouteTable, getState: () => AutomationState): void {
  const add = (
    method: string,
    path: string,
    operation: string,
    versions: string[],
    handle: (req: ArmRequest, state: AutomationState) => ArmResponse | Promise<ArmResponse>,
  ): void =>
    table.add({
      method,
      template: `${accountTemplate}${path}`,
      operation,
      apiVersions: versions,
      handle: (req) => handle(req, account(getState, req)),
    });
  const jobOf = (req: ArmRequest, state: AutomationState): AutomationJob => state.job(req.params.job!);

  add('GET', '', 'AutomationAccount.Get', accountVersions, (_req, state) =>
    ok({
      id: state.accountId,
      name: state.account,
      type: 'Microsoft.Automation/AutomationAccounts',
      location: state.scenario.vault.location,
      properties: { state: 'Ok', sku: { name: 'Basic' } },
    }),
  );
  add('GET', '/runbooks', 'Runbook.ListByAutomationAccount', runbookVersions, (req, state) =>
    page(
      req,
      state.runbookList().map((r) => runbookResource(state, r.name)),
    ),
  );
  add('GET', '/runbooks/{runbook}', 'Runbook.Get', runbookVersions, (req, state) =>
    ok(runbookResource(state, state.runbook(req.params.runbook!).name), req.params.runbook),
  );

  add('PUT', '/jobs/{job}', 'Job.Create', jobVersions, (req, state) => {
    const body = req.body as
      { properties?: { runbook?: { name?: unknown }; parameters?: unknown; runOn?: unknown } } | undefined;
    const runbook = body?.properties?.runbook?.name;
    if (typeof runbook !== 'string' || !runbook)
      throw badRequest('properties.runbook.name is required: the runbook to start.');
    const parameters = body?.properties?.parameters ?? {};
    if (
      typeof parameters !== 'object' ||
      parameters === null ||
      Array.isArray(parameters) ||
      Object.values(parameters).some((v) => typeof v !== 'string')
    )
      throw badRequest(
        'properties.parameters must be an object of string values (Automation passes parameters as strings).',
      );
    const runOn = body?.properties?.runOn;
    if (runOn !== undefined && runOn !== null && typeof runOn !== 'string')
      throw badRequest('properties.runOn must be a string (a hybrid worker group) or empty.');
    const { job, existing } = state.create(
      req.params.job!,
      runbook,
      parameters as Record<string, string>,
      runOn ?? '',
    );
    return {
      status: 201,
      body: automationJobResource(state, job),
      target: job.runbook,
      outcome: existing ? 'existing' : 'created',
    };
  });
  add('GET', '/jobs', 'Job.ListByAutomationAccount', jobVersions, (req, state) => {
    const clauses = filterClauses(req.query.get('$filter'));
    const status = clauses.get('status')?.toLowerCase();
    const runbook = clauses.get('runbookname')?.toLowerCase();
    const jobs = [...state.jobs.values()].filter(
      (j) =>
        (!status || j.status.toLowerCase() === status) && (!runbook || j.runbook.toLowerCase() === runbook),
    );
    return page(
      req,
      jobs.map((j) => automationJobResource(state, j)),
    );
  });
  add('GET', '/jobs/{job}', 'Job.Get', jobVersions, (req, state) => {
    const job = jobOf(req, state);
    return ok(automationJobResource(state, job), job.runbook);
  });
  add('GET', '/jobs/{job}/output', 'Job.GetOutput', jobVersions, (req, state) => {
    const job = jobOf(req, state);
    const text = job.streams
      .filter((s) => s.streamType === 'Output')
      .map((s) => s.text)
      .join('\n');
    return { status: 200, text, target: job.runbook };
  });
  add('GET', '/jobs/{job}/runbookcontent', 'Job.GetRunbookContent', jobVersions, (req, state) => {
    const job = jobOf(req, state);
    return { status: 200, text: `# simulated runbook ${job.runbook}\n`, target: job.runbook };
  });
  add('GET', '/jobs/{job}/streams', 'JobStream.ListByJob', jobVersions, (req, state) => {
    const job = jobOf(req, state);
    const type = filterClauses(req.query.get('$filter')).get('streamtype');
    const streams = job.streams.filter((s) => !type || type === 'Any' || s.streamType === type);
    return page(
      req,
      streams.map((s) => streamResource(state, job, s, false)),
    );
  });
  add('GET', '/jobs/{job}/streams/{stream}', 'JobStream.Get', jobVersions, (req, state) => {
    const job = jobOf(req, state);
    const stream = job.streams.find((s) => s.jobStreamId === req.params.stream);
    if (!stream) throw notFound('job stream', req.params.stream!);
    return ok(streamResource(state, job, stream, true));
  });
  for (const [segment, name, act] of [
    ['stop', 'Job.Stop', (s: AutomationState, j: AutomationJob) => s.stop(j)],
    ['suspend', 'Job.Suspend', (s: AutomationState, j: AutomationJob) => s.suspend(j)],
    ['resume', 'Job.Resume', (s: AutomationState, j: AutomationJob) => s.resumeJob(j)],
  ] as const) {
    add('POST', `/jobs/{job}/${segment}`, name, jobVersions, (req, state) => {
      const job = jobOf(req, state);
      act(state, job);
      return { status: 200, target: job.runbook };
    });
  }

  add('GET', '/webhooks', 'Webhook.ListByAutomationAccount', accountVersions, (req, state) =>
    page(
      req,
      (state.scenario.automation?.webhooks ?? []).map((w) => webhookResource(state, req, w.name)),
    ),
  );
  add('GET', '/webhooks/{webhook}', 'Webhook.Get', accountVersions, (req, state) =>
    ok(webhookResource(state, req, req.params.webhook!)),
  );
}

/** The webhook endpoint (regional `…azure-automation.net/webhooks?token=…` in Azure): no ARM auth, 202 `{JobIds}`. */
export function addWebhookRoute(table: RouteTable, getState: () => AutomationState): void {
  table.add({
    method: 'POST',
    template: '/webhooks',
    operation: 'Webhook.Invoke',
    apiVersions: [],
    handle: (req) => {
      const state = getState();
      const token = req.query.get('token') ?? '';
      const webhook = (state.scenario.automation?.webhooks ?? []).find(
        (w) => state.webhookToken(w.name) === token,
      );
      if (!webhook)
        return {
          status: 404,
          body: { error: { code: 'NotFound', message: 'Webhook not found (unknown token).' } },
          outcome: 'not-found',
        };
      if (!webhook.isEnabled)
        return {
          status: 400,
          body: { error: { code: 'BadRequest', message: `Webhook '${webhook.name}' is disabled.` } },
          outcome: 'refused',
        };
      const webhookData = JSON.stringify({
        WebhookName: webhook.name,
        RequestBody: typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? ''),
        RequestHeader: Object.fromEntries(
          Object.entries(req.headers).filter(([, v]) => typeof v === 'string'),
        ),
      });
      const { job } = state.create(
        randomUUID(),
        webhook.runbook,
        { ...webhook.parameters, WebhookData: webhookData },
        '',
        'webhook',
      );
      return { status: 202, body: { JobIds: [job.jobId] }, target: webhook.runbook, outcome: 'accepted' };
    },
  });
}

export function webhookUrl(state: AutomationState, origin: string, name: string): string {
  return `${origin}/webhooks?token=${state.webhookToken(name)}`;
}

function webhookResource(state: AutomationState, req: ArmRequest, name: string): object {
  const webhook = (state.scenario.automation?.webhooks ?? []).find(
    (w) => w.name.toLowerCase() === name.toLowerCase(),
  );
  if (!webhook) throw notFound('webhook', name);
  return {
    id: `${state.accountId}/webhooks/${webhook.name}`,
    name: webhook.name,
    type: 'Microsoft.Automation/AutomationAccounts/Webhooks',
    properties: {
      isEnabled: webhook.isEnabled,
      expiryTime: new Date(Date.now() + 365 * 24 * 3600_000).toISOString(),
      runbook: { name: webhook.runbook },
      lastInvokedTime: null,
      runOn: null,
      parameters: webhook.parameters ?? null,
      // Azure shows the URI only at creation; the simulator always does, for the lab.
      uri: webhookUrl(state, req.origin, webhook.name),
      creationTime: new Date(0).toISOString(),
      lastModifiedBy: '',
      lastModifiedTime: new Date(0).toISOString(),
    },
  };
}

function runbookResource(state: AutomationState, name: string): object {
  return {
    id: `${state.accountId}/runbooks/${name}`,
    name,
    type: 'Microsoft.Automation/AutomationAccounts/Runbooks',
    location: state.scenario.vault.location,
    properties: {
      runbookType: 'PowerShell',
      state: 'Published',
      logVerbose: false,
      logProgress: false,
      logActivityTrace: 0,
      description: `Simulated runbook ${name}`,
    },
  };
}

function streamResource(
  state: AutomationState,
  job: AutomationJob,
  stream: AutomationJob['streams'][number],
  full: boolean,
): object {
  return {
    id: `${state.accountId}/jobs/${job.name}/streams/${stream.jobStreamId}`,
    properties: {
      jobStreamId: stream.jobStreamId,
      summary: stream.summary,
      time: stream.time,
      streamType: stream.streamType,
      ...(full ? { streamText: stream.text, value: {} } : {}),
    },
  };
}
