// `cmake --install` lays out the binary and its assets so that `aerie serve` works from any
// directory: the installed binary, started from an unrelated working directory, serves the app,
// the library, the demo pages, SkylinkJS and socket.io-client from <prefix>/share/aerie.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAerie, aerieBin, request } from '../lib/server.mjs';

const T = { timeout: 60000 };
const prefix = mkdtempSync(path.join(os.tmpdir(), 'aerie-install-'));
const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'aerie-cwd-'));
let server;

after(async () => {
  if (server) await server.stop();
  rmSync(prefix, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

test('the installed aerie serves its pages and builds from <prefix>/share/aerie, from any directory', T, async () => {
  // The build directory of the binary under test (build/release, build/asan).
  execFileSync('cmake', ['--install', path.dirname(aerieBin()), '--prefix', prefix], { stdio: 'pipe' });
  const bin = path.join(prefix, 'bin', 'aerie');
  assert.ok(existsSync(bin), 'bin/aerie installed');
  server = await startAerie({ bin, cwd: elsewhere });
  assert.match(server.log(), new RegExp(`"webRoot":"${path.join(prefix, 'share', 'aerie', 'web').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`),
    'pages come from the installed share/aerie/web');
  const expect = [
    ['/', /<html/i],                                   // the conferencing app (webapp/dist)
    ['/skylink.complete.min.js', /Skylink/],           // the library (client/dist)
    ['/demo', /<html/i],                               // the seed's page (web/)
    ['/console', /<html/i],
    ['/vendor/skylinkjs/skylink.complete.min.js', /Skylink/],  // SkylinkJS 0.6.37 for /demo-skylinkjs
    ['/socket.io/socket.io.js', /io/],                 // socket.io-client 1.4.8 for SkylinkJS 0.9.x
  ];
  for (const [p, body] of expect) {
    const res = await request(server, p);
    assert.equal(res.status, 200, `${p}: ${res.status}`);
    assert.match(res.body, body, p);
  }
});
