// Bundles src/testing.ts (the library's internals) once per process for the Node tests.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let mod = null;

export async function lib() {
  if (mod) return mod;
  // Inside node_modules so that the external socket.io-client resolves (and git ignores it).
  const dir = path.join(root, 'node_modules', '.cache', 'skylink-test');
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `testing-${process.pid}.mjs`);
  const r = await build({
    entryPoints: [path.join(root, 'src/testing.ts')], bundle: true, format: 'esm', platform: 'node', write: false, external: ['socket.io-client'],
    define: { 'process.env.NODE_ENV': '"test"' }, logLevel: 'error',
  });
  writeFileSync(out, r.outputFiles[0].contents);
  mod = await import(pathToFileURL(out).href);
  return mod;
}

/** A socket.io stand-in: records sends, lets the test fire events. */
export class FakeSocket {
  constructor(url, options) { this.url = url; this.options = options; this.handlers = {}; this.sent = []; this.disconnected = false; }
  on(ev, fn) { (this.handlers[ev] ??= []).push(fn); return this; }
  removeAllListeners() { this.handlers = {}; }
  fire(ev, ...args) { for (const fn of this.handlers[ev] ?? []) fn(...args); }
  send(data) { this.sent.push(JSON.parse(data)); }
  disconnect() { this.disconnected = true; }
}

/**
 * The library's host for a Node test: the browser's environment with what Node lacks stood in
 * for (WebRTC and WebSocket "present", a fixed agent and no page), and `overrides` on top. Handed
 * to `new Skylink({ env })` or to a part's constructor; nothing global is patched.
 */
export async function testEnv(overrides = {}) {
  const { hostEnv } = await lib();
  return hostEnv({
    hasWebRTC: () => true, hasWebSocket: () => true, userAgent: () => 'Chrome/120', platform: () => 'test',
    pageLocation: () => null, scriptOrigin: null, ...overrides,
  });
}

/** createSocket for the env: each socket is recorded in `sockets` and connects on the next tick. */
export function autoConnectSockets(sockets) {
  return (url, opts) => {
    const s = new FakeSocket(url, opts);
    sockets.push(s);
    setTimeout(() => s.fire('connect'), 0);
    return s;
  };
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
