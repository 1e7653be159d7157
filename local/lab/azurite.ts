import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';

export interface AzuriteOptions {
  /** Directory Azurite keeps its data in. Without it, data lives in memory and is lost on stop. */
  dataDir?: string;
  /** Fixed ports; a free port is picked for each one not given. */
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  /** Do not forward Azurite's own output to this process's stderr (default true). */
  silent?: boolean;
  /** How long to wait for Azurite to listen (default 30 s). */
  startTimeoutMs?: number;
}

export interface RunningAzurite {
  /** Ready for AzureWebJobsStorage: well-known dev account, explicit loopback endpoints. */
  connectionString: string;
  blobPort: number;
  queuePort: number;
  tablePort: number;
  /** Stops the Azurite this call started; a no-op when an already running one was reused. */
  stop(): Promise<void>;
}

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
const accountName = 'devstoreaccount1';
const accountKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(ports: {
  blobPort: number;
  queuePort: number;
  tablePort: number;
}): string {
  const endpoint = (port: number): string => `http://127.0.0.1:${port}/${accountName}`;
  return (
    `DefaultEndpointsProtocol=http;AccountName=${accountName};AccountKey=${accountKey};` +
    `BlobEndpoint=${endpoint(ports.blobPort)};QueueEndpoint=${endpoint(ports.queuePort)};` +
    `TableEndpoint=${endpoint(ports.tablePort)};`
  );
}

/**
 * Starts Azurite (blob, queue, table) on loopback with telemetry disabled, and resolves once all
 * three services listen. When every port is given and already answers, that Azurite is reused.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const { blobPort, queuePort, tablePort } = options;
  if (blobPort && queuePort && tablePort) {
    const listening = await Promise.all([blobPort, queuePort, tablePort].map((port) => isListening(port)));
    if (listening.every(Boolean)) {
      const ports = { blobPort, queuePort, tablePort };
      return { ...ports, connectionString: azuriteConnectionString(ports), stop: () => Promise.resolve() };
    }
  }

  const args = [
    azuriteBin(),
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--blobHost',
    '127.0.0.1',
    '--queueHost',
    '127.0.0.1',
    '--tableHost',
    '127.0.0.1',
    // Port 0 lets the OS pick; Azurite prints the port it bound, which is read below.
    '--blobPort',
    String(options.blobPort ?? 0),
    '--queuePort',
    String(options.queuePort ?? 0),
    '--tablePort',
    String(options.tablePort ?? 0),
  ];
  if (options.dataDir) {
    const location = resolve(options.dataDir);
    mkdirSync(location, { recursive: true });
    args.push('--location', location);
  } else {
    args.push('--inMemoryPersistence');
  }
  // Keeps Azurite's access log out of the output unless the caller wants it.
  if (options.silent !== false) args.push('--silent');

  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  const ports = await waitForPorts(child, options.silent !== false, options.startTimeoutMs ?? 30_000);
  return { ...ports, connectionString: azuriteConnectionString(ports), stop: () => stopChild(child) };
}

function azuriteBin(): string {
  // Works from local/lab (tsx, vitest) and from dist/local/lab (compiled): walk up to node_modules.
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      const candidate = join(dir, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
      if (existsSync(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('Azurite is not installed: node_modules/azurite was not found (run npm install).');
}

function waitForPorts(
  child: ChildProcess,
  silent: boolean,
  timeoutMs: number,
): Promise<{ blobPort: number; queuePort: number; tablePort: number }> {
  return new Promise((resolvePorts, reject) => {
    const found: Partial<Record<'Blob' | 'Queue' | 'Table', number>> = {};
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Azurite did not start within ${timeoutMs} ms. Output:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      output += text;
      if (!silent) process.stderr.write(text);
      for (const match of text.matchAll(
        /Azurite (Blob|Queue|Table) service is successfully listening at \S+:(\d+)/g,
      )) {
        found[match[1] as 'Blob' | 'Queue' | 'Table'] = Number(match[2]);
      }
      if (found.Blob && found.Queue && found.Table) {
        clearTimeout(timer);
        resolvePorts({ blobPort: found.Blob, queuePort: found.Queue, tablePort: found.Table });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${code ?? 'null'} before it was ready. Output:\n${output}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

function isListening(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      answer(true);
    });
    socket.once('error', () => answer(false));
  });
}
