// Helpers for the end-to-end tests of Aerie's own browser library (client/): build it, serve the
// library-*.html fixtures from Aerie's origin, and read state out of the pages.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, SKYLINK_JS } from './browser.mjs';
import { repoRoot } from './server.mjs';

export const CLIENT_DIR = path.join(repoRoot, 'client');
export const LIB_PREFIX = '/library-e2e/';

/** Builds client/dist (fast, esbuild only) unless AERIE_SKIP_CLIENT_BUILD=1. */
export function buildClient() {
  if (process.env.AERIE_SKIP_CLIENT_BUILD === '1' && existsSync(path.join(CLIENT_DIR, 'dist', 'skylink.complete.min.js'))) return;
  if (!existsSync(path.join(CLIENT_DIR, 'node_modules', 'esbuild'))) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: CLIENT_DIR, stdio: 'inherit' });
  }
  execFileSync(process.execPath, [path.join(CLIENT_DIR, 'scripts', 'build.mjs'), '--no-types'], { cwd: CLIENT_DIR, stdio: 'pipe' });
}

/** The seed page, with its key (and room) filled in: only these strings change. */
export function seedPage(appKey, room) {
  let html = readFileSync(path.join(FIXTURES, 'library-seed.html'), 'utf8');
  html = html.replace("'Your App key'", JSON.stringify(appKey).replace(/"/g, "'"));
  if (room) html = html.replace("'Pick a room name'", `'${room}'`);
  return html;
}

/**
 * Serves pages under `${origin}/library-e2e/` through Playwright routing: `seed.html?key=..&room=..`
 * and `harness.html?lib=ours|real`. Scripts and API calls go to Aerie itself.
 */
export async function routeLibraryPages(context, origin, appKey) {
  await context.route(`${origin}${LIB_PREFIX}**`, async (route) => {
    const url = new URL(route.request().url());
    const name = url.pathname.slice(LIB_PREFIX.length);
    let body = null;
    if (name === 'seed.html') body = seedPage(url.searchParams.get('key') || appKey, url.searchParams.get('room'));
    else if (name === 'harness.html') body = readFileSync(path.join(FIXTURES, 'library-harness.html'), 'utf8');
    if (body === null) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, body, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
  });
  return {
    seed: (room) => `${origin}${LIB_PREFIX}seed.html?key=${encodeURIComponent(appKey)}${room ? `&room=${encodeURIComponent(room)}` : ''}`,
    harness: (lib = 'ours') => `${origin}${LIB_PREFIX}harness.html?lib=${lib}`,
  };
}

/** Video state of every <video> in the page except #myvideo: [{id, videoWidth, currentTime, paused}]. */
export async function remoteVideos(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll('video'))
    .filter((v) => v.id !== 'myvideo')
    .map((v) => ({ id: v.id || v.dataset.peer, videoWidth: v.videoWidth, videoHeight: v.videoHeight, currentTime: v.currentTime, paused: v.paused })));
}

/** Waits until the page shows `count` remote videos that play (width > 0, time advancing). */
export async function waitForPlayingVideos(page, count, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let last = [];
  while (Date.now() < deadline) {
    const a = await remoteVideos(page);
    const ready = a.filter((v) => v.videoWidth > 0 && v.currentTime > 0);
    if (ready.length >= count) {
      await new Promise((r) => setTimeout(r, 700));
      const b = await remoteVideos(page);
      const advancing = b.filter((v) => { const o = a.find((x) => x.id === v.id); return o && v.videoWidth > 0 && v.currentTime > o.currentTime + 0.2; });
      if (advancing.length >= count) return b;
      last = b;
    } else {
      last = a;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${page.label}: expected ${count} playing remote videos, have ${JSON.stringify(last)}`);
}

/**
 * A Node static server on its own port (cross-origin to aerie) that serves the harness as a real
 * page, for browsers without request routing (Firefox under puppeteer), and for the Chromium
 * pages that share a room with them: `/library-e2e/harness.html`, and the two scripts it loads,
 * `/skylink.complete.min.js` (client/dist) and `/vendor/skylinkjs/skylink.complete.js` (npm
 * SkylinkJS 0.6.37). Pages served here must pass `roomServer` (aerie's origin) to init().
 */
export async function startLibraryPageServer() {
  const http = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const files = {
    [`${LIB_PREFIX}harness.html`]: [path.join(FIXTURES, 'library-harness.html'), 'text/html; charset=utf-8'],
    '/skylink.complete.min.js': [path.join(CLIENT_DIR, 'dist', 'skylink.complete.min.js'), 'application/javascript'],
    '/vendor/skylinkjs/skylink.complete.js': [SKYLINK_JS, 'application/javascript'],
  };
  const srv = http.createServer(async (req, res) => {
    const f = files[new URL(req.url, 'http://x').pathname];
    try {
      if (!f) throw new Error('not found');
      const body = await readFile(f[0]);
      res.writeHead(200, { 'Content-Type': f[1], 'Cache-Control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404); res.end('not found');
    }
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${srv.address().port}`;
  return {
    origin,
    harness: (lib = 'ours') => `${origin}${LIB_PREFIX}harness.html?lib=${lib}`,
    close: () => new Promise((resolve) => { srv.closeAllConnections?.(); srv.close(() => resolve()); }),
  };
}
