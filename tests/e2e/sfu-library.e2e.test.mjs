// End to end: Aerie's own browser library (client/, /skylink.complete.min.js) in an SFU room (the
// app's media mode is `sfu`, the room API says hasMCU). The page's code does not change: the
// library talks to aerie's MCU over one RTCPeerConnection and turns what the MCU forwards into the
// same events a mesh room gives (peerJoined, incomingStream per remote peer, streamMuted,
// peerUpdated, peerLeft). First the seed page, unchanged, in two pages; then three instrumented
// harness pages. At most 3 pages are open at once. Run inside a network namespace with only `lo`:
//   unshare -n sh -c 'ip link set lo up; exec node --test --test-concurrency=1 tests/e2e/sfu-library.e2e.test.mjs'
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startAerie, request } from '../lib/server.mjs';
import { launchChromium, newContext, openPage, events, pageDiagnostics, waitForEvent, peerConnectionProbe } from '../lib/browser.mjs';
import { buildClient, routeLibraryPages, waitForPlayingVideos } from '../lib/library.mjs';
import { routeReleasePages, openReleasePage, releaseDiagnostics, waitForRemoteVideo } from '../lib/releases.mjs';

const STEP = { timeout: 120000 };

let server;
let browser;
let context;
let urls;
let releases;

before(async () => {
  buildClient();
  server = await startAerie({ apps: [{ name: 'sfu-lib', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'sfu'] }] });
  browser = await launchChromium();
  context = await newContext(browser);
  await context.addInitScript(peerConnectionProbe);
  urls = await routeLibraryPages(context, server.httpUrl, server.app.appKey);
  releases = await routeReleasePages(context, server.httpsUrl, ['2.7.2']);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (releases) await releases.cleanup();
  if (server) await server.stop();
});

function consoleOf(page) { return (page.consoleLines || []).slice(-40).join('\n'); }

async function selfId(page) {
  await page.waitForFunction(() => window.skylink && window.skylink.peerId, null, { timeout: 20000 });
  return page.evaluate(() => window.skylink.peerId);
}

describe('SFU room: the seed page, verbatim but for key and script URL', () => {
  test('two pages: each plays the other\'s video, forwarded by aerie', STEP, async () => {
    const room = `sfu-seed-${process.pid}`;
    const a = await openPage(context, urls.seed(room), 'seed A');
    const b = await openPage(context, urls.seed(room), 'seed B');
    try {
      const [ida, idb] = [await selfId(a), await selfId(b)];
      assert.notEqual(ida, idb);
      for (const [me, otherId] of [[a, idb], [b, ida]]) {
        let vids;
        try { vids = await waitForPlayingVideos(me, 1, 40000); } catch (e) { assert.fail(`${e.message}\n${consoleOf(me)}\n${server.logTail(3000)}`); }
        assert.ok(vids.some((v) => v.id === otherId), `${me.label}: the playing video is the other peer's (id ${otherId}): ${JSON.stringify(vids)}`);
        const pcs = await me.evaluate(() => window.__negotiated());
        assert.equal(pcs.length, 1, `${me.label}: one RTCPeerConnection (to the MCU): ${JSON.stringify(pcs)}`);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('SFU room: three harness pages', () => {
  const room = `sfu-three-${process.pid}`;
  let pages = [];

  async function joinHarness(label) {
    const page = await openPage(context, urls.harness('ours'), label);
    const init = await page.evaluate((o) => window.initSkylink(o), { appKey: server.app.appKey, defaultRoom: room });
    assert.equal(init.error, null, `${label}: init failed: ${JSON.stringify(init.error)}`);
    const j = await page.evaluate((m) => window.joinSkylinkRoom(null, m), { audio: true, video: true, userData: label });
    assert.equal(j.error, null, `${label}: joinRoom failed: ${JSON.stringify(j.error)}\n${await pageDiagnostics(page)}`);
    page.peerId = j.peerId;
    pages.push(page);
    return page;
  }

  const peerJoined = (page, other) => waitForEvent(page, (e, id) => e.name === 'peerJoined' && !e.isSelf && e.peerId === id, other.peerId,
    { what: `peerJoined for ${other.label}`, timeoutMs: 20000 });

  /** Waits until `page` plays a video for each of `others`, in the element made for that peer. */
  async function playsEach(page, others) {
    let vids;
    try { vids = await waitForPlayingVideos(page, others.length, 40000); } catch (e) { assert.fail(`${e.message}\n${await pageDiagnostics(page)}`); }
    for (const o of others) {
      assert.ok(vids.some((v) => v.id === o.peerId && v.videoWidth > 0), `${page.label} plays ${o.label}'s video: ${JSON.stringify(vids)}`);
    }
  }

  before(async () => {
    // One after the other: B finds A in the MCU's welcome (peersInRoom), C finds both; A hears of
    // B and C, and B of C, through the enter the MCU forwards.
    const a = await joinHarness('A');
    const b = await joinHarness('B');
    await peerJoined(a, b);
    const c = await joinHarness('C');
    for (const [me, others] of [[a, [b, c]], [b, [a, c]], [c, [a, b]]]) {
      for (const o of others) await peerJoined(me, o);
    }
  });
  after(async () => { for (const p of pages) await p.close().catch(() => {}); pages = []; });

  test('everyone plays the two others, one incomingStream (audio and video) per peer', STEP, async () => {
    const [a, b, c] = pages;
    for (const [me, others] of [[a, [b, c]], [b, [a, c]], [c, [a, b]]]) {
      await playsEach(me, others);
      for (const o of others) {
        const ev = await waitForEvent(me, (e, id) => e.name === 'incomingStream' && !e.isSelf && e.peerId === id, o.peerId,
          { what: `incomingStream for ${o.label}` });
        assert.deepEqual([...ev.tracks].sort(), ['audio', 'video'], `${me.label}: ${o.label}'s stream has audio and video`);
      }
      // The MCU is no peer of the page.
      const joined = (await events(me, 'peerJoined')).map((e) => e.peerId);
      assert.ok(!joined.includes('MCU'), `${me.label}: no peerJoined for the MCU: ${JSON.stringify(joined)}`);
      const ids = await me.evaluate(() => Object.keys(window.skylink.getPeersInRoom()).sort());
      assert.deepEqual(ids, [a.peerId, b.peerId, c.peerId].sort());
    }
  });

  test('one RTCPeerConnection, to the MCU, carries the two others\' media', STEP, async () => {
    const [a] = pages;
    const pcs = await a.evaluate(() => window.__negotiated());
    assert.equal(pcs.length, 1, `A: exactly one RTCPeerConnection that negotiated: ${JSON.stringify(pcs)}`);
    assert.equal(pcs[0].state, 'connected');
    // Our audio and video, and B's and C's forwarded audio and video.
    assert.ok(pcs[0].sections >= 6, `A: our two sections and four forwarded: ${JSON.stringify(pcs)}`);
  });

  test('chat: public, private, and sendP2PMessage over the data channel to the MCU', STEP, async () => {
    const [a, b, c] = pages;
    await a.evaluate(() => window.skylink.sendMessage('hello SFU room'));
    for (const p of [b, c]) {
      const ev = await waitForEvent(p, (e, id) => e.name === 'incomingMessage' && !e.isSelf && e.content === 'hello SFU room' && e.peerId === id, a.peerId,
        { what: 'public message from A' });
      assert.equal(ev.isPrivate, false);
    }
    await waitForEvent(a, (e) => e.name === 'incomingMessage' && e.isSelf && e.content === 'hello SFU room', null, { what: 'own public echo' });
    await b.evaluate((id) => window.skylink.sendMessage({ secret: 7 }, id), c.peerId);
    const ev = await waitForEvent(c, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content && e.content.secret === 7, null, { what: 'private message' });
    assert.equal(ev.isPrivate, true);
    assert.equal(ev.peerId, b.peerId);
    await c.evaluate(() => window.skylink.sendP2PMessage('p2p through the room'));
    for (const p of [a, b]) {
      const m = await waitForEvent(p, (e, id) => e.name === 'incomingMessage' && !e.isSelf && e.content === 'p2p through the room' && e.peerId === id, c.peerId,
        { what: 'sendP2PMessage from C' });
      assert.equal(m.isDataChannel, true, 'over the data channel, passed on by the MCU');
      assert.equal(m.isPrivate, false);
    }
    await a.evaluate((id) => window.skylink.sendP2PMessage({ p2pSecret: 9 }, id), b.peerId);
    const p2p = await waitForEvent(b, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content && e.content.p2pSecret === 9, null, { what: 'private P2P message' });
    assert.equal(p2p.isPrivate, true);
    assert.equal(p2p.isDataChannel, true);
    assert.equal(p2p.peerId, a.peerId);
    const privates = (await events(a, 'incomingMessage')).filter((e) => e.content && e.content.secret === 7);
    assert.equal(privates.length, 0, 'A does not get B\'s private message to C');
    const p2pPrivates = (await events(c, 'incomingMessage')).filter((e) => e.content && e.content.p2pSecret === 9);
    assert.equal(p2pPrivates.length, 0, 'C does not get A\'s private P2P message to B');
  });

  test('mute and unmute are seen as streamMuted and peerUpdated by both others', STEP, async () => {
    const [a, b, c] = pages;
    await a.evaluate(() => window.skylink.disableVideo());
    for (const p of [b, c]) {
      const ev = await waitForEvent(p, (e, id) => e.name === 'streamMuted' && e.peerId === id && e.mediaStatus.videoMuted === true, a.peerId,
        { what: 'streamMuted video' });
      assert.equal(ev.isSelf, false);
      await waitForEvent(p, (e, id) => e.name === 'peerUpdated' && e.peerId === id && e.mediaStatus.videoMuted === true, a.peerId, { what: 'peerUpdated video muted' });
    }
    await a.evaluate(() => window.skylink.disableAudio());
    await waitForEvent(b, (e, id) => e.name === 'streamMuted' && e.peerId === id && e.mediaStatus.audioMuted === true, a.peerId, { what: 'streamMuted audio' });
    await a.evaluate(() => { window.skylink.enableVideo(); window.skylink.enableAudio(); });
    for (const p of [b, c]) {
      await waitForEvent(p, (e, id) => e.name === 'peerUpdated' && e.peerId === id && e.mediaStatus.videoMuted === false && e.mediaStatus.audioMuted === false,
        a.peerId, { what: 'peerUpdated unmuted' });
    }
    // Each change is announced once, although it comes both as a mute event and as the MCU's mediaInfoEvent.
    const muted = (await events(b, 'streamMuted')).filter((e) => e.peerId === a.peerId);
    assert.equal(muted.length, 4, `B: one streamMuted per change: ${JSON.stringify(muted)}`);
    const info = await b.evaluate((id) => window.skylink.getPeerInfo(id).mediaStatus, a.peerId);
    assert.deepEqual(info, { audioMuted: false, videoMuted: false });
  });

  test('a page that leaves fires peerLeft on the others, who go on playing each other', STEP, async () => {
    const [a, b, c] = pages;
    await c.evaluate(() => new Promise((resolve) => window.skylink.leaveRoom(() => resolve())));
    for (const p of [a, b]) {
      await waitForEvent(p, (e, id) => e.name === 'peerLeft' && !e.isSelf && e.peerId === id, c.peerId, { what: 'peerLeft for C' });
      await waitForEvent(p, (e, id) => e.name === 'streamEnded' && !e.isSelf && e.peerId === id, c.peerId, { what: 'streamEnded for C' });
    }
    await playsEach(a, [b]);
    await playsEach(b, [a]);
    const ids = await a.evaluate(() => Object.keys(window.skylink.getPeersInRoom()).sort());
    assert.deepEqual(ids, [a.peerId, b.peerId].sort());
  });
});

describe('SFU room: our library and the real SkylinkJS 2.7.2 in one room', () => {
  test('each plays the other\'s video', STEP, async () => {
    const room = `sfu-mixed-${process.pid}`;
    const ours = await openPage(context, urls.harness('ours'), 'ours');
    const real = await openReleasePage(context, releases.url('2.7.2'), '2.7.2');
    try {
      const init = await ours.evaluate((o) => window.initSkylink(o), { appKey: server.app.appKey, defaultRoom: room });
      assert.equal(init.error, null);
      const j = await ours.evaluate((m) => window.joinSkylinkRoom(null, m), { audio: true, video: true });
      assert.equal(j.error, null, `ours: joinRoom: ${JSON.stringify(j.error)}`);
      const rinit = await real.evaluate((o) => window.initSkylink(o), { appKey: server.app.appKey, defaultRoom: room, roomServer: `//127.0.0.1:${server.port}` });
      assert.equal(rinit.error, null, `2.7.2: init: ${JSON.stringify(rinit.error)}`);
      const r = await real.evaluate((o) => window.joinSkylinkRoom(o), { roomName: room, audio: true, video: true, userData: 'real' });
      assert.equal(r.error, null, `2.7.2: joinRoom: ${JSON.stringify(r.error)}\n${await releaseDiagnostics(real)}`);
      const self = await waitForEvent(real, (e) => e.name === 'peerJoined' && e.isSelf, null, { what: '2.7.2 own peerJoined', timeoutMs: 30000 });
      await waitForEvent(ours, (e, id) => e.name === 'peerJoined' && !e.isSelf && e.peerId === id, self.peerId, { what: 'peerJoined for 2.7.2' });
      let vids;
      try { vids = await waitForPlayingVideos(ours, 1, 40000); } catch (e) { assert.fail(`${e.message}\n${await pageDiagnostics(ours)}`); }
      assert.ok(vids.some((v) => v.id === self.peerId), `ours plays 2.7.2's video: ${JSON.stringify(vids)}`);
      await waitForRemoteVideo(real, j.peerId, { what: "our library's video through the SFU" });
      // P2P messages both ways through the MCU's data channels.
      await real.evaluate((o) => window.sendP2P(o.room, o.text), { room, text: 'from 2.7.2 over the data channel' });
      const m = await waitForEvent(ours, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content === 'from 2.7.2 over the data channel', null,
        { what: "2.7.2's P2P message at our library" });
      assert.equal(m.peerId, self.peerId);
      assert.equal(m.isDataChannel, true);
      await ours.evaluate(() => window.skylink.sendP2PMessage('from our library over the data channel'));
      const back = await waitForEvent(real, (e) => e.name === 'onIncomingMessage' && !e.isSelf && e.message && e.message.content === 'from our library over the data channel', null,
        { what: "our library's P2P message at 2.7.2", timeoutMs: 15000 });
      assert.equal(back.message.senderPeerId, j.peerId);
      assert.equal(back.message.isDataChannel, true);
    } finally {
      await ours.close();
      await real.close();
    }
  });
});

// ICE consent (RFC 7675) through the real path: a page whose media stops reaching aerie loses
// its transport after ice-consent-timeout-ms; aerie tells it (bye from MCU) and takes its tracks
// away from the others; our library enters again and gets a new connection.
describe('SFU room: a media connection lost and made again', () => {
  let lossy;
  let ctx;
  let routes;
  before(async () => {
    lossy = await startAerie({
      apps: [{ name: 'sfu-consent', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'sfu'] }],
      // Chromium checks consent every 4-6 s: 9 s without one is a lost connection.
      extraArgs: ['--limit', 'ice-consent-timeout-ms=9000'],
    });
    ctx = await newContext(browser);
    await ctx.addInitScript(peerConnectionProbe);
    routes = await routeLibraryPages(ctx, lossy.httpUrl, lossy.app.appKey);
  });
  after(async () => {
    try { execFileSync('nft', ['delete', 'table', 'inet', 'aerieconsent']); } catch { /* not made */ }
    if (ctx) await ctx.close().catch(() => {});
    if (lossy) await lossy.stop();
  });

  test('consent lost: aerie closes the transport and says so, the page enters again and plays again', { timeout: 120000 }, async () => {
    const room = `sfu-consent-${process.pid}`;
    const join = async (label) => {
      const page = await openPage(ctx, routes.harness('ours'), label);
      assert.equal((await page.evaluate((o) => window.initSkylink(o), { appKey: lossy.app.appKey, defaultRoom: room })).error, null);
      const j = await page.evaluate((m) => window.joinSkylinkRoom(null, m), { audio: true, video: true, userData: label });
      assert.equal(j.error, null, `${label}: joinRoom: ${JSON.stringify(j.error)}`);
      page.peerId = j.peerId;
      return page;
    };
    const a = await join('A');
    const b = await join('B');
    try {
      await waitForPlayingVideos(a, 1, 40000);
      await waitForPlayingVideos(b, 1, 40000);
      const [before] = await a.evaluate(() => window.__selectedPairs());
      assert.equal(before.state, 'connected');
      const [other] = await b.evaluate(() => window.__selectedPairs());
      assert.equal(other.remoteProtocol, 'udp', `B is on UDP: ${JSON.stringify(other)}`);
      // Everything A sends to aerie's media port is dropped on its way in: from its port, and
      // from any new one, since our library restarts ICE (new ports) after 5 s disconnected,
      // which would win the race with the 9 s consent timeout (it did once in CI); and ICE-TCP.
      // Only B's UDP port gets through.
      execFileSync('nft', ['add', 'table', 'inet', 'aerieconsent']);
      execFileSync('nft', ['add', 'chain', 'inet', 'aerieconsent', 'in', '{ type filter hook input priority 0; }']);
      execFileSync('nft', ['add', 'rule', 'inet', 'aerieconsent', 'in', 'udp', 'dport', String(before.remotePort),
        'udp', 'sport', '!=', String(other.localPort), 'drop']);
      execFileSync('nft', ['add', 'rule', 'inet', 'aerieconsent', 'in', 'tcp', 'dport', String(before.remotePort), 'drop']);
      const lost = async () => {
        const m = /^aerie_media_transports_lost_total (\d+)/m.exec((await request(lossy, '/metrics')).body);
        return m ? Number(m[1]) : 0;
      };
      const deadline = Date.now() + 30000;
      while ((await lost()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
      assert.ok((await lost()) > 0, `aerie closed A's transport; A's pairs ${JSON.stringify(await a.evaluate(() => window.__selectedPairs()))}\n${lossy.logTail(2000)}`);
      // A may come back on any path now; its old UDP port stays dropped.
      execFileSync('nft', ['flush', 'chain', 'inet', 'aerieconsent', 'in']);
      execFileSync('nft', ['add', 'rule', 'inet', 'aerieconsent', 'in', 'udp', 'sport', String(before.localPort), 'drop']);
      // A is told and connects again, from another port; both play each other again.
      const again = Date.now() + 30000;
      let pairs = [];
      while (Date.now() < again) {
        pairs = await a.evaluate(() => window.__selectedPairs());
        if (pairs.some((p) => p.state === 'connected' && p.localPort !== before.localPort)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.ok(pairs.some((p) => p.state === 'connected' && p.localPort !== before.localPort),
        `A has a new connection to aerie: ${JSON.stringify(pairs)}\n${await pageDiagnostics(a)}`);
      await waitForPlayingVideos(a, 1, 30000);
      await waitForPlayingVideos(b, 1, 30000);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
