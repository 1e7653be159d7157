/** Where the management API lives and how to call it: what `df.getClient(context)` needs. */
export interface ClientEndpoints {
  /** Host origin without trailing slash, e.g. http://localhost:7071. */
  baseUrl: string;
  taskHubName: string;
  /** The `durabletask_extension` system key embedded in the public URLs. */
  systemKey: string;
  /** Loopback RPC listener; must end with '/' (the SDK resolves paths with new URL(rel, base)). */
  rpcBaseUrl: string;
}

export const webhookPath = '/runtime/webhooks/durabletask';

/** The durableClient input binding payload (Bindings/BindingHelper.cs, camelCase JSON). */
export function durableClientPayload(endpoints: ClientEndpoints): Record<string, unknown> {
  const base = `${endpoints.baseUrl}${webhookPath}`;
  const query = `taskHub=${encodeURIComponent(endpoints.taskHubName)}&connection=Storage&code=${encodeURIComponent(endpoints.systemKey)}`;
  return {
    taskHubName: endpoints.taskHubName,
    creationUrls: creationUrls(base, query),
    managementUrls: managementUrls(base, query, 'INSTANCEID'),
    baseUrl: base,
    requiredQueryStringParameters: `code=${encodeURIComponent(endpoints.systemKey)}`,
    rpcBaseUrl: endpoints.rpcBaseUrl,
  };
}

function creationUrls(base: string, query: string): Record<string, string> {
  return {
    createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${query}`,
    createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
  };
}

/** The check-status object: every management URL for one instance (with `id`). */
export function managementUrls(base: string, query: string, id: string): Record<string, string> {
  const instance = `${base}/instances/${encodeURIComponent(id)}`;
  return {
    id,
    statusQueryGetUri: `${instance}?${query}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${instance}?${query}`,
    restartPostUri: `${instance}/restart?${query}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
    resumePostUri: `${instance}/resume?reason={text}&${query}`,
  };
}

export function checkStatusUrls(endpoints: ClientEndpoints, id: string): Record<string, string> {
  const query = `taskHub=${encodeURIComponent(endpoints.taskHubName)}&connection=Storage&code=${encodeURIComponent(endpoints.systemKey)}`;
  return managementUrls(`${endpoints.baseUrl}${webhookPath}`, query, id);
}
