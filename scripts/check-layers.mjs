#!/usr/bin/env node
// Checks that every #include in src/ points down the layers, and says which one does not.
// The layers and what each may use come from the aerie_layer(...) calls in CMakeLists.txt (the
// build enforces the same rule by giving each library only its dependencies' include roots;
// this check names the file and line, and runs without a build).
//   node scripts/check-layers.mjs [--root DIR]      exit 0: clean; 1: violations (listed)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const root = args.includes('--root')
  ? path.resolve(args[args.indexOf('--root') + 1])
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// layer -> the aerie layers it links (PUBLIC, PRIVATE or INTERFACE alike).
export function parseLayers(cmakeText) {
  const layers = new Map();
  const re = /aerie_layer\(\s*([a-z]+)([^)]*)\)/g;
  for (const m of cmakeText.matchAll(re)) {
    const deps = [...m[2].matchAll(/\baerie_([a-z]+)\b/g)].map((d) => d[1]);
    layers.set(m[1], new Set(deps));
  }
  return layers;
}

// Everything a layer may include: itself and its dependencies, transitively.
function reachable(layers, name) {
  const seen = new Set([name]);
  const todo = [name];
  while (todo.length) {
    for (const dep of layers.get(todo.pop()) || []) {
      if (!seen.has(dep)) { seen.add(dep); todo.push(dep); }
    }
  }
  return seen;
}

export function checkTree(dir) {
  const layers = parseLayers(readFileSync(path.join(dir, 'CMakeLists.txt'), 'utf8'));
  const problems = [];
  const src = path.join(dir, 'src');
  for (const layer of readdirSync(src).sort()) {
    if (!statSync(path.join(src, layer)).isDirectory()) continue;
    if (!layers.has(layer)) {
      problems.push(`src/${layer}/: a folder with no aerie_layer(${layer} ...) in CMakeLists.txt`);
      continue;
    }
    const allowed = reachable(layers, layer);
    for (const file of readdirSync(path.join(src, layer)).sort()) {
      if (!/\.(hpp|cpp)$/.test(file)) continue;
      const lines = readFileSync(path.join(src, layer, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        const m = /^\s*#\s*include\s+"(([a-z]+)\/[^"]+)"/.exec(line);
        if (!m || allowed.has(m[2])) return;
        const may = [...allowed].filter((l) => l !== layer).sort().join(', ') || 'nothing of aerie';
        problems.push(`src/${layer}/${file}:${i + 1}: includes "${m[1]}", ` +
          `but ${layer} may include only ${may} (aerie_layer(${layer} ...) in CMakeLists.txt)`);
      });
    }
  }
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = checkTree(root);
  for (const p of problems) console.error(p);
  console.log(problems.length ? `layers: ${problems.length} include(s) against the layering` : 'layers: every include points down');
  process.exit(problems.length ? 1 : 0);
}
