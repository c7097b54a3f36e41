// Helpers for the end-to-end tests of the real SkylinkJS releases from npm, unmodified
// (tests/e2e/releases*.e2e.test.mjs): where each release's files are, how a user of that release
// loads it (socket.io first where the build leaves it out; 2.7.2 bundled from its ES source with
// esbuild, socket.io-client external as the global `io`, as its authors' rollup config does), a
// Playwright router that serves the fixture pages from Aerie's https origin, and a socket trace
// put into each page before the SDK loads.
//
// The socket trace wraps WebSocket.prototype.send and the onmessage setter. It records the type
// of every Skylink message in both directions (window.__socketTrace) and, when the page was
// opened with holdEnter, keeps the page's outgoing `enter` until the test releases it — the SDK's
// own code is not touched.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES, pageDiagnostics } from './browser.mjs';

const require = createRequire(import.meta.url);
export const RELEASE_PREFIX = '/aerie-releases/';

function packageDir(name) {
  return path.dirname(require.resolve(`${name}/package.json`));
}

// A dependency as the given package resolves it (its own nested copy when it has one).
function resolveFrom(pkg, request) {
  return createRequire(path.join(packageDir(pkg), 'package.json')).resolve(request);
}

/**
 * The releases under test. kind: 'classic' (0.x: global Skylink, callbacks; fixture
 * release-classic.html) or 'module' (2.x: ES module, promises; fixture release-module.html).
 * socketIo: where window.io comes from when the build does not include it:
 *   'server' — Aerie's /socket.io/socket.io.js; a path — a file from npm.
 */
export const RELEASES = {
  '0.6.26': {
    kind: 'classic',
    pkg: 'skylinkjs-0.6.26',
    sdk: () => path.join(packageDir('skylinkjs-0.6.26'), 'publish', 'skylink.complete.js'),
    socketIo: null, // inside skylink.complete.js
  },
  '0.6.37': {
    kind: 'classic',
    pkg: 'skylinkjs',
    sdk: () => path.join(packageDir('skylinkjs'), 'publish', 'skylink.complete.js'),
    socketIo: null,
  },
  '0.9.3': {
    kind: 'classic',
    pkg: 'skylinkjs-0.9.3',
    sdk: () => path.join(packageDir('skylinkjs-0.9.3'), 'publish', 'skylink.complete.js'),
    // 0.9.3's npm build leaves socket.io-client out (its package.json wants 1.4.8).
    socketIo: () => socketIoForClassic(),
  },
  '2.1.4': {
    kind: 'module',
    pkg: 'skylinkjs-2.1.4',
    sdk: () => path.join(packageDir('skylinkjs-2.1.4'), 'publish', '2.1.4', 'skylink.complete.js'),
    // Its published build reads the global `io` (its demos load socket.io.js first); its
    // package.json wants socket.io-client ~2.2.0.
    socketIo: () => resolveFrom('skylinkjs-2.1.4', 'socket.io-client/dist/socket.io.js'),
    // 2.1.4 posts its stats to https://api.temasys.io/rest/stats (configs/app.js, not
    // roomServer): a self-hosting page turns them off.
    initOptions: { enableStatsGathering: false },
  },
  '2.7.2': {
    kind: 'module',
    pkg: 'skylinkjs2',
    bundle: true, // npm ships only src/: bundled at test time
    sdk: null,
    // package.json: socket.io-client ^2.4.0, external as the global `io` in the authors' build.
    socketIo: () => resolveFrom('skylinkjs2', 'socket.io-client/dist/socket.io.js'),
  },
};

// Where 0.9.3 gets socket.io: Aerie serves a compatible build at /socket.io/socket.io.js (as a
// socket.io server does); AERIE_E2E_SOCKETIO=npm uses socket.io-client 1.4.8 from npm instead.
function socketIoForClassic() {
  if (process.env.AERIE_E2E_SOCKETIO === 'npm') return path.join(packageDir('socket.io-client-v1'), 'socket.io.js');
  return 'server';
}

export function releaseVersion(version) {
  return require(`${RELEASES[version].pkg}/package.json`).version;
}

/**
 * 2.7.2 as a user bundles it: esbuild over the unmodified src/index.js of the npm package,
 * `socket.io-client` mapped to the global `io` (rollup.dev.config.js: external, globals io).
 * Returns the path of the ES module bundle in a fresh temp dir.
 */
export async function bundleSkylink2(outDir) {
  const esbuild = await import('esbuild');
  const entry = path.join(packageDir('skylinkjs2'), 'src', 'index.js');
  const outfile = path.join(outDir, 'skylink.esm.js');
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome100',
    outfile,
    logLevel: 'error',
    plugins: [{
      name: 'socket.io-client-global',
      setup(build) {
        build.onResolve({ filter: /^socket\.io-client$/ }, () => ({ path: 'socket.io-client', namespace: 'global-io' }));
        build.onLoad({ filter: /.*/, namespace: 'global-io' }, () => ({ contents: 'module.exports = window.io;', loader: 'js' }));
      },
    }],
  });
  return outfile;
}

export function isLoopbackUrl(url) {
  return /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(new URL(url).hostname);
}

/**
 * Prepares every release's files (bundling 2.7.2 into a temp dir) and routes
 * `${origin}/aerie-releases/<version>/{index.html,skylink.js,socket.io.js}` in the context.
 * Returns {url(version, query), cleanup()}.
 */
export async function routeReleasePages(context, origin, versions = Object.keys(RELEASES)) {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'aerie-releases-'));
  const files = {}; // version -> {html, sdkPath, socketIoPath}
  for (const v of versions) {
    const r = RELEASES[v];
    const sdkPath = r.bundle ? await bundleSkylink2(tmp) : r.sdk();
    const io = r.socketIo ? r.socketIo() : null;
    let scripts = '';
    if (io === 'server') scripts += '<script src="/socket.io/socket.io.js"></script>\n';
    else if (io) scripts += '<script src="socket.io.js"></script>\n';
    if (r.kind === 'classic') scripts += '<script src="skylink.js"></script>\n';
    const template = await readFile(path.join(FIXTURES, r.kind === 'classic' ? 'release-classic.html' : 'release-module.html'), 'utf8');
    files[v] = {
      html: template.replace('<!--RELEASE_SCRIPTS-->', scripts),
      sdkPath,
      socketIoPath: io && io !== 'server' ? io : null,
    };
  }
  // The 0.x builds (AdapterJS) load an iframe from cdn.temasys.com.sg: nothing but loopback is
  // asked for (the network namespace would refuse it anyway).
  await context.route((url) => /^https?:$/.test(url.protocol) && !isLoopbackUrl(url), (route) => route.abort('blockedbyclient'));
  const js = 'application/javascript; charset=utf-8';
  await context.route(`${origin}${RELEASE_PREFIX}**`, async (route) => {
    const url = new URL(route.request().url());
    const [v, name] = url.pathname.slice(RELEASE_PREFIX.length).split('/');
    const f = files[v];
    let body = null;
    let type = js;
    if (f && name === 'index.html') { body = f.html; type = 'text/html; charset=utf-8'; }
    else if (f && name === 'skylink.js') body = await readFile(f.sdkPath);
    else if (f && name === 'socket.io.js' && f.socketIoPath) body = await readFile(f.socketIoPath);
    else if (f && name === 'page-helpers.js') body = await readFile(path.join(FIXTURES, name));
    if (body === null) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, body, headers: { 'Content-Type': type, 'Cache-Control': 'no-store' } });
  });
  return {
    url: (version, query = '') => `${origin}${RELEASE_PREFIX}${version}/index.html${query}`,
    cleanup: () => rm(tmp, { recursive: true, force: true }),
  };
}

// Runs in the page before any of its scripts (page.addInitScript).
function socketTraceInit(holdEnter) {
  const trace = [];
  const held = [];
  window.__socketTrace = trace;
  window.__heldEnters = held;
  window.__holdEnter = holdEnter;
  const origSend = WebSocket.prototype.send;
  const seen = new WeakSet();
  // Skylink messages travel as socket.io events: Engine.IO 3 text `42["message","<json>"]`.
  function types(data) {
    if (typeof data !== 'string') return null;
    const m = /^42\d*(\[[\s\S]*\])$/.exec(data);
    if (!m) return null;
    let arr;
    try { arr = JSON.parse(m[1]); } catch (e) { return null; }
    if (arr[0] !== 'message') return [`event:${arr[0]}`];
    let msg = arr[1];
    if (typeof msg === 'string') { try { msg = JSON.parse(msg); } catch (e) { return ['(unparsed)']; } }
    if (!msg || typeof msg !== 'object') return ['(not an object)'];
    if (msg.type === 'group' && Array.isArray(msg.lists)) {
      return ['group:' + msg.lists.map((l) => { try { return (typeof l === 'string' ? JSON.parse(l) : l).type; } catch (e) { return '?'; } }).join(',')];
    }
    return [msg.type + (msg.target ? '>' : '')];
  }
  function note(dir, data, ws) {
    const ts = types(data);
    if (!ts) return;
    if (!seen.has(ws)) { seen.add(ws); trace.push({ dir: 'socket', url: String(ws.url).replace(/\?.*$/, ''), t: Date.now() }); }
    for (const type of ts) trace.push({ dir, type, t: Date.now() });
    if (trace.length > 500) trace.splice(0, trace.length - 500);
  }
  WebSocket.prototype.send = function (data) {
    const ts = types(data);
    if (window.__holdEnter && ts && ts[0] === 'enter') {
      held.push({ ws: this, data });
      trace.push({ dir: 'held', type: 'enter', t: Date.now() });
      return undefined;
    }
    note('out', data, this);
    return origSend.call(this, data);
  };
  window.__releaseEnters = () => {
    window.__holdEnter = false;
    const n = held.length;
    for (const h of held.splice(0)) {
      note('out', h.data, h.ws);
      origSend.call(h.ws, h.data);
    }
    return n;
  };
  const desc = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    enumerable: desc.enumerable,
    get() { return desc.get.call(this); },
    set(fn) {
      const ws = this;
      desc.set.call(this, typeof fn === 'function' ? function (ev) { note('in', ev.data, ws); return fn.call(this, ev); } : fn);
    },
  });
}

/**
 * Opens a release page. options.holdEnter: keep the page's outgoing `enter` until
 * releaseEnters(page). Console lines are kept for diagnostics (pageDiagnostics).
 */
export async function openReleasePage(context, url, label, options = {}) {
  const page = await context.newPage();
  await page.addInitScript(socketTraceInit, !!options.holdEnter);
  page.label = label;
  page.consoleLines = [];
  page.on('console', (msg) => {
    page.consoleLines.push(`[${label} ${msg.type()}] ${msg.text()}`);
    if (page.consoleLines.length > 400) page.consoleLines.shift();
  });
  page.on('pageerror', (err) => page.consoleLines.push(`[${label} pageerror] ${err.message}`));
  // Requests the page made: those that were not for loopback (refused by the route above),
  // HTTP errors from Aerie, and the stats posts (2.x).
  page.offLoopback = [];
  page.httpErrors = [];
  page.statsPosts = [];
  page.on('requestfailed', (req) => {
    page.consoleLines.push(`[${label} requestfailed] ${req.method()} ${req.url()} ${req.failure()?.errorText}`);
    if (!isLoopbackUrl(req.url())) page.offLoopback.push(`${req.method()} ${req.url()}`);
  });
  page.on('response', (res) => {
    const req = res.request();
    if (res.status() >= 400) page.httpErrors.push(`${req.method()} ${res.url()} → ${res.status()}`);
    if (req.method() === 'POST' && /\/rest\/stats\//.test(res.url())) page.statsPosts.push(`${new URL(res.url()).pathname} → ${res.status()}`);
  });
  await page.goto(url, { waitUntil: 'load', timeout: 30000 });
  await page.waitForFunction(() => typeof window.initSkylink === 'function', null, { timeout: 30000 });
  return page;
}

export async function socketTrace(page) {
  return page.evaluate(() => window.__socketTrace.map((e) => (e.dir === 'socket' ? `socket ${e.url}` : `${e.dir} ${e.type}`)));
}

/** The page's socket trace as recorded: [{dir: 'out'|'in'|'held'|'socket', type, t}]. */
export async function socketTraceRaw(page) {
  return page.evaluate(() => window.__socketTrace.map((e) => ({ ...e })));
}

/**
 * Whether two pages' enters crossed at the server: each page sent its enter only after the
 * other page had its inRoom, so each enter reached a room that already held the other page.
 */
export async function entersCrossed(a, b) {
  const [ta, tb] = await Promise.all([socketTraceRaw(a), socketTraceRaw(b)]);
  const time = (trace, dir, type) => (trace.find((e) => e.dir === dir && e.type === type) || {}).t;
  const aEnter = time(ta, 'out', 'enter');
  const bEnter = time(tb, 'out', 'enter');
  const aIn = time(ta, 'in', 'inRoom');
  const bIn = time(tb, 'in', 'inRoom');
  return aEnter >= bIn && bEnter >= aIn;
}

/** pageDiagnostics plus the page's socket trace. */
export async function releaseDiagnostics(page) {
  let trace;
  try { trace = (await socketTrace(page)).join(' | '); } catch (e) { trace = `(unavailable: ${e.message})`; }
  return `${await pageDiagnostics(page)}\n--- ${page.label} socket trace ---\n${trace}`;
}

/** Number of enters the page holds. */
export function heldEnters(page) {
  return page.evaluate(() => window.__heldEnters.length);
}

/** Sends the held enters; returns how many. */
export function releaseEnters(page) {
  return page.evaluate(() => window.__releaseEnters());
}

/** State of the page's remote <video> for a peer. */
export function remoteVideoState(page, peerId) {
  return page.evaluate((id) => {
    const v = window.videos[id];
    if (!v) return null;
    return { videoWidth: v.videoWidth, videoHeight: v.videoHeight, currentTime: v.currentTime, paused: v.paused, readyState: v.readyState };
  }, peerId);
}

/**
 * Waits until the page's remote <video> of peerId plays what a user would see: a picture
 * (videoWidth > 0) and time advancing by at least 0.3 s over a later sample.
 */
export async function waitForRemoteVideo(page, peerId, { timeoutMs = 30000, what = 'remote video' } = {}) {
  try {
    await page.waitForFunction((id) => {
      const v = window.videos[id];
      return !!v && v.videoWidth > 0 && v.currentTime > 0 && !v.paused;
    }, peerId, { timeout: timeoutMs, polling: 100 });
    const t0 = (await remoteVideoState(page, peerId)).currentTime;
    await page.waitForFunction(({ id, t0 }) => {
      const v = window.videos[id];
      return !!v && v.currentTime > t0 + 0.3;
    }, { id: peerId, t0 }, { timeout: 15000, polling: 100 });
  } catch (e) {
    throw new Error(`${page.label}: ${what} (peer ${peerId}) does not play: ${JSON.stringify(await remoteVideoState(page, peerId).catch(() => null))} ` +
      `(${e.message.split('\n')[0]})\n${await releaseDiagnostics(page)}`);
  }
}
