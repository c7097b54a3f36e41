// End to end: the real SkylinkJS 0.6.37 from npm, unmodified, in an SFU room. 0.6.x keeps one
// RTCPeerConnection per remote peer: its uplink to MCU carries what it publishes, and aerie
// answers each of its connections to another peer as that peer, with that peer's tracks (a
// downlink; ../shared/design/sfu.md §1.3, §1.7). Then one room with a page of each kind: 0.6.37,
// 2.7.2 and aerie's own library. Run inside a network namespace with only `lo` (tests/e2e/run.sh).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie } from '../lib/server.mjs';
import { launchChromium, newContext, openPage, waitForEvent, pageDiagnostics, peerConnectionProbe } from '../lib/browser.mjs';
import { buildClient, routeLibraryPages, waitForPlayingVideos } from '../lib/library.mjs';
import { routeReleasePages, openReleasePage, releaseDiagnostics, waitForRemoteVideo } from '../lib/releases.mjs';

let server;
let browser;
let context;
let pages;
let urls;

before(async () => {
  buildClient();
  server = await startAerie({ apps: [{ name: 'sfu-legacy', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'sfu'] }] });
  browser = await launchChromium();
  context = await newContext(browser);
  await context.addInitScript(peerConnectionProbe);
  pages = await routeReleasePages(context, server.httpsUrl, ['0.6.37', '2.7.2']);
  urls = await routeLibraryPages(context, server.httpUrl, server.app.appKey);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (pages) await pages.cleanup();
  if (server) await server.stop();
});

async function join06(room, label) {
  const page = await openReleasePage(context, pages.url('0.6.37'), `0.6.37 ${label}`);
  const init = await page.evaluate((o) => window.initSkylink(o), {
    appKey: server.app.appKey, defaultRoom: room, roomServer: `//127.0.0.1:${server.port}`, statsServer: `//127.0.0.1:${server.port}`,
  });
  assert.equal(init.error, null, `${label}: init: ${JSON.stringify(init.error)}`);
  const r = await page.evaluate((o) => window.joinSkylinkRoom(o), { audio: true, video: true, userData: label });
  assert.equal(r.error, null, `${label}: joinRoom: ${JSON.stringify(r.error)}\n${await releaseDiagnostics(page)}`);
  page.peerId = r.peerId || (await waitForEvent(page, (e) => e.name === 'peerJoined' && e.isSelf, null, { timeoutMs: 30000 })).peerId;
  return page;
}

async function join27(room, label) {
  const page = await openReleasePage(context, pages.url('2.7.2'), `2.7.2 ${label}`);
  await page.evaluate((o) => window.initSkylink(o), { appKey: server.app.appKey, defaultRoom: room, roomServer: `//127.0.0.1:${server.port}` });
  const r = await page.evaluate((o) => window.joinSkylinkRoom(o), { roomName: room, audio: true, video: true, userData: label });
  assert.equal(r.error, null, `${label}: joinRoom: ${JSON.stringify(r.error)}`);
  page.peerId = (await waitForEvent(page, (e) => e.name === 'peerJoined' && e.isSelf, null, { timeoutMs: 30000 })).peerId;
  return page;
}

const plays = (me, other) => waitForRemoteVideo(me, other.peerId, { what: `${other.label}'s video at ${me.label}` })
  .catch(async (e) => { throw new Error(`${e.message}\n${await releaseDiagnostics(me)}`); });

describe('SFU room: SkylinkJS 0.6.37', () => {
  test('three pages: everyone plays everyone through aerie; a leaver is gone', { timeout: 180000 }, async () => {
    const room = `sfu-06-${process.pid}`;
    const a = await join06(room, 'A');
    const b = await join06(room, 'B');
    const c = await join06(room, 'C');
    try {
      const all = [a, b, c];
      await Promise.all(all.flatMap((me) => all.filter((o) => o !== me).map((o) => plays(me, o))));
      // Every connection ends at aerie: the uplink and one downlink per other peer.
      const mediaPort = Number(/media.*listening.*?port[=":\s]+(\d+)/.exec(server.log())[1]);
      for (const p of all) {
        const pairs = (await p.evaluate(() => window.__selectedPairs())).filter((x) => x.state === 'connected');
        assert.equal(pairs.length, 3, `${p.label}: the uplink and two downlinks: ${JSON.stringify(pairs)}`);
        for (const x of pairs) assert.ok(x.remotePort >= mediaPort && x.remotePort < mediaPort + 2, `${p.label}: to aerie: ${JSON.stringify(x)}`);
      }
      // P2P message over the uplink's data channel, passed on by aerie.
      await a.evaluate(() => window.skylink.sendP2PMessage('0.6.37 through the MCU'));
      for (const p of [b, c]) {
        const ev = await waitForEvent(p, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content === '0.6.37 through the MCU', null,
          { what: `A's P2P message at ${p.label}`, timeoutMs: 20000 });
        assert.equal(ev.peerId, a.peerId);
        assert.equal(ev.isDataChannel, true);
      }
      const r = await c.evaluate(() => window.leaveSkylinkRoom());
      assert.equal(r.error, null);
      for (const p of [a, b]) {
        await waitForEvent(p, (e, id) => e.name === 'peerLeft' && e.peerId === id, c.peerId, { what: `C gone at ${p.label}`, timeoutMs: 20000 });
      }
      await plays(a, b);
      await plays(b, a);
    } finally {
      for (const p of [a, b, c]) await p.close().catch(() => {});
    }
  });
});

describe('SFU room: the 0.6.37 restart', () => {
  // 0.6.x cannot renegotiate its uplink to the MCU (unless mcuUseRenegoRestart): sendStream()
  // leaves the room and joins it again with the new stream, under a new peer id. The others
  // see it leave, see it join, and play its new stream; it plays theirs again.
  test('sendStream() leaves and rejoins: both pages play each other again', { timeout: 180000 }, async () => {
    const room = `sfu-06-restart-${process.pid}`;
    const a = await join06(room, 'A');
    const b = await join06(room, 'B');
    try {
      await Promise.all([plays(a, b), plays(b, a)]);
      const before = a.peerId;
      const r = await a.evaluate(() => new Promise((resolve) => {
        window.skylink.sendStream({ audio: true, video: true }, (error) => resolve({ error: error ? String(error.message || JSON.stringify(error)) : null }));
      }));
      assert.equal(r.error, null, `A: sendStream: ${r.error}\n${await releaseDiagnostics(a)}`);
      a.peerId = await a.evaluate(() => window.skylink._user && window.skylink._user.sid);
      assert.ok(a.peerId && a.peerId !== before, `A rejoined under a new peer id (${before} → ${a.peerId})`);
      await waitForEvent(b, (e, id) => e.name === 'peerLeft' && e.peerId === id, before, { what: "A's first session gone at B", timeoutMs: 20000 });
      await Promise.all([plays(a, b), plays(b, a)]);
    } finally {
      for (const p of [a, b]) await p.close().catch(() => {});
    }
  });
});

describe('SFU room: 0.6.37, 2.7.2 and our library together', () => {
  test('everyone plays everyone', { timeout: 180000 }, async () => {
    const room = `sfu-mix-${process.pid}`;
    const old = await join06(room, 'old');
    const modern = await join27(room, 'modern');
    const ours = await openPage(context, urls.harness('ours'), 'ours');
    try {
      assert.equal((await ours.evaluate((o) => window.initSkylink(o), { appKey: server.app.appKey, defaultRoom: room })).error, null);
      const j = await ours.evaluate((m) => window.joinSkylinkRoom(null, m), { audio: true, video: true, userData: 'ours' });
      assert.equal(j.error, null, `ours: joinRoom: ${JSON.stringify(j.error)}`);
      ours.peerId = j.peerId;
      await Promise.all([plays(old, modern), plays(old, ours), plays(modern, old), plays(modern, ours)]);
      let vids;
      try { vids = await waitForPlayingVideos(ours, 2, 40000); } catch (e) { assert.fail(`${e.message}\n${await pageDiagnostics(ours)}`); }
      for (const o of [old, modern]) assert.ok(vids.some((v) => v.id === o.peerId), `ours plays ${o.label}: ${JSON.stringify(vids)}`);
    } finally {
      for (const p of [old, modern, ours]) await p.close().catch(() => {});
    }
  });
});
