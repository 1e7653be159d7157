// Public entry point of the local Functions + Durable host: what a lab, a CLI or a test needs to
// start the host on a built app and to read its Durable state. Everything else is internal.
export { startHost, hostVersion, type StartHostOptions, type RunningHost } from './host';
export { HostStartError } from './host-start-error';
export { defaultExtensions } from './default-extensions';
export { readLocalSettings } from './app-settings';
export type {
  HostBinding,
  HostContext,
  HostExtension,
  HostFunction,
  HostHttpRequest,
  HostHttpResponse,
  HostLogger,
  HostRoute,
  InvokeRequest,
  InvokeResult,
  RpcParameterBinding,
  RpcTypedData,
} from './extension';
export { EasyAuth, parseCookies, principalHeaders, sessionCookie } from './easy-auth';
export { addForwardedHeaders, peerAddress } from './forwarded-headers';
export { durableOptions } from './durable/durable-options';
export type { DurableStore } from './durable/durable-store';
export { MemoryStore } from './durable/memory-store';
export { TableStore } from './durable/table-store';
export { EventType, inboundEvent, type HistoryEvent } from './durable/history-event';
export { runtimeStatuses, type InstanceRecord, type RuntimeStatus } from './durable/instance-record';
