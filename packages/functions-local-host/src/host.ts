// The local Functions host: loads an unmodified v4 Node app, serves its HTTP triggers, runs its timers,
// hands Durable (or other) triggers to extensions, and emulates Easy Auth. One host per process: the app's
// settings go into process.env and `@azure/functions-core` is provided process-wide, as in the Node worker.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { EasyAuth } from './easy-auth';
import type {
  HostBinding,
  HostContext,
  HostExtension,
  HostFunction,
  HostLogger,
  HostRoute,
  RpcTypedData,
} from './extension';
import { claimsInput, describeFunction, planFunctions, unwrittenOutputs, type Plan } from './function-plan';
import { createRequestListener } from './host-http';
import { HostKeys } from './host-keys';
import { createHostLogger, stdoutWriter, type LineWriter } from './host-log';
import { HostStartError } from './host-start-error';
import { HttpRouter, routePrefixOf } from './http-router';
import { loadApp, type LoadedApp } from './load-app';

export interface StartHostOptions {
  appDir: string;
  /** Port on 127.0.0.1; 0 picks a free one. Default 7071. */
  port?: number;
  /** Trigger extensions (e.g. the Durable backend). Default none; the CLI passes defaultExtensions(). */
  extensions?: HostExtension[];
  /** Keys file; default `<stateDir>/host-keys.json`. */
  keysFile?: string;
  /** Where keys and timer schedule status are kept; default `<appDir>/.lab`. */
  stateDir?: string;
  /** App settings that win over local.settings.json and the environment. */
  settings?: Record<string, string>;
  /** Receives every output line; default standard output. */
  log?: LineWriter;
}

export interface RunningHost {
  /** e.g. http://127.0.0.1:7071 (no trailing slash). */
  baseUrl: string;
  port: number;
  masterKey: string;
  functions: HostFunction[];
  stop(): Promise<void>;
}

export const hostVersion = '4.34.0';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new HostStartError(
          error.code === 'EADDRINUSE'
            ? `--port ${port}: already in use; stop the other process or pass --port 0 for a free port`
            : `--port ${port}: cannot listen (${error.message})`,
        ),
      );
    });
    server.listen(port, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
  });
}

/** Stops accepting connections, lets requests in flight finish (at most `graceMs`), then closes the rest. */
function close(server: Server, graceMs = 0): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeIdleConnections();
    if (graceMs <= 0) server.closeAllConnections();
    else setTimeout(() => server.closeAllConnections(), graceMs).unref();
  });
}

/** Starts a host for the app in `appDir`; rejects with a HostStartError naming the file or field when it cannot. */
export async function startHost(options: StartHostOptions): Promise<RunningHost> {
  const appDir = resolve(options.appDir);
  const write = options.log ?? stdoutWriter;
  const log = createHostLogger(write);
  const stateDir = resolve(options.stateDir ?? join(appDir, '.lab'));
  const keys = HostKeys.open(resolve(options.keysFile ?? join(stateDir, 'host-keys.json')));
  const extensions = options.extensions ?? [];
  for (const [name, value] of Object.entries(options.settings ?? {})) process.env[name] = value;

  // Listen first: the app must see WEBSITE_HOSTNAME with the real port while it loads.
  let listener = createRequestListenerUntilReady();
  const server = createServer((req, res) => listener(req, res));
  const port = await listen(server, options.port ?? 7071);
  const origin = `http://localhost:${port}`;
  const started: HostExtension[] = [];
  let app: LoadedApp | undefined;
  try {
    app = await loadApp({
      appDir,
      port,
      log,
      resolveInput: async (binding: HostBinding, functionName: string): Promise<RpcTypedData | undefined> => {
        const extension = extensions.find((e) => claimsInput(e, binding.type));
        return extension ? extension.resolveInput(binding, functionName) : undefined;
      },
    });
    const loaded = app;
    const plans = planFunctions(loaded, extensions, stateDir, loaded.invoke, log);
    const httpFunctions = loaded.functions.filter((fn) => plans.get(fn.name)?.kind === 'http');
    const router = new HttpRouter(httpFunctions, routePrefixOf(loaded.hostJson));

    const context: HostContext = {
      functions: () => loaded.functions,
      invoke: loaded.invoke,
      hostJson: loaded.hostJson,
      settings: loaded.settings,
      baseUrl: origin,
      systemKey: (name) => keys.systemKey(name),
      log,
    };
    for (const extension of extensions) {
      try {
        await extension.start(context);
      } catch (error) {
        throw new HostStartError(
          `extension "${extension.name}" failed to start: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      started.push(extension);
    }
    const extensionRoutes: HostRoute[] = started.flatMap((e) => e.routes());

    const runners = [...plans.values()].flatMap((p) => (p.kind === 'timer' ? [p.runner] : []));
    listener = createRequestListener({
      router,
      keys,
      easyAuth: new EasyAuth(keys.systemKey('easyauth_session')),
      extensionRoutes,
      invoke: loaded.invoke,
      functions: () => loaded.functions,
      cannotInvoke: (fn) => {
        const plan = plans.get(fn.name);
        return plan?.kind === 'unsupported' ? plan.reason : undefined;
      },
      adminInvoke: async (fn, input) => {
        const plan = plans.get(fn.name);
        if (plan?.kind === 'timer') return plan.runner.runNow();
        const trigger: RpcTypedData = { string: input ?? '' };
        await loaded.invoke(fn.name, { inputData: [{ name: fn.trigger.name, data: trigger }] });
      },
      log,
      hostVersion,
    });

    if (loaded.skippedSettings.length > 0) {
      log.warn(
        `Skipped local.settings.json values already set in the environment: ${loaded.skippedSettings.join(', ')}`,
      );
    }
    for (const warning of unwrittenOutputs(loaded.functions)) log.warn(warning);
    const lines = loaded.functions.map(
      (fn) => `        ${describeFunction(fn, plans.get(fn.name) as Plan, router, origin)}`,
    );
    write(lines.length > 0 ? `\nFunctions:\n\n${lines.join('\n\n')}\n` : '\nNo job functions found.\n');
    write(`Keys (${keys.created ? 'generated now, ' : ''}kept in ${keys.file}):`);
    write(`        master:  ${keys.masterKey}`);
    for (const [name, key] of Object.entries(keys.functionKeys)) write(`        ${name}: ${key}`);
    write(`        use the x-functions-key header or ?code=<key>; admin endpoints need the master key\n`);
    write(
      `Easy Auth (development): ${origin}/.auth/login/dev?user=<name>&roles=<role,...>  ${origin}/.auth/me  ${origin}/.auth/logout`,
    );
    for (const runner of runners) runner.start();
    write(`Host listening on http://127.0.0.1:${port}`);

    let stopping: Promise<void> | undefined;
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      port,
      masterKey: keys.masterKey,
      functions: loaded.functions,
      stop() {
        // Like the real host: stop listening and drain, then stop extensions, then appTerminate hooks.
        stopping ??= (async () => {
          const closing = close(server, 3_000);
          await Promise.all(runners.map((r) => r.stop()));
          await closing;
          await stopExtensions(started, log);
          await loaded.terminate();
          write('Host stopped.');
        })();
        return stopping;
      },
    };
  } catch (error) {
    await stopExtensions(started, log);
    await app?.terminate();
    await close(server);
    throw error;
  }
}

async function stopExtensions(extensions: HostExtension[], log: HostLogger): Promise<void> {
  for (const extension of [...extensions].reverse()) {
    try {
      await extension.stop();
    } catch (error) {
      log.error(
        `extension "${extension.name}" failed to stop: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** Until the app is loaded, requests get 503 like a host that is still starting. */
function createRequestListenerUntilReady(): (
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
) => void {
  return (_req, res) => {
    res
      .writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' })
      .end('Host is starting\n');
  };
}
