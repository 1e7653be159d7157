import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  HostBinding,
  HostContext,
  HostExtension,
  HostHttpRequest,
  HostRoute,
  RpcTypedData,
} from '../extension';
import { durableClientPayload, webhookPath, type ClientEndpoints } from './client-payload';
import { DurableHttpApi } from './durable-http-api';
import { durableOptions } from './durable-options';
import type { DurableStore } from './durable-store';
import { MemoryStore } from './memory-store';
import { OrchestrationEngine } from './orchestration-engine';
import { TableStore } from './table-store';

export interface DurableExtensionOptions {
  /** Where state lives. Default: Azure Tables in the account named by the AzureWebJobsStorage setting. */
  store?: (hubName: string, settings: Record<string, string | undefined>) => DurableStore;
  /** Port of the loopback RPC listener the JS DurableClient calls (default: a free port). */
  rpcPort?: number;
  /** One log line per episode (default true). */
  logEpisodes?: boolean;
}

const rpcPrefix = '/durabletask/';
const systemKeyName = 'durabletask_extension';

/**
 * The local Durable backend as a host extension: runs orchestration and activity triggers, resolves
 * the durableClient binding, and serves the management API on the host and on a loopback RPC port.
 */
export function createDurableExtension(options: DurableExtensionOptions = {}): HostExtension {
  let engine: OrchestrationEngine | undefined;
  let store: DurableStore | undefined;
  let api: DurableHttpApi | undefined;
  let rpcServer: Server | undefined;
  let endpoints: ClientEndpoints | undefined;

  const requireApi = (): DurableHttpApi => {
    if (!api) throw new Error('The Durable extension has not started.');
    return api;
  };

  return {
    name: 'durable',
    triggerTypes: ['orchestrationTrigger', 'activityTrigger', 'entityTrigger'],
    inputBindingTypes: ['durableClient', 'orchestrationClient'],

    async start(context: HostContext): Promise<void> {
      // Entities are not implemented: the rest of the app is served, entity functions never run, and
      // each entity call fails on its own (orchestrator callEntity/signalEntity, the entities API).
      const entities = context.functions().filter((fn) => fn.trigger.type.toLowerCase() === 'entitytrigger');
      for (const fn of entities) {
        context.log.warn(
          `Function '${fn.name}' (entityTrigger) is not run: Durable entities are not supported by the local ` +
            'Durable backend; calls to it fail. Everything else is served.',
        );
      }
      const settings = durableOptions(context.hostJson);
      store = options.store
        ? options.store(settings.hubName, context.settings)
        : tableStoreFrom(settings.hubName, context.settings, context.log);
      await store.open();
      engine = new OrchestrationEngine(store, context, {
        maxConcurrentActivityFunctions: settings.maxConcurrentActivityFunctions,
        maxConcurrentOrchestratorFunctions: settings.maxConcurrentOrchestratorFunctions,
        overridableExistingInstanceStates: settings.overridableExistingInstanceStates,
        logEpisodes: options.logEpisodes !== false,
      });
      api = new DurableHttpApi(engine, () => endpoints as ClientEndpoints);
      const handler = api;
      rpcServer = await listenRpc(options.rpcPort ?? 0, (request, path) => handler.handle(request, path));
      const port = (rpcServer.address() as AddressInfo).port;
      endpoints = {
        baseUrl: context.baseUrl,
        taskHubName: settings.hubName,
        systemKey: context.systemKey(systemKeyName),
        rpcBaseUrl: `http://127.0.0.1:${port}${rpcPrefix}`,
      };
      const resumed = await engine.recover();
      context.log.info(
        `Durable backend: task hub ${settings.hubName}, RPC ${endpoints.rpcBaseUrl}, ` +
          `${resumed} unfinished instance${resumed === 1 ? '' : 's'} resumed.`,
      );
    },

    resolveInput(_binding: HostBinding): Promise<RpcTypedData> {
      if (!endpoints) return Promise.reject(new Error('The Durable extension has not started.'));
      return Promise.resolve({ string: JSON.stringify(durableClientPayload(endpoints)) });
    },

    routes(): HostRoute[] {
      return [
        {
          prefix: `${webhookPath}/`,
          auth: { kind: 'system', keyName: systemKeyName },
          handle: (request) =>
            requireApi().handle(request, request.url.pathname.slice(webhookPath.length + 1)),
        },
      ];
    },

    async stop(): Promise<void> {
      await engine?.stop();
      if (rpcServer) await new Promise<void>((done) => rpcServer?.close(() => done()));
      rpcServer?.closeAllConnections();
      await store?.close();
    },
  };
}

function tableStoreFrom(
  hubName: string,
  settings: Record<string, string | undefined>,
  log: HostContext['log'],
): DurableStore {
  const connection = settings.AzureWebJobsStorage ?? process.env.AzureWebJobsStorage;
  if (!connection) {
    // Core Tools refuses to start here; the lab keeps going so HTTP-only work is not blocked, but says so loudly.
    log.warn(
      'Durable backend: AzureWebJobsStorage is not set, so orchestration state is kept in memory and lost when the ' +
        'host stops. Set it in local.settings.json Values (e.g. "UseDevelopmentStorage=true" with Azurite running).',
    );
    return new MemoryStore();
  }
  return new TableStore(connection, hubName);
}

/** The loopback listener production opens for out-of-process SDKs (LocalHttpListener.cs); no keys, 127.0.0.1 only. */
function listenRpc(
  port: number,
  handle: (
    request: HostHttpRequest,
    path: string,
  ) => Promise<{ status: number; headers?: Record<string, string>; body?: string | Buffer }>,
): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      if (!url.pathname.startsWith(rpcPrefix)) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: 'Not found.' }));
        return;
      }
      const request: HostHttpRequest = {
        method: req.method ?? 'GET',
        url,
        headers,
        body: Buffer.concat(chunks),
      };
      handle(request, url.pathname.slice(rpcPrefix.length)).then(
        (response) => res.writeHead(response.status, response.headers ?? {}).end(response.body ?? ''),
        (error: unknown) => {
          res
            .writeHead(500, { 'content-type': 'application/json' })
            .end(JSON.stringify({ message: error instanceof Error ? error.message : String(error) }));
        },
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
