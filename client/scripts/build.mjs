// Builds dist/: skylink.complete.min.js (minified IIFE with socket.io-client inside),
// skylink.js (the same, unminified), skylink.esm.js, source maps, and .d.ts types (tsc).
// Usage: node scripts/build.mjs [--no-types]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// Overwrite in place: aerie may be serving these files while we build.
mkdirSync(dist, { recursive: true });

const banner = { js: `/*! Aerie Skylink library ${pkg.version} (SkylinkJS 0.6 API) — bundles socket.io-client (MIT) */` };
const common = {
  bundle: true,
  sourcemap: true,
  target: ['chrome90', 'firefox90', 'safari15'],
  platform: 'browser',
  logLevel: 'warning',
  banner,
  // socket.io-client 2.x pulls `debug`, which reads process.env in Node only.
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
};

await build({ ...common, entryPoints: [path.join(root, 'src/global.ts')], format: 'iife', minify: true, outfile: path.join(dist, 'skylink.complete.min.js') });
await build({ ...common, entryPoints: [path.join(root, 'src/global.ts')], format: 'iife', minify: false, outfile: path.join(dist, 'skylink.js') });
await build({ ...common, entryPoints: [path.join(root, 'src/index.ts')], format: 'esm', minify: false, outfile: path.join(dist, 'skylink.esm.js') });

if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
}

for (const f of ['skylink.complete.min.js', 'skylink.js', 'skylink.esm.js']) {
  const buf = readFileSync(path.join(dist, f));
  console.log(`${f}: ${statSync(path.join(dist, f)).size} bytes, ${gzipSync(buf, { level: 9 }).length} gzip`);
}
