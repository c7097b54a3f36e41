// End to end: an auto room (app media mode `auto`). It starts as a mesh; when the join of a
// peer makes it larger than auto-sfu-peers (4) it goes through aerie's SFU, and when it shrinks
// below that it is a mesh again, without anyone leaving the room. Five pages of aerie's own
// library at 320x240@15 (the most this machine runs at once). Run inside a network namespace
// with only `lo` (tests/e2e/run.sh).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie } from '../lib/server.mjs';
import { launchChromium, newContext, openPage, pageDiagnostics, peerConnectionProbe, waitForEvent } from '../lib/browser.mjs';
import { buildClient, routeLibraryPages, waitForPlayingVideos } from '../lib/library.mjs';

let server;
let browser;
let context;
let urls;
const pages = [];

before(async () => {
  buildClient();
  server = await startAerie({ apps: [{ name: 'auto', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'auto'] }] });
  browser = await launchChromium();
  context = await newContext(browser);
  await context.addInitScript(peerConnectionProbe);
  urls = await routeLibraryPages(context, server.httpUrl, server.app.appKey);
});

after(async () => {
  for (const p of pages) await p.close().catch(() => {});
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (server) await server.stop();
});

const ROOM = `auto-${process.pid}`;

async function join(label) {
  const page = await openPage(context, urls.harness('ours'), label);
  assert.equal((await page.evaluate((o) => window.initSkylink(o), { appKey: server.app.appKey, defaultRoom: ROOM })).error, null);
  const j = await page.evaluate((m) => window.joinSkylinkRoom(null, m), {
    audio: true, video: { resolution: { width: 320, height: 240 }, frameRate: 15 }, userData: label,
  });
  assert.equal(j.error, null, `${label}: joinRoom: ${JSON.stringify(j.error)}`);
  page.peerId = j.peerId;
  pages.push(page);
  return page;
}

// The page's live connections: how many, and whether each ends at aerie's media port.
async function connections(page, mediaPort) {
  const pairs = (await page.evaluate(() => window.__selectedPairs())).filter((p) => p.state === 'connected');
  return { count: pairs.length, toAerie: pairs.filter((p) => p.remotePort >= mediaPort && p.remotePort < mediaPort + 2).length };
}

async function waitFor(check, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last === true) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`${what}: ${JSON.stringify(last)}`);
}

describe('auto room: mesh, then SFU past four peers, then mesh again', () => {
  test('four pages play each other over a mesh', { timeout: 120000 }, async () => {
    for (const l of ['A', 'B', 'C', 'D']) await join(l);
    for (const p of pages) {
      try { await waitForPlayingVideos(p, 3, 40000); } catch (e) { assert.fail(`${e.message}\n${await pageDiagnostics(p)}`); }
    }
    const mediaPort = Number(/media.*listening.*?port[=":\s]+(\d+)/.exec(server.log())[1]);
    for (const p of pages) {
      const c = await connections(p, mediaPort);
      assert.deepEqual(c, { count: 3, toAerie: 0 }, `${p.label}: three peer-to-peer connections`);
    }
  });

  test('a fifth joins: everyone plays everyone through the SFU, one connection each, to aerie', { timeout: 120000 }, async () => {
    const mediaPort = Number(/media.*listening.*?port[=":\s]+(\d+)/.exec(server.log())[1]);
    const started = Date.now();
    await join('E');
    for (const p of pages) {
      await waitFor(async () => {
        const c = await connections(p, mediaPort);
        return (c.count === 1 && c.toAerie === 1) || c;
      }, `${p.label}: one connection, to aerie`, 30000);
    }
    for (const p of pages) {
      try { await waitForPlayingVideos(p, 4, 30000); } catch (e) { assert.fail(`${e.message}\n${await pageDiagnostics(p)}`); }
    }
    const took = Date.now() - started;
    console.log(`# switch to the SFU: all five pages on one connection to aerie and playing the four others ${took} ms after the join`);
    for (const p of pages) assert.ok(await p.evaluate(() => window.skylink.hasMCU), `${p.label}: hasMCU after the switch`);
  });

  test('two leave: the three left play each other over a mesh again', { timeout: 120000 }, async () => {
    const mediaPort = Number(/media.*listening.*?port[=":\s]+(\d+)/.exec(server.log())[1]);
    const leavers = pages.splice(3, 2);
    for (const p of leavers) {
      await p.evaluate(() => new Promise((r) => window.skylink.leaveRoom(() => r())));
      await p.close();
    }
    for (const p of pages) {
      for (const l of leavers) {
        await waitForEvent(p, (e, id) => e.name === 'peerLeft' && e.peerId === id, l.peerId, { what: `${l.label} left, at ${p.label}`, timeoutMs: 20000 });
      }
    }
    for (const p of pages) {
      await waitFor(async () => {
        const c = await connections(p, mediaPort);
        return (c.count === 2 && c.toAerie === 0) || c;
      }, `${p.label}: two peer-to-peer connections`, 30000);
    }
    for (const p of pages) {
      try { await waitForPlayingVideos(p, 2, 30000); } catch (e) { assert.fail(`${e.message}\n${await pageDiagnostics(p)}`); }
      assert.equal(await p.evaluate(() => window.skylink.hasMCU), false, `${p.label}: a mesh again`);
    }
    // Nobody left the room but the two.
    for (const p of pages) {
      const left = (await p.evaluate(() => window.events.filter((e) => e.name === 'peerLeft').map((e) => e.peerId)));
      assert.deepEqual(left.sort(), leavers.map((l) => l.peerId).sort(), `${p.label}: only the two leavers left`);
    }
  });
});
