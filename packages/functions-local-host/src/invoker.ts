// Invokes a registered function through the app's own ProgrammingModel -> InvocationModel, mirroring the
// Node worker's InvocationHandler: getArguments, preInvocation hooks (which may swap inputs and the
// handler), invokeFunction, postInvocation hooks (which may swap result and error), then getResponse.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { AppRegistry, HookCallback } from './core-module';
import type {
  HostBinding,
  HostLogger,
  InvokeRequest,
  InvokeResult,
  RpcParameterBinding,
  RpcTypedData,
} from './extension';
import { isLogEnabled, writeAtLevel } from './log-levels';

export interface InvokerOptions {
  registry: AppRegistry;
  log: HostLogger;
  /** host.json logging.logLevel. */
  logLevels: Record<string, string>;
  /** Data for an extra input binding the request does not carry (e.g. durableClient), or undefined to leave it out. */
  resolveInput(binding: HostBinding, functionName: string): Promise<RpcTypedData | undefined>;
  /** Shared by appStart/appTerminate and every invocation hook, like the worker's `appHookData`. */
  appHookData: Record<string, unknown>;
}

export class FunctionNotFoundError extends Error {
  override name = 'FunctionNotFoundError';
}

async function runHooks(hooks: HookCallback[], context: Record<string, unknown>): Promise<void> {
  for (const hook of hooks) await hook(context);
}

export type Invoke = (functionName: string, request: InvokeRequest) => Promise<InvokeResult>;

/** Returns `invoke(name, request)`; a function that throws rejects with its error (after the log line). */
export function createInvoker(options: InvokerOptions): Invoke {
  const { registry, log } = options;
  return async (functionName, request) => {
    const registered = registry.functions.get(functionName);
    const model = registry.programmingModel;
    if (!registered) throw new FunctionNotFoundError(`No function named "${functionName}" is registered.`);
    if (!model) throw new Error('The app registered functions without a programming model.');
    const invocationId = randomUUID();
    const inputData = await withExtraInputs(
      registered.metadata.name,
      registered.metadata.bindings,
      request,
      options,
    );
    const triggerType = Object.values(registered.metadata.bindings).find((b) =>
      /trigger$/i.test(String(b.type)),
    )?.type;
    const coreContext: Record<string, unknown> = {
      invocationId,
      request: {
        invocationId,
        functionId: functionName,
        inputData,
        triggerMetadata: request.triggerMetadata ?? {},
      },
      metadata: registered.metadata,
      state: undefined,
      log: (rawLevel: string, category: string, rawMessage: string) => {
        // Log hooks run first and may change the level or the message, as in the worker.
        const hookContext: Record<string, unknown> = {
          hookData: {},
          level: rawLevel,
          message: rawMessage,
          category,
          invocationContext,
        };
        for (const hook of registry.hooksOf('log')) {
          try {
            void hook(hookContext);
          } catch {
            // A failing log hook must not fail the invocation or lose the line.
          }
        }
        const level = typeof hookContext.level === 'string' ? hookContext.level : rawLevel;
        const message = typeof hookContext.message === 'string' ? hookContext.message : rawMessage;
        if (category === 'user' && !isLogEnabled(options.logLevels, functionName, level)) return;
        if (category === 'system' && !['warning', 'error', 'critical'].includes(level)) return;
        writeAtLevel(log, level, `[${functionName}] ${message}`);
      },
    };
    let invocationContext: unknown;
    const started = performance.now();
    let outcome = 'Succeeded';
    try {
      const invocationModel = model.getInvocationModel(coreContext);
      const { context, inputs } = await invocationModel.getArguments();
      invocationContext = context;
      const hookData: Record<string, unknown> = {};
      const pre: Record<string, unknown> = {
        hookData,
        appHookData: options.appHookData,
        invocationContext: context,
        functionCallback: registered.callback,
        inputs,
      };
      coreContext.state = 'preInvocationHooks';
      await runHooks(registry.hooksOf('preInvocation'), pre).finally(() => (coreContext.state = undefined));
      const post: Record<string, unknown> = {
        hookData,
        appHookData: options.appHookData,
        invocationContext: context,
        inputs: pre.inputs,
        result: null,
        error: null,
      };
      coreContext.state = 'invocation';
      try {
        const callback = pre.functionCallback as (...args: unknown[]) => unknown;
        post.result = await invocationModel.invokeFunction(context, pre.inputs as unknown[], callback);
      } catch (error) {
        post.error = error;
      } finally {
        coreContext.state = undefined;
      }
      coreContext.state = 'postInvocationHooks';
      await runHooks(registry.hooksOf('postInvocation'), post).finally(() => (coreContext.state = undefined));
      // A postInvocation hook may have replaced or cleared the error, as in the worker.
      if (post.error !== null && post.error !== undefined) throw post.error as Error;
      const response = await invocationModel.getResponse(context, post.result);
      return toInvokeResult(response);
    } catch (error) {
      outcome = 'Failed';
      const message = error instanceof Error ? error.message : String(error);
      log.error(`[${functionName}] Exception: ${message}`);
      throw error;
    } finally {
      const duration = Math.round(performance.now() - started);
      const line = `Executed 'Functions.${functionName}' (${outcome}, Trigger=${String(triggerType)}, Id=${invocationId}, Duration=${duration}ms)`;
      if (outcome === 'Succeeded') log.info(line);
      else log.error(line);
    }
  };
}

async function withExtraInputs(
  functionName: string,
  bindings: Record<string, { type?: string | null; direction?: string | null }>,
  request: InvokeRequest,
  options: InvokerOptions,
): Promise<RpcParameterBinding[]> {
  const inputData = [...request.inputData];
  for (const [name, binding] of Object.entries(bindings)) {
    const type = String(binding.type ?? '');
    if (binding.direction !== 'in' || /trigger$/i.test(type) || inputData.some((d) => d.name === name))
      continue;
    const data = await options.resolveInput({ ...binding, name, type, direction: 'in' }, functionName);
    if (data !== undefined) inputData.push({ name, data });
  }
  return inputData;
}

function toInvokeResult(response: Record<string, unknown>): InvokeResult {
  const result: InvokeResult = {};
  const returnValue = response.returnValue as RpcTypedData | null | undefined;
  if (returnValue !== null && returnValue !== undefined) result.returnValue = returnValue;
  const outputData = response.outputData as RpcParameterBinding[] | undefined;
  if (outputData && outputData.length > 0) result.outputData = outputData;
  return result;
}
