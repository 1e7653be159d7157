// Loads one app into this process: settings into the environment, `@azure/functions-core` provided,
// entry points loaded, registration locked, appStart hooks run. The result can invoke any function.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { entryPoints, loadEntryPoints } from './app-loader';
import { applySettings, resolveDeep } from './app-settings';
import { AppRegistry, installCoreModule, toHostFunction } from './core-module';
import type { HostBinding, HostFunction, HostLogger, RpcTypedData } from './extension';
import { HostStartError } from './host-start-error';
import { createInvoker, type Invoke } from './invoker';
import { logLevelsOf, writeAtLevel } from './log-levels';

export interface LoadAppOptions {
  appDir: string;
  /** The port the host serves on (for WEBSITE_HOSTNAME). */
  port: number;
  log: HostLogger;
  resolveInput(binding: HostBinding, functionName: string): Promise<RpcTypedData | undefined>;
}

export interface LoadedApp {
  appDir: string;
  /** Registered functions with `%AppSetting%` references in their bindings resolved. */
  functions: HostFunction[];
  /** Parsed host.json with `%AppSetting%` references resolved. */
  hostJson: Record<string, unknown>;
  settings: Record<string, string | undefined>;
  /** Settings from local.settings.json that the environment already defined (the environment wins). */
  skippedSettings: string[];
  invoke: Invoke;
  /** Runs the appTerminate hooks. */
  terminate(): Promise<void>;
}

function readHostJson(appDir: string): Record<string, unknown> {
  const file = join(appDir, 'host.json');
  if (!existsSync(file)) return { version: '2.0' };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new HostStartError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** Loads the app in `appDir`; a HostStartError names the file or field when it cannot. */
export async function loadApp(options: LoadAppOptions): Promise<LoadedApp> {
  const appDir = resolve(options.appDir);
  if (!existsSync(appDir)) throw new HostStartError(`--app ${appDir}: no such directory`);
  const { skipped } = applySettings(appDir, options.port);
  const settings: Record<string, string | undefined> = { ...process.env };
  const hostJson = resolveDeep(readHostJson(appDir), settings, 'host.json');
  const logLevels = logLevelsOf(hostJson);
  const { main, files } = entryPoints(appDir);
  if (files.length === 0) {
    options.log.warn(
      `Worker was unable to load entry point "${main}": Found zero files matching the supplied pattern` +
        (main.includes('dist/') ? ' (has the app been built? run npm run build)' : ''),
    );
  }

  const registry = new AppRegistry();
  installCoreModule(registry, (level, category, message) => {
    if (category === 'system' && !['warning', 'error', 'critical'].includes(level)) return;
    writeAtLevel(options.log, level, message);
  });
  await loadEntryPoints(appDir, files);
  registry.locked = true;

  const functions = [...registry.functions.values()].map(({ metadata }) =>
    resolveDeep(toHostFunction(metadata), settings, `function "${metadata.name}" binding`),
  );
  const appHookData: Record<string, unknown> = {};
  const appLevelOnlyHookData: Record<string, unknown> = {};
  const invoke = createInvoker({
    registry,
    log: options.log,
    logLevels,
    appHookData,
    resolveInput: (binding, functionName) => options.resolveInput(binding, functionName),
  });

  for (const hook of registry.hooksOf('appStart')) {
    try {
      await hook({ hookData: appLevelOnlyHookData, appHookData, functionAppDirectory: appDir });
    } catch (error) {
      throw new HostStartError(
        `appStart hook failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  return {
    appDir,
    functions,
    hostJson,
    settings,
    skippedSettings: skipped,
    invoke,
    async terminate() {
      for (const hook of registry.hooksOf('appTerminate')) {
        try {
          await hook({ hookData: appLevelOnlyHookData, appHookData });
        } catch (error) {
          options.log.error(
            `appTerminate hook failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    },
  };
}
