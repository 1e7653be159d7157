// Loads an app's entry points the way the Node worker's startApp does: package.json `main` is a glob,
// every match is loaded in order (ESM through import(), CommonJS through require), and any load error
// stops the start with the file and the error named.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import { HostStartError } from './host-start-error';

interface PackageJson {
  main?: unknown;
  type?: unknown;
}

function readPackageJson(appDir: string): PackageJson {
  const file = join(appDir, 'package.json');
  if (!existsSync(file))
    throw new HostStartError(`${file}: not found; an app directory needs a package.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch (error) {
    throw new HostStartError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

export interface EntryPoints {
  /** The `main` glob from package.json (default `index.js`). */
  main: string;
  /** Matching files, absolute, in the order the worker loads them. */
  files: string[];
}

/**
 * The files `main` matches. Zero matches is not fatal: like `func start` on an app that has not been
 * built yet, the host says so and runs with no functions (the caller warns).
 */
export function entryPoints(appDir: string): EntryPoints {
  const pkg = readPackageJson(appDir);
  const main = pkg.main ?? 'index.js';
  if (typeof main !== 'string' || main.trim() === '') {
    throw new HostStartError(`${join(appDir, 'package.json')}: "main" must be a file path or glob`);
  }
  const files = fg.sync(main.replace(/\\/g, '/'), { cwd: appDir, absolute: true, onlyFiles: true }).sort();
  return { main, files };
}

// Kept as a real dynamic import in the CommonJS build (module Node16), so ESM apps load too.
const importModule = async (specifier: string): Promise<unknown> => import(specifier);

function isEsm(appDir: string, file: string): boolean {
  const ext = extname(file);
  if (ext === '.mjs') return true;
  if (ext === '.cjs') return false;
  return readPackageJson(appDir).type === 'module';
}

/**
 * Forgets the app's own CommonJS modules (not its node_modules), so a second host started in the same
 * process loads and registers the app again instead of getting the cached modules.
 */
function forgetAppModules(appDir: string): void {
  const cache = createRequire(join(appDir, 'package.json')).cache;
  const root = resolve(appDir) + sep;
  for (const id of Object.keys(cache)) {
    if (id.startsWith(root) && !id.slice(root.length).split(sep).includes('node_modules')) delete cache[id];
  }
}

/** Loads every entry point; a failure names the file (relative to the app) and the error. */
export async function loadEntryPoints(appDir: string, files: string[]): Promise<void> {
  forgetAppModules(appDir);
  for (const file of files) {
    try {
      if (isEsm(appDir, file)) await importModule(`file://${resolve(file)}`);
      // createRequire works whether the host itself runs as CommonJS (CLI, dist) or ESM (vitest).
      else createRequire(file)(file);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new HostStartError(
        `Worker was unable to load entry point "${relative(appDir, file)}": ${reason}`,
      );
    }
  }
}
