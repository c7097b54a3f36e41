// Chromium (Debian's /usr/bin/chromium) driven by playwright-core, set up as the WebRTC testing
// note says: fake media, loopback ICE, no background traffic. Pages are served either from the
// Aerie origin through Playwright routing (same-origin, as when Aerie serves its static files), or
// from a tiny Node static server on another port (cross-origin: CORS preflight to the API).
import { chromium } from 'playwright-core';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const FIXTURES = path.resolve(here, '..', 'e2e', 'fixtures');
export const SKYLINK_JS = path.join(path.dirname(require.resolve('skylinkjs/package.json')), 'publish', 'skylink.complete.js');
export const PAGE_PREFIX = '/aerie-e2e/';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  // Aerie's certificate is self-signed; SkylinkJS 0.6 forces https/wss to the same port.
  '--ignore-certificate-errors',
  '--autoplay-policy=no-user-gesture-required',
  // A page fulfilled by Playwright routing has no IP address space of its own, so Chromium's
  // Local Network Access checks treat it as public and block its wss:// to 127.0.0.1
  // (net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS). A page really served from loopback, or
  // a public page talking to its own public server, is not affected: this is a test artifact.
  '--disable-features=LocalNetworkAccessChecks,LocalNetworkAccessChecksWebSockets,LocalNetworkAccessChecksWebRTC',
];

/**
 * options.fakeDevices: parameters of Chromium's fake capture devices, e.g. 'device-count=2' (two
 * fake cameras; the microphones are always "default" plus two). Without it, the default flag.
 */
export async function launchChromium(options = {}) {
  const args = options.fakeDevices
    ? CHROMIUM_ARGS.map((a) => (a === '--use-fake-device-for-media-stream' ? `${a}=${options.fakeDevices}` : a))
    : CHROMIUM_ARGS;
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless: true,
    args,
    timeout: 30000,
  });
}

export async function newContext(browser) {
  const context = await browser.newContext({
    viewport: { width: 640, height: 480 },
    ignoreHTTPSErrors: true,
  });
  await context.grantPermissions(['camera', 'microphone']);
  // Also the Local Network Access permission where this Chromium knows it (see CHROMIUM_ARGS).
  await context.grantPermissions(['local-network-access']).catch(() => {});
  return context;
}

async function fixture(name) {
  if (name === 'skylink.complete.js') return { body: await readFile(SKYLINK_JS), type: 'application/javascript' };
  if (name === 'page-helpers.js') return { body: await readFile(path.join(FIXTURES, name)), type: 'application/javascript' };
  if (name === '' || name === 'index.html') return { body: await readFile(path.join(FIXTURES, 'index.html')), type: 'text/html; charset=utf-8' };
  return null;
}

// Serve the fixture page at `${origin}/aerie-e2e/` from the test itself; all other requests
// (the API, socket.io, stats) go to the real server at that origin.
export async function routePageFromOrigin(context, origin) {
  await context.route(`${origin}${PAGE_PREFIX}**`, async (route) => {
    const url = new URL(route.request().url());
    const f = await fixture(url.pathname.slice(PAGE_PREFIX.length));
    if (!f) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, body: f.body, headers: { 'Content-Type': f.type, 'Cache-Control': 'no-store' } });
  });
  return `${origin}${PAGE_PREFIX}index.html`;
}

// A static server for the fixture page on its own port (cross-origin to Aerie).
export async function startStaticServer() {
  const srv = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const name = url.pathname.startsWith(PAGE_PREFIX) ? url.pathname.slice(PAGE_PREFIX.length) : null;
    const f = name === null ? null : await fixture(name);
    if (!f) { res.writeHead(404); res.end('not found'); return; }
    res.writeHead(200, { 'Content-Type': f.type, 'Cache-Control': 'no-store' });
    res.end(f.body);
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = srv.address().port;
  return {
    port,
    url: `http://127.0.0.1:${port}${PAGE_PREFIX}index.html`,
    close: () => new Promise((resolve) => { srv.closeAllConnections?.(); srv.close(() => resolve()); }),
  };
}

// Opens the page and keeps its console output for diagnostics.
// options.noWebSocket: remove window.WebSocket before the page's scripts run, so SkylinkJS
// starts with XHR long-polling (its fallback when WebSocket is unavailable).
export async function openPage(context, url, label, options = {}) {
  const page = await context.newPage();
  if (options.noWebSocket) {
    await page.addInitScript(() => {
      try { delete window.WebSocket; } catch (e) { /* non-configurable */ }
      window.WebSocket = undefined;
    });
  }
  page.label = label;
  page.consoleLines = [];
  page.on('console', (msg) => {
    page.consoleLines.push(`[${label} ${msg.type()}] ${msg.text()}`);
    if (page.consoleLines.length > 400) page.consoleLines.shift();
  });
  page.on('pageerror', (err) => page.consoleLines.push(`[${label} pageerror] ${err.message}`));
  await page.goto(url, { waitUntil: 'load', timeout: 20000 });
  return page;
}

export async function events(page, name) {
  const all = await page.evaluate(() => window.events);
  return name ? all.filter((e) => e.name === name) : all;
}

// A readable account of a page for assertion messages.
export async function pageDiagnostics(page) {
  let evs = [];
  try { evs = await page.evaluate(() => window.events.map((e) => JSON.stringify(e))); } catch (e) { evs = [`(events unavailable: ${e.message})`]; }
  return `--- ${page.label} events ---\n${evs.slice(-60).join('\n')}\n--- ${page.label} console ---\n${page.consoleLines.slice(-40).join('\n')}`;
}

// Waits until the page recorded an event matching pred (a function source run in the page).
export async function waitForEvent(page, predicateSource, arg, { timeoutMs = 20000, what = 'event' } = {}) {
  try {
    const handle = await page.waitForFunction(
      ({ src, arg }) => {
        // eslint-disable-next-line no-new-func
        const pred = new Function('e', 'arg', `return (${src})(e, arg);`);
        return window.events.find((e) => pred(e, arg)) || null;
      },
      { src: predicateSource.toString(), arg },
      { timeout: timeoutMs, polling: 100 },
    );
    return await handle.jsonValue();
  } catch (e) {
    throw new Error(`${page.label}: no ${what} within ${timeoutMs} ms (${e.message.split('\n')[0]})\n${await pageDiagnostics(page)}`);
  }
}

/**
 * An init script (context.addInitScript(peerConnectionProbe)) that keeps every
 * RTCPeerConnection the page makes in window.__peerConnections, and adds:
 *   window.__negotiated() — those given a remote description and not closed (SDKs also make
 *     throwaway ones to learn codecs): [{state, receivers, sections}]
 *   window.__selectedPairs() — for those, the selected candidate pair's remote end:
 *     [{state, remotePort, remoteType, remoteProtocol, localPort}]
 */
export function peerConnectionProbe() {
  const made = [];
  window.__peerConnections = made;
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    made.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
  const negotiated = () => made.filter((pc) => pc.connectionState !== 'closed' && pc.remoteDescription);
  window.__negotiated = () => negotiated().map((pc) => ({
    state: pc.connectionState,
    receivers: pc.getReceivers().filter((r) => r.track).length,
    sections: pc.getTransceivers().filter((t) => t.mid).length,
  }));
  window.__selectedPairs = async () => {
    const out = [];
    for (const pc of negotiated()) {
      const stats = await pc.getStats();
      let pair = null;
      stats.forEach((s) => {
        if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
      });
      const remote = pair && stats.get(pair.remoteCandidateId);
      const local = pair && stats.get(pair.localCandidateId);
      out.push({ state: pc.connectionState, remotePort: remote ? remote.port : null, remoteType: remote ? remote.candidateType : null,
        remoteProtocol: remote ? remote.protocol : null, localPort: local ? local.port : null });
    }
    return out;
  };
}
