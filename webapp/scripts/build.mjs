// Builds webapp/dist: index.html (landing page), room.html (room page, served by aerie for every
// /r/<room>), and assets/ (ES module bundles with Preact inside, one stylesheet, source maps).
// Nothing is fetched from a CDN: aerie serves all of it. The Skylink library is not bundled:
// the room page loads aerie's /skylink.complete.min.js (client/dist) at run time.
// Usage: node scripts/build.mjs [--no-typecheck]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const assets = path.join(dist, 'assets');

if (!process.argv.includes('--no-typecheck')) {
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

await build({
  entryPoints: { landing: path.join(root, 'src/landing/main.tsx'), room: path.join(root, 'src/room/main.tsx') },
  outdir: assets,
  bundle: true,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunk-[hash]',
  minify: true,
  sourcemap: true,
  target: ['chrome90', 'firefox90', 'safari15'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  logLevel: 'warning',
  legalComments: 'linked',
});

await build({
  entryPoints: [path.join(root, 'src/styles/app.css')],
  outfile: path.join(assets, 'app.css'),
  bundle: true,
  minify: true,
  target: ['chrome90', 'firefox90', 'safari15'],
  logLevel: 'warning',
});

// The favicon is inline, so a page needs no extra request for it.
const favicon = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#60a5fa"/><stop offset="1" stop-color="#22c55e"/></linearGradient></defs><path d="M16 3a13 13 0 1 1 0 26H3V16A13 13 0 0 1 16 3z" fill="url(#g)"/></svg>',
)}`;
for (const page of ['index.html', 'room.html']) {
  const html = readFileSync(path.join(root, 'src/pages', page), 'utf8').replaceAll('%FAVICON%', favicon);
  writeFileSync(path.join(dist, page), html);
}

for (const f of readdirSync(assets).filter((f) => /\.(js|css)$/.test(f)).sort()) {
  const buf = readFileSync(path.join(assets, f));
  console.log(`assets/${f}: ${statSync(path.join(assets, f)).size} bytes, ${gzipSync(buf, { level: 9 }).length} gzip`);
}
