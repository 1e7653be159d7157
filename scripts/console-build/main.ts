// Bundles the operator console (functions/console/web) into dist/console: hashed assets under
// assets/ and the page shell index.html that names them. Part of `npm run build`; no CDN at run time.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const root = join(__dirname, '..', '..');
const web = join(root, 'functions', 'console', 'web');
const out = join(root, 'dist', 'console');

async function main(): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'assets'), { recursive: true });
  const result = await build({
    entryPoints: { app: join(web, 'main.tsx'), style: join(web, 'console.css') },
    outdir: join(out, 'assets'),
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    splitting: true,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const script = outputs.find((f) => f.startsWith('app-') && f.endsWith('.js'));
  const style = outputs.find((f) => f.startsWith('style-') && f.endsWith('.css'));
  if (!script || !style)
    throw new Error(`console build: expected app-*.js and style-*.css, got ${outputs.join(', ')}`);
  // {{user}} and {{roles}} are filled in (escaped) by functions/console/console-http.ts per request.
  const shell = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Durable Recovery console</title>
<link rel="stylesheet" href="/api/console/assets/${style}">
<script type="module" src="/api/console/assets/${script}"></script>
</head>
<body data-user="{{user}}" data-roles="{{roles}}">
<noscript>The console needs JavaScript. The same data is in the API: /api/openapi.json.</noscript>
<div id="app"></div>
</body>
</html>
`;
  writeFileSync(join(out, 'index.html'), shell);
  console.log(`console: dist/console/index.html, assets ${outputs.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
