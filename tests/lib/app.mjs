// Helpers for the end-to-end tests of the conferencing app (webapp/): build it, start aerie so
// that it serves the app with its development key, open app pages, and read the app's DOM.
//
// The app is served by aerie itself (webapp/dist at /, room.html for /r/<room>), so the pages
// here are real pages of the server, not fixtures. They find the app key at /app-config.json.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { newContext, pageDiagnostics } from './browser.mjs';
import { buildClient } from './library.mjs';
import { createApp, repoRoot, startAerie } from './server.mjs';

export const WEBAPP_DIR = path.join(repoRoot, 'webapp');

/** Builds webapp/dist (and client/dist, which the room page loads) unless AERIE_SKIP_WEBAPP_BUILD=1. */
export function buildWebapp() {
  buildClient();
  if (process.env.AERIE_SKIP_WEBAPP_BUILD === '1' && existsSync(path.join(WEBAPP_DIR, 'dist', 'room.html'))) return;
  if (!existsSync(path.join(WEBAPP_DIR, 'node_modules', 'esbuild'))) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: WEBAPP_DIR, stdio: 'inherit' });
  }
  execFileSync(process.execPath, [path.join(WEBAPP_DIR, 'scripts', 'build.mjs'), '--no-typecheck'], { cwd: WEBAPP_DIR, stdio: 'pipe' });
}

/**
 * Starts aerie with an empty data directory, so that it creates its development key and serves
 * it at /app-config.json, as on a first `scripts/run.sh`. Returns the server and the key.
 * If this aerie does not serve /app-config.json, the key is made with `aerie app create` and
 * each context gets the file through routing (see appContext).
 */
export async function startAerieForApp(options = {}) {
  const server = await startAerie({ ...options, apps: [] });
  let appKey = '';
  let served = false;
  try {
    const res = await fetch(`${server.httpUrl}/app-config.json`);
    if (res.ok) {
      const body = await res.json();
      if (typeof body.appKey === 'string' && body.appKey) { appKey = body.appKey; served = true; }
    }
  } catch { /* fall back below */ }
  if (!appKey) appKey = (await createApp(server.dataDir, { name: 'webapp-e2e' })).appKey;
  return { server, appKey, configServed: served };
}

/** A browser context (640x480, media permissions) that also has /app-config.json if aerie lacks it. */
export async function appContext(browser, env, options = {}) {
  const ctx = options.viewport ? await newContextWithViewport(browser, options.viewport) : await newContext(browser);
  if (!env.configServed) {
    await ctx.route(`${env.server.httpUrl}/app-config.json`, (route) => route.fulfill({
      status: 200, contentType: 'application/json', body: JSON.stringify({ appKey: env.appKey, roomServer: '' }),
    }));
  }
  return ctx;
}

async function newContextWithViewport(browser, viewport) {
  const context = await browser.newContext({ viewport, ignoreHTTPSErrors: true, deviceScaleFactor: viewport.deviceScaleFactor || 1, isMobile: !!viewport.isMobile, hasTouch: !!viewport.isMobile });
  await context.grantPermissions(['camera', 'microphone']);
  await context.grantPermissions(['local-network-access']).catch(() => {});
  return context;
}

/** Opens a page of the app and keeps its console for diagnostics. */
export async function openAppPage(context, url, label) {
  const page = await context.newPage();
  page.label = label;
  page.consoleLines = [];
  page.on('console', (m) => { page.consoleLines.push(`[${label} ${m.type()}] ${m.text()}`); if (page.consoleLines.length > 400) page.consoleLines.shift(); });
  page.on('pageerror', (e) => page.consoleLines.push(`[${label} pageerror] ${e.message}`));
  await page.goto(url, { waitUntil: 'load', timeout: 20000 });
  return page;
}

export function consoleTail(page, n = 40) {
  return (page.consoleLines || []).slice(-n).join('\n');
}

/** A readable account of an app page: phase, connection, tiles, console. */
export async function appDiagnostics(page) {
  let state = '(state unavailable)';
  try {
    state = await page.evaluate(() => {
      const s = window.aerieApp?.model?.store.get();
      if (!s) return 'no model';
      return JSON.stringify({
        phase: s.phase, connection: s.connection, msg: s.connectionMessage, error: s.error, blocked: s.blocked, selfId: s.selfId,
        locked: s.locked, participants: s.participants.map((p) => ({ key: p.key, name: p.name, a: p.audioMuted, v: p.videoMuted, stream: !!p.stream })),
        transfers: s.feed.filter((f) => f.kind === 'transfer').map((t) => ({ id: t.id, rows: t.rows.map((r) => `${r.peerName}:${r.status}:${r.percentage}${r.error ? ':' + r.error : ''}`) })),
      });
    });
  } catch (e) { state = `(state unavailable: ${e.message})`; }
  return `--- ${page.label} state ---\n${state}\n--- ${page.label} console ---\n${consoleTail(page)}`;
}

/** Runs `fn`; if it throws, fails with the pages' diagnostics appended. */
export async function explained(pages, fn) {
  try {
    return await fn();
  } catch (e) {
    const d = [];
    for (const p of pages) if (p && !p.isClosed()) d.push(await appDiagnostics(p));
    throw new Error(`${e.message}\n${d.join('\n')}`);
  }
}

/** On the setup screen: types the name and clicks Join once init is done. */
export async function joinAs(page, name, { timeoutMs = 20000 } = {}) {
  await page.waitForSelector('#display-name', { timeout: timeoutMs });
  await page.fill('#display-name', name);
  await page.waitForSelector('#btn-join:not([disabled])', { timeout: timeoutMs });
  await page.click('#btn-join');
}

/** Waits until the page is in the call (phase in-call, connected). */
export async function waitInCall(page, timeoutMs = 20000) {
  try {
    await page.waitForFunction(() => {
      const s = window.aerieApp?.model?.store.get();
      return s && s.phase === 'in-call' && s.connection === 'connected' && s.selfId;
    }, null, { timeout: timeoutMs, polling: 100 });
  } catch (e) {
    throw new Error(`${page.label}: not in the call within ${timeoutMs} ms\n${await appDiagnostics(page)}`);
  }
}

/** Every remote tile's video: [{peer, name, videoWidth, currentTime, paused}]. */
export async function remoteTiles(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll('.tile[data-self="false"]')).map((t) => {
    const v = t.querySelector('video');
    return {
      peer: t.dataset.peer, name: t.querySelector('.tile-name')?.textContent, audioMuted: t.dataset.audioMuted === 'true',
      videoMuted: t.dataset.videoMuted === 'true', videoWidth: v?.videoWidth ?? 0, currentTime: v?.currentTime ?? 0, paused: v?.paused ?? true,
    };
  }));
}

/** Waits until exactly `count` remote tiles show video that plays (width > 0, time advancing). */
export async function waitForRemoteVideos(page, count, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let last = [];
  while (Date.now() < deadline) {
    const a = await remoteTiles(page);
    const ready = a.filter((v) => v.videoWidth > 0 && v.currentTime > 0 && !v.paused);
    if (a.length === count && ready.length === count) {
      await new Promise((r) => setTimeout(r, 600));
      const b = await remoteTiles(page);
      const advancing = b.filter((v) => { const o = a.find((x) => x.peer === v.peer); return o && v.videoWidth > 0 && v.currentTime > o.currentTime + 0.15; });
      if (b.length === count && advancing.length === count) return b;
      last = b;
    } else {
      last = a;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${page.label}: expected ${count} playing remote videos, have ${JSON.stringify(last)}\n${await appDiagnostics(page)}`);
}

/** The remote tile showing `name`, as seen on `page` (null if none). */
export async function tileOf(page, name) {
  const tiles = await remoteTiles(page);
  return tiles.find((t) => t.name === name) ?? null;
}

export { pageDiagnostics };

/**
 * A network drop for one browser context, between its pages and aerie: every signaling
 * WebSocket goes through Playwright (routeWebSocket, forwarded to the server), so `cut()` can
 * close them all and refuse new ones, API calls and polling requests fail, until `restore()`.
 * Media between browsers is not touched (it does not pass through aerie).
 */
export async function cuttableNetwork(context, origin) {
  let down = false;
  const open = new Set();
  const wsOrigin = origin.replace(/^http/, 'ws');
  await context.routeWebSocket((url) => url.href.startsWith(wsOrigin) && url.pathname.startsWith('/socket.io/'), (ws) => {
    if (down) { ws.close({ code: 1011, reason: 'network down (test)' }); return; }
    const server = ws.connectToServer();
    const pair = { ws, server };
    open.add(pair);
    ws.onClose(() => { open.delete(pair); server.close(); });
    server.onClose(() => { open.delete(pair); ws.close(); });
  });
  await context.route((url) => url.href.startsWith(origin) && (url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io/')), (route) => {
    if (down) return route.abort('internetdisconnected');
    return route.fallback();
  });
  return {
    cut() {
      down = true;
      for (const { ws, server } of [...open]) {
        server.close({ code: 1011, reason: 'network down (test)' });
        ws.close({ code: 1011, reason: 'network down (test)' });
      }
      open.clear();
    },
    restore() { down = false; },
    get openSockets() { return open.size; },
  };
}

/**
 * Writes a short Y4M clip for Chromium's --use-file-for-fake-video-capture: a coloured backdrop
 * with a head-and-shoulders silhouette that bobs a little, so screenshots show people that look
 * different from each other instead of the same test pattern four times.
 */
export async function writeFakeCamera(file, { backdrop = [40, 90, 160], figure = [230, 190, 160], shirt = [30, 40, 60], frames = 12, width = 640, height = 480 } = {}) {
  const { open } = await import('node:fs/promises');
  const yuv = ([r, g, b]) => [
    Math.round(0.299 * r + 0.587 * g + 0.114 * b),
    Math.round(-0.169 * r - 0.331 * g + 0.5 * b + 128),
    Math.round(0.5 * r - 0.419 * g - 0.081 * b + 128),
  ];
  const fh = await open(file, 'w');
  await fh.write(`YUV4MPEG2 W${width} H${height} F20:1 Ip A1:1 C420jpeg\n`);
  const cw = width / 2;
  const ch = height / 2;
  for (let f = 0; f < frames; f++) {
    const bob = Math.round(4 * Math.sin((2 * Math.PI * f) / frames));
    const colourAt = (x, y) => {
      const hx = width / 2; const hy = height * 0.4 + bob; const hr = height * 0.17;
      if ((x - hx) ** 2 + (y - hy) ** 2 < hr * hr) return figure;
      const sx = width / 2; const sy = height * 1.02 + bob; const rx = width * 0.3; const ry = height * 0.38;
      if (((x - sx) / rx) ** 2 + ((y - sy) / ry) ** 2 < 1) return shirt;
      const shade = 0.75 + 0.25 * (1 - y / height);
      return backdrop.map((c) => Math.round(c * shade));
    };
    const Y = Buffer.alloc(width * height);
    const U = Buffer.alloc(cw * ch);
    const V = Buffer.alloc(cw * ch);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) Y[y * width + x] = yuv(colourAt(x, y))[0];
    for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) { const [, u, v] = yuv(colourAt(2 * x + 1, 2 * y + 1)); U[y * cw + x] = u; V[y * cw + x] = v; }
    await fh.write('FRAME\n');
    await fh.write(Y); await fh.write(U); await fh.write(V);
  }
  await fh.close();
}
