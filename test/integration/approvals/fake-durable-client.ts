// A stand-in for the Durable backend's client side, typed against the host's extension seam: it
// resolves the durableClient binding to a payload whose rpcBaseUrl points at its own route, serves
// instance status for the runs a test registers, and records every raised event. The app talks to it
// through the real durable-functions DurableClient.
import type {
  HostBinding,
  HostContext,
  HostExtension,
  HostHttpRequest,
  HostHttpResponse,
  HostRoute,
  RpcTypedData,
} from '@durable-recovery/functions-local-host';
import type { ApprovalRun } from '../../../core/approvals/approval-rules';

const prefix = '/_fake-durable/';

export interface RaisedEvent {
  instanceId: string;
  name: string;
  data: unknown;
}

export class FakeDurableClient implements HostExtension {
  name = 'fake-durable-client';
  triggerTypes: string[] = [];
  inputBindingTypes = ['durableClient'];
  readonly runs = new Map<string, ApprovalRun>();
  readonly raised: RaisedEvent[] = [];
  /** Every request the app's DurableClient made, as `METHOD path`. */
  readonly calls: string[] = [];
  private baseUrl = '';

  async start(context: HostContext): Promise<void> {
    this.baseUrl = context.baseUrl.replace('localhost', '127.0.0.1');
  }

  async resolveInput(_binding: HostBinding, _functionName: string): Promise<RpcTypedData> {
    const base = `${this.baseUrl}${prefix}`;
    return {
      string: JSON.stringify({
        taskHubName: 'ApprovalsTestHub',
        creationUrls: { createNewInstancePostUri: `${base}orchestrators/{functionName}` },
        managementUrls: {
          id: 'INSTANCEID',
          sendEventPostUri: `${base}instances/INSTANCEID/raiseEvent/{eventName}`,
        },
        baseUrl: base,
        requiredQueryStringParameters: '',
        rpcBaseUrl: base,
      }),
    };
  }

  routes(): HostRoute[] {
    return [{ prefix, auth: { kind: 'none' }, handle: async (request) => this.handle(request) }];
  }

  async stop(): Promise<void> {}

  private handle(request: HostHttpRequest): HostHttpResponse {
    const path = request.url.pathname.slice(prefix.length);
    this.calls.push(`${request.method} ${path}`);
    const json = (status: number, body: unknown): HostHttpResponse => ({
      status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const raise = /^instances\/([^/]+)\/raiseEvent\/([^/]+)$/.exec(path);
    if (request.method === 'POST' && raise) {
      const run = this.runs.get(decodeURIComponent(raise[1]!));
      if (!run) return json(404, { error: 'not found' });
      if (!['Running', 'Pending', 'Suspended'].includes(run.runtimeStatus)) return json(410, {});
      this.raised.push({
        instanceId: decodeURIComponent(raise[1]!),
        name: decodeURIComponent(raise[2]!),
        data: JSON.parse(request.body.toString('utf8')),
      });
      return { status: 202 };
    }
    const status = /^instances\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && status) {
      const id = decodeURIComponent(status[1]!);
      const run = this.runs.get(id);
      if (!run) return json(404, {});
      return json(run.runtimeStatus === 'Running' ? 202 : 200, {
        name: 'RunPlan',
        instanceId: id,
        runtimeStatus: run.runtimeStatus,
        input: request.url.searchParams.get('showInput') === 'true' ? run.input : null,
        customStatus: run.progress ?? null,
        output: null,
        createdTime: '2026-11-25T10:00:00Z',
        lastUpdatedTime: '2026-11-25T10:02:00Z',
      });
    }
    return json(400, { error: `fake durable client: ${request.method} ${path} not supported` });
  }
}
