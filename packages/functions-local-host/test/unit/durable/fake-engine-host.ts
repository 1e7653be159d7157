import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { createRequire } from 'node:module';
import type { HostFunction, InvokeRequest, InvokeResult, RpcTypedData } from '../../../src/extension';
import type { EngineHost } from '../../../src/durable/orchestration-engine';

type Handler = (trigger: unknown, context: InvocationContext) => unknown;

// The SDK's own orchestrator wrapper (what df.app.orchestration registers); not in its public typings.
const sdkTesting = createRequire(import.meta.url)('durable-functions/lib/src/util/testingUtils') as {
  createOrchestrator(handler: df.OrchestrationHandler): Handler;
};
const sdkApp = createRequire(import.meta.url)('durable-functions/lib/src/app') as {
  wrapActivityHandler(handler: df.ActivityHandler): Handler;
};
const createOrchestrator = (handler: df.OrchestrationHandler): Handler =>
  sdkTesting.createOrchestrator(handler);

/**
 * An EngineHost that runs real durable-functions orchestrators and activities in process, the way the
 * library's InvocationModel would: trigger input decoded from RpcTypedData, result encoded back.
 */
export class FakeEngineHost implements EngineHost {
  readonly logs: string[] = [];
  private readonly registered = new Map<string, { fn: HostFunction; handler: Handler }>();
  readonly log = {
    info: (message: string): void => void this.logs.push(message),
    warn: (message: string): void => void this.logs.push(message),
    error: (message: string): void => void this.logs.push(message),
  };

  orchestration(name: string, handler: df.OrchestrationHandler): this {
    return this.add(name, 'orchestrationTrigger', createOrchestrator(handler));
  }

  activity(name: string, handler: (input: unknown, context: InvocationContext) => unknown): this {
    return this.add(name, 'activityTrigger', sdkApp.wrapActivityHandler(handler as df.ActivityHandler));
  }

  functions(): HostFunction[] {
    return [...this.registered.values()].map((entry) => entry.fn);
  }

  async invoke(functionName: string, request: InvokeRequest): Promise<InvokeResult> {
    const entry = this.registered.get(functionName);
    if (!entry) throw new Error(`no function ${functionName}`);
    const data = request.inputData[0]?.data;
    const input = data?.string === undefined ? undefined : tryJson(data.string);
    const context = new InvocationContext({
      functionName,
      invocationId: 'test',
      logHandler: () => undefined,
    });
    const result = await entry.handler(input, context);
    return result === undefined ? {} : { returnValue: toTypedData(result) };
  }

  private add(name: string, type: string, handler: Handler): this {
    const trigger = { name: `${type}Binding`, type, direction: 'in' as const };
    this.registered.set(name, { fn: { name, trigger, bindings: [trigger] }, handler });
    return this;
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toTypedData(value: unknown): RpcTypedData {
  if (typeof value === 'string') return { string: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { int: value } : { double: value };
  return { json: JSON.stringify(value) };
}
