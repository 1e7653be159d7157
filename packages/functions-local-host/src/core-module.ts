// Provides the module `@azure/functions-core` to the app, the way the Node worker's setupCoreModule does:
// the module never exists on disk; `require` of exactly that id returns the host's object. The library
// (`@azure/functions`) requires it lazily on the first registration, so this must be installed before
// the app's files are loaded.
import Module from 'node:module';
import type { HostBinding, HostFunction } from './extension';

export type HookName = 'appStart' | 'appTerminate' | 'preInvocation' | 'postInvocation' | 'log';
const hookNames: readonly string[] = ['appStart', 'appTerminate', 'preInvocation', 'postInvocation', 'log'];

export type HookCallback = (context: Record<string, unknown>) => unknown;
export type FunctionCallback = (...args: unknown[]) => unknown;

/** The metadata `registerFunction` receives: bindings keyed by name (`$return` for the return binding). */
export interface CoreFunctionMetadata {
  name: string;
  functionId?: string;
  bindings: Record<string, { type?: string | null; direction?: string | null; [key: string]: unknown }>;
  retryOptions?: unknown;
}

/** The shape of the library's ProgrammingModel that the host drives (types-core). */
export interface CoreProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: unknown): CoreInvocationModel;
  getCapabilities?(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

export interface CoreInvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<Record<string, unknown>>;
}

export interface RegisteredFunction {
  metadata: CoreFunctionMetadata;
  callback: FunctionCallback;
}

/** Disposable as types-core declares it (class with `dispose()` and static `from`). */
export class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  #onDispose: (() => unknown) | undefined;
  constructor(onDispose: () => unknown) {
    this.#onDispose = onDispose;
  }
  dispose(): unknown {
    const onDispose = this.#onDispose;
    this.#onDispose = undefined;
    return onDispose?.();
  }
}

/** What one loaded app registered. Indexing is locked once the host has read the metadata. */
export class AppRegistry {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<HookName, HookCallback[]>();
  programmingModel: CoreProgrammingModel | undefined;
  locked = false;

  hooksOf(name: HookName): HookCallback[] {
    return [...(this.hooks.get(name) ?? [])];
  }

  /** Functions with the bindings flattened the way the worker's `rawBindings` are: each with its key as `name`. */
  hostFunctions(): HostFunction[] {
    return [...this.functions.values()].map(({ metadata }) => toHostFunction(metadata));
  }
}

/** Flattens registration metadata into the host's shape; the trigger is the one `in` binding whose type ends in Trigger. */
export function toHostFunction(metadata: CoreFunctionMetadata): HostFunction {
  const bindings: HostBinding[] = Object.entries(metadata.bindings).map(([name, binding]) => ({
    ...binding,
    name,
    type: String(binding.type ?? ''),
    direction: (binding.direction ?? 'in') as HostBinding['direction'],
  }));
  const trigger = bindings.find((b) => b.direction === 'in' && b.type.toLowerCase().endsWith('trigger'));
  if (!trigger) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
  return { name: metadata.name, trigger, bindings };
}

export type CoreLogSink = (level: string, category: string, message: string) => void;

// One core object per process: the library caches the object it required and calls
// setProgrammingModel only once, so the object must stay the same while the app it serves changes.
let currentRegistry: AppRegistry | undefined;
let currentLog: CoreLogSink = () => undefined;
let lastProgrammingModel: CoreProgrammingModel | undefined;

function activeRegistry(): AppRegistry {
  if (!currentRegistry) throw new Error('No app is being loaded by the local host.');
  return currentRegistry;
}

/** The `@azure/functions-core` object handed to the app. */
export const coreModule: Record<string, unknown> = {
  version: '3.10.1',
  hostVersion: '4.34.0',
  Disposable,
  registerFunction(metadata: CoreFunctionMetadata, callback: FunctionCallback): Disposable {
    const registry = activeRegistry();
    if (registry.locked) throw new Error('A function can only be registered during app startup.');
    const id = metadata.functionId ?? metadata.name;
    if (registry.functions.has(id))
      throw new Error(`A function with the id "${id}" has already been registered.`);
    registry.functions.set(id, { metadata, callback });
    return new Disposable(() => {
      if (registry.locked) throw new Error('A function can only be disposed during app startup.');
      registry.functions.delete(id);
    });
  },
  registerHook(hookName: string, callback: HookCallback): Disposable {
    if (!hookNames.includes(hookName)) {
      // The library maps a RangeError flagged as a system error to "requires host v4.34".
      throw Object.assign(new RangeError(`Unrecognized hook "${hookName}"`), {
        isAzureFunctionsSystemError: true,
      });
    }
    const registry = activeRegistry();
    const list = registry.hooks.get(hookName as HookName) ?? [];
    list.push(callback);
    registry.hooks.set(hookName as HookName, list);
    return new Disposable(() => {
      const index = list.indexOf(callback);
      if (index >= 0) list.splice(index, 1);
    });
  },
  setProgrammingModel(model: CoreProgrammingModel): void {
    activeRegistry().programmingModel = model;
    lastProgrammingModel = model;
  },
  getProgrammingModel(): CoreProgrammingModel | undefined {
    return activeRegistry().programmingModel;
  },
  log(level: string, category: string, message: string): void {
    currentLog(level, category, message);
  },
};

export const coreModuleId = '@azure/functions-core';
let installed = false;

/**
 * Makes `require('@azure/functions-core')` return the core object for every module in this process,
 * registering into `registry` from now on. One host per process; tests may start several in turn.
 */
export function installCoreModule(registry: AppRegistry, log: CoreLogSink): void {
  currentRegistry = registry;
  currentLog = log;
  // A library instance already loaded by an earlier app in this process will not call setProgrammingModel again.
  registry.programmingModel ??= lastProgrammingModel;
  if (installed) return;
  installed = true;
  const prototype = Module.prototype as unknown as { require: (id: string) => unknown };
  prototype.require = new Proxy(prototype.require, {
    apply(target, thisArg: unknown, args: [string]) {
      if (args[0] === coreModuleId) return coreModule;
      const result: unknown = Reflect.apply(target, thisArg, args);
      return result;
    },
  });
}
