import type { HostHttpRequest, HostHttpResponse } from '../extension';
import { checkStatusUrls, type ClientEndpoints } from './client-payload';
import type { InstanceQuery } from './durable-store';
import { runtimeStatuses, type InstanceRecord, type RuntimeStatus } from './instance-record';
import type { OperationResult, OrchestrationEngine } from './orchestration-engine';
import { statusPayload } from './status-payload';

const runningLike: ReadonlySet<RuntimeStatus> = new Set([
  'Running',
  'Pending',
  'Suspended',
  'ContinuedAsNew',
]);

/** A bad request: the field (query parameter, path part or body) and the rule it broke. */
class BadRequest extends Error {}

/**
 * The Durable management HTTP API (HttpApiHandler.cs): the same handler serves the public
 * `/runtime/webhooks/durabletask/` routes and the loopback RPC listener the JS DurableClient uses.
 * `path` is what follows the prefix, e.g. `instances/abc/raiseEvent/Approve`.
 */
export class DurableHttpApi {
  constructor(
    private readonly engine: OrchestrationEngine,
    private readonly endpoints: () => ClientEndpoints,
  ) {}

  async handle(request: HostHttpRequest, path: string): Promise<HostHttpResponse> {
    try {
      return await this.route(request, path);
    } catch (error) {
      if (error instanceof BadRequest) return json(400, { message: error.message });
      throw error;
    }
  }

  private async route(request: HostHttpRequest, path: string): Promise<HostHttpResponse> {
    const method = request.method.toUpperCase();
    const parts = path.split('/').map((part) => safeDecode(part));
    const query = request.url.searchParams;
    const [area, first, second, third] = parts;
    if (area === 'orchestrators' && first) {
      if (method !== 'POST') return methodNotAllowed('POST');
      return this.start(request, first, second || undefined);
    }
    if (area === 'instances') {
      if (!first) {
        if (method === 'GET') return this.list(request);
        if (method === 'DELETE') return this.purgeWhere(query);
        return methodNotAllowed('GET, DELETE');
      }
      if (second === undefined || second === '') {
        if (method === 'GET') return this.status(request, first);
        if (method === 'DELETE') return this.purge(first);
        return methodNotAllowed('GET, DELETE');
      }
      if (method !== 'POST') return methodNotAllowed('POST');
      const reason = query.get('reason') ?? '';
      switch (second) {
        case 'raiseEvent':
          if (!third)
            throw new BadRequest('eventName: the path must be instances/{id}/raiseEvent/{eventName}.');
          return operation(await this.engine.raiseEvent(first, third, eventBody(request)));
        case 'terminate':
          return operation(await this.engine.terminate(first, reason));
        case 'suspend':
          return operation(await this.engine.suspend(first, reason));
        case 'resume':
          return operation(await this.engine.resume(first, reason));
        case 'rewind':
        case 'restart':
          if (!(await this.engine.getInstance(first))) return noBody(404);
          // Plain text: the JS client puts the body of a 501 into its error message as is.
          return {
            status: 501,
            headers: { 'Content-Type': 'text/plain; charset=utf-8' },
            body: `The ${second} operation is not supported by the local Durable backend.`,
          };
        default:
          return noBody(404);
      }
    }
    if (area === 'entities') {
      return json(501, { message: 'Durable entities are not supported by the local Durable backend.' });
    }
    return noBody(404);
  }

  private async start(
    request: HostHttpRequest,
    name: string,
    instanceId: string | undefined,
  ): Promise<HostHttpResponse> {
    const text = request.body.toString('utf8');
    let input: string | null = null;
    if (text.trim() !== '') {
      try {
        input = JSON.stringify(JSON.parse(text));
      } catch {
        throw new BadRequest('body: the orchestration input must be valid JSON.');
      }
    }
    const query = request.url.searchParams;
    const timeout = optionalSeconds(query, 'timeout');
    const interval = optionalSeconds(query, 'pollingInterval') ?? 1;
    const result = await this.engine.startNew(name, instanceId, input);
    if (!result.ok) return json(result.status, { message: result.message });
    if (timeout !== undefined) return this.waitOrCheckStatus(result.instanceId, timeout, interval);
    return this.checkStatus(result.instanceId);
  }

  private checkStatus(instanceId: string): HostHttpResponse {
    const urls = checkStatusUrls(this.endpoints(), instanceId);
    return json(202, urls, { Location: urls.statusQueryGetUri ?? '', 'Retry-After': '10' });
  }

  private async waitOrCheckStatus(
    instanceId: string,
    timeoutS: number,
    intervalS: number,
  ): Promise<HostHttpResponse> {
    const deadline = Date.now() + timeoutS * 1000;
    for (;;) {
      const record = await this.engine.getInstance(instanceId);
      if (record && !runningLike.has(record.runtimeStatus)) {
        if (record.runtimeStatus === 'Completed') return json(200, statusPayload(record, defaults).output);
        return json(record.runtimeStatus === 'Failed' ? 500 : 200, statusPayload(record, defaults));
      }
      if (Date.now() >= deadline) return this.checkStatus(instanceId);
      await new Promise((done) =>
        setTimeout(done, Math.min(intervalS * 1000, Math.max(0, deadline - Date.now()))),
      );
    }
  }

  private async status(request: HostHttpRequest, instanceId: string): Promise<HostHttpResponse> {
    const record = await this.engine.getInstance(instanceId);
    if (!record) return noBody(404);
    const query = request.url.searchParams;
    const options = {
      showInput: flag(query, 'showInput', true),
      showHistory: flag(query, 'showHistory', false),
      showHistoryOutput: flag(query, 'showHistoryOutput', false),
    };
    const history = options.showHistory ? await this.engine.getHistory(record) : undefined;
    const body = statusPayload(record, options, history);
    if (runningLike.has(record.runtimeStatus)) {
      return json(202, body, { Location: request.url.href, 'Retry-After': '5' });
    }
    const failAs500 =
      record.runtimeStatus === 'Failed' && flag(query, 'returnInternalServerErrorOnFailure', false);
    return json(failAs500 ? 500 : 200, body);
  }

  private async list(request: HostHttpRequest): Promise<HostHttpResponse> {
    const query = request.url.searchParams;
    const filter = instanceQuery(query);
    const token = request.headers['x-ms-continuation-token'];
    if (token) filter.continuationToken = token;
    const top = query.get('top');
    if (top !== null) {
      const n = Number(top);
      if (!Number.isInteger(n) || n < 1) throw new BadRequest('top: must be a positive integer.');
      filter.top = n;
    }
    const page = await this.engine.listInstances(filter);
    const showInput = flag(query, 'showInput', false);
    const body = page.instances.map((record: InstanceRecord) =>
      statusPayload(record, { showInput, showHistory: false, showHistoryOutput: false }),
    );
    return json(
      200,
      body,
      page.continuationToken ? { 'x-ms-continuation-token': page.continuationToken } : {},
    );
  }

  private async purge(instanceId: string): Promise<HostHttpResponse> {
    const result = await this.engine.purge(instanceId);
    if (result === 'notFound') return noBody(404);
    if (result === 'running') {
      return json(409, {
        message: `The instance '${instanceId}' is still running; terminate it (or wait for it to finish) before purging.`,
      });
    }
    return json(200, { instancesDeleted: 1 });
  }

  private async purgeWhere(query: URLSearchParams): Promise<HostHttpResponse> {
    if (!query.get('createdTimeFrom'))
      throw new BadRequest('createdTimeFrom: required when purging by filter.');
    const deleted = await this.engine.purgeWhere(instanceQuery(query));
    return deleted === 0 ? noBody(404) : json(200, { instancesDeleted: deleted });
  }
}

const defaults = { showInput: true, showHistory: false, showHistoryOutput: false };

function instanceQuery(query: URLSearchParams): InstanceQuery {
  const filter: InstanceQuery = {};
  for (const name of ['createdTimeFrom', 'createdTimeTo'] as const) {
    const value = query.get(name);
    if (value === null || value === '') continue;
    const time = new Date(value);
    if (Number.isNaN(time.getTime()))
      throw new BadRequest(`${name}: must be an ISO 8601 date-time; got '${value}'.`);
    filter[name] = time;
  }
  const statuses = query.get('runtimeStatus');
  if (statuses) {
    filter.runtimeStatus = statuses.split(',').map((raw) => {
      const found = runtimeStatuses.find((status) => status.toLowerCase() === raw.trim().toLowerCase());
      if (!found)
        throw new BadRequest(`runtimeStatus: '${raw}' is not one of ${runtimeStatuses.join(', ')}.`);
      return found;
    });
  }
  return filter;
}

function eventBody(request: HostHttpRequest): string | null {
  const text = request.body.toString('utf8');
  if (text.trim() === '') return null;
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().includes('json')) {
    throw new BadRequest(`content-type: event data must be sent as application/json; got '${type}'.`);
  }
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    throw new BadRequest('body: event data must be valid JSON.');
  }
}

function operation(result: OperationResult): HostHttpResponse {
  if (result === 'notFound') return noBody(404);
  if (result === 'gone') return noBody(410);
  return { status: 202, headers: {}, body: '' };
}

// The real API answers "not found" and "gone" with a status alone; the SDK words the error itself.
function noBody(status: 404 | 410): HostHttpResponse {
  return { status, headers: {}, body: '' };
}

function methodNotAllowed(allowed: string): HostHttpResponse {
  return json(405, { message: `Method not allowed; use ${allowed}.` }, { Allow: allowed });
}

function flag(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = query.get(name);
  if (value === null || value === '') return fallback;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new BadRequest(`${name}: must be true or false; got '${value}'.`);
}

function optionalSeconds(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new BadRequest(`${name}: must be a number of seconds ≥ 0; got '${value}'.`);
  return n;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new BadRequest(`path: '${part}' is not valid URL encoding.`);
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): HostHttpResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}
