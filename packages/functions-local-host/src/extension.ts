/**
 * The seam between the local Functions host and trigger extensions such as the
 * Durable backend (src/durable). The host owns loading, HTTP serving, keys and timers;
 * an extension owns the triggers and input bindings it declares, and may mount HTTP routes.
 * Shapes follow the worker protocol (reference/durable-protocol.md §1–2).
 */

/** RpcTypedData: exactly one field set, as the Node worker sends it. */
export interface RpcTypedData {
  string?: string;
  json?: string;
  bytes?: Uint8Array;
  int?: number;
  double?: number;
  http?: unknown;
}

export interface RpcParameterBinding {
  name: string;
  data: RpcTypedData;
}

/** A binding as registered by the app (the library adds `name`). */
export interface HostBinding {
  name: string;
  type: string;
  direction: 'in' | 'out' | 'inout';
  [key: string]: unknown;
}

/** A function the app registered through `@azure/functions-core`. */
export interface HostFunction {
  name: string;
  /** The trigger binding (exactly one per function). */
  trigger: HostBinding;
  bindings: HostBinding[];
}

export interface InvokeRequest {
  inputData: RpcParameterBinding[];
  triggerMetadata?: Record<string, RpcTypedData>;
}

/** What the library's InvocationModel returned. A function that throws rejects `invoke` with its error. */
export interface InvokeResult {
  returnValue?: RpcTypedData;
  outputData?: RpcParameterBinding[];
}

export interface HostLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What the host hands an extension when it starts. */
export interface HostContext {
  functions(): HostFunction[];
  /** Invokes a function through the library's InvocationModel (hooks included). */
  invoke(functionName: string, request: InvokeRequest): Promise<InvokeResult>;
  /** Parsed host.json with `%AppSetting%` references resolved. */
  hostJson: Record<string, unknown>;
  /** The app's settings (local.settings.json Values merged over process.env). */
  settings: Record<string, string | undefined>;
  /** Origin the host serves on, e.g. http://localhost:7071 (no trailing slash). */
  baseUrl: string;
  /** The value of a named system key (created on first use), e.g. `durabletask_extension`. */
  systemKey(name: string): string;
  log: HostLogger;
}

export interface HostHttpRequest {
  method: string;
  /** Absolute URL as received. */
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
}

export interface HostHttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface HostRoute {
  /** Path prefix, e.g. `/runtime/webhooks/durabletask/`. */
  prefix: string;
  /** `system`: needs the master key or the named system key (`code` query or x-functions-key). `none`: open. */
  auth: { kind: 'system'; keyName: string } | { kind: 'none' };
  handle(request: HostHttpRequest): Promise<HostHttpResponse>;
}

export interface HostExtension {
  name: string;
  /** Trigger binding types this extension runs, e.g. `orchestrationTrigger`, `activityTrigger`. */
  triggerTypes: string[];
  /** Input binding types it resolves for any function, e.g. `durableClient`. */
  inputBindingTypes: string[];
  start(context: HostContext): Promise<void>;
  /** Data for one of `inputBindingTypes` when the host invokes a function that declares it. */
  resolveInput(binding: HostBinding, functionName: string): Promise<RpcTypedData>;
  routes(): HostRoute[];
  stop(): Promise<void>;
}
