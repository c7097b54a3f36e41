// The layer check (scripts/check-layers.mjs): the tree as it is passes; a copy with one
// deliberate upward include fails, naming the file, the line and what that layer may include.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = path.join(root, 'scripts', 'check-layers.mjs');

function copyTree(t) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aerie-layers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(root, 'src'), path.join(dir, 'src'), { recursive: true });
  cpSync(path.join(root, 'CMakeLists.txt'), path.join(dir, 'CMakeLists.txt'));
  return dir;
}

test('every include in src/ points down the layers', () => {
  const out = execFileSync(process.execPath, [script], { encoding: 'utf8' });
  assert.match(out, /every include points down/);
});

test('an upward include is caught with its file, line and the rule', (t) => {
  const dir = copyTree(t);
  const room = path.join(dir, 'src', 'hub', 'Room.cpp');
  const lines = readFileSync(room, 'utf8').split('\n');
  lines.splice(2, 0, '#include "transport/Server.hpp"');  // the Hub reaching up into the network
  writeFileSync(room, lines.join('\n'));
  const r = spawnSync(process.execPath, [script, '--root', dir], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /src\/hub\/Room\.cpp:3: includes "transport\/Server\.hpp", but hub may include only codec, core \(aerie_layer\(hub \.\.\.\) in CMakeLists\.txt\)/);
  assert.match(r.stdout, /1 include\(s\) against the layering/);
});

test('a sideways include between layers that do not link each other is caught too', (t) => {
  const dir = copyTree(t);
  const file = path.join(dir, 'src', 'tls', 'TlsEngine.cpp');
  writeFileSync(file, '#include "storage/App.hpp"\n' + readFileSync(file, 'utf8'));
  const r = spawnSync(process.execPath, [script, '--root', dir], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /src\/tls\/TlsEngine\.cpp:1: includes "storage\/App\.hpp", but tls may include only core/);
});

test('a new folder without its aerie_layer() is caught', (t) => {
  const dir = copyTree(t);
  mkdirSync(path.join(dir, 'src', 'gadgets'));
  writeFileSync(path.join(dir, 'src', 'gadgets', 'NodeRegistry.cpp'), '#include "core/Limits.hpp"\n');
  const r = spawnSync(process.execPath, [script, '--root', dir], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /src\/gadgets\/: a folder with no aerie_layer\(gadgets \.\.\.\)/);
});
