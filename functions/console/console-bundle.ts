// The console's bundled files (built by `npm run build` into dist/console: scripts/console-build).
// Read once per process; only the files of the bundle can be served, looked up by name, so no request
// path ever reaches the file system.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

export interface ConsoleFile {
  body: Buffer;
  contentType: string;
}

export interface ConsoleBundle {
  /** The page shell (index.html), with `{{user}}` and `{{roles}}` where the signed-in person goes. */
  shell: string;
  /** Hashed assets by file name (`app-3F2A….js`): safe to cache for a year. */
  assets: Map<string, ConsoleFile>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

/** dist/console next to the compiled app (dist/functions/console/…), or under dist/ when run from source. */
function bundleDir(): string | undefined {
  const candidates = [join(__dirname, '..', '..', 'console'), join(__dirname, '..', '..', 'dist', 'console')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

let cached: ConsoleBundle | undefined;

/** The bundle, or undefined when the console was not built (the page then says how to build it). */
export function consoleBundle(dir = bundleDir()): ConsoleBundle | undefined {
  if (cached) return cached;
  if (dir === undefined) return undefined;
  const assets = new Map<string, ConsoleFile>();
  const assetDir = join(dir, 'assets');
  for (const name of existsSync(assetDir) ? readdirSync(assetDir) : []) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (contentType) assets.set(name, { body: readFileSync(join(assetDir, name)), contentType });
  }
  cached = { shell: readFileSync(join(dir, 'index.html'), 'utf8'), assets };
  return cached;
}
