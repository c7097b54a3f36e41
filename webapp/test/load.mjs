// Loads a TypeScript module of src/ into a Node test: esbuild bundles it (with Preact) into
// one ES module in memory, imported from a data: URL. No build step, no loader flags.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function load(rel) {
  const out = await build({
    entryPoints: [path.join(root, rel)], bundle: true, format: 'esm', platform: 'neutral', write: false,
    jsx: 'automatic', jsxImportSource: 'preact', logLevel: 'silent', mainFields: ['module', 'main'],
  });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}
