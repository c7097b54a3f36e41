// End to end: an SFU room (the app's media mode is `sfu`, the room API says hasMCU) with the
// real SkylinkJS 2.7.2 from npm, unmodified, in two Chromium pages. Each page has one
// RTCPeerConnection, to aerie's media port (ICE-lite, DTLS, SRTP), and plays the other's video,
// which aerie forwards. Run inside a network namespace with only `lo` (tests/e2e/run.sh).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startAerie, request } from '../lib/server.mjs';
import { launchChromium, newContext, waitForEvent, peerConnectionProbe } from '../lib/browser.mjs';
import { routeReleasePages, openReleasePage, releaseDiagnostics, waitForRemoteVideo, socketTrace } from '../lib/releases.mjs';

const ROOM = `sfu-${process.pid}`;
let server;
let browser;
let context;
let pages;

before(async () => {
  server = await startAerie({ apps: [{ name: 'sfu', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'sfu'] }] });
  browser = await launchChromium();
  context = await newContext(browser);
  await context.addInitScript(peerConnectionProbe);
  pages = await routeReleasePages(context, server.httpsUrl, ['2.7.2']);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (pages) await pages.cleanup();
  if (server) await server.stop();
});

async function openAndJoin(label) {
  const page = await openReleasePage(context, pages.url('2.7.2'), `2.7.2 ${label}`);
  const init = await page.evaluate((o) => window.initSkylink(o), {
    appKey: server.app.appKey, defaultRoom: ROOM, roomServer: `//127.0.0.1:${server.port}`,
  });
  assert.equal(init.error, null, `${label}: init: ${JSON.stringify(init.error)}`);
  const r = await page.evaluate((o) => window.joinSkylinkRoom(o), { roomName: ROOM, audio: true, video: true, userData: label });
  assert.equal(r.error, null, `${label}: joinRoom: ${JSON.stringify(r.error)}\n${await releaseDiagnostics(page)}`);
  const self = await waitForEvent(page, (e) => e.name === 'peerJoined' && e.isSelf, null, { what: 'own peerJoined', timeoutMs: 30000 });
  page.peerId = self.peerId;
  page.userData = label;
  return page;
}

let a;
let b;

describe('SFU room: SkylinkJS 2.7.2', () => {
  test('the room API says hasMCU', async () => {
    const res = await request(server, `/api/${server.app.appKey}/${ROOM}`, { headers: { Skylink_API_version: '2.0.0' } });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json.hasMCU, true);
  });

  test('two pages: the MCU joins each, each plays the other\'s video through aerie', { timeout: 120000 }, async () => {
    a = await openAndJoin('A');
    b = await openAndJoin('B');
    for (const p of [a, b]) {
      await waitForEvent(p, (e) => e.name === 'serverPeerJoined', null, { what: 'serverPeerJoined (the MCU)', timeoutMs: 20000 })
        .catch(async (e) => { throw new Error(`${e.message}\n${await releaseDiagnostics(p)}`); });
    }
    for (const [me, other] of [[a, b], [b, a]]) {
      await waitForEvent(me, (e, id) => e.name === 'peerJoined' && !e.isSelf && e.peerId === id, other.peerId,
        { what: `peerJoined for ${other.label}`, timeoutMs: 20000 })
        .catch(async (e) => { throw new Error(`${e.message}\n${await releaseDiagnostics(me)}`); });
    }
    await Promise.all([
      waitForRemoteVideo(a, b.peerId, { what: "B's video through the SFU" }),
      waitForRemoteVideo(b, a.peerId, { what: "A's video through the SFU" }),
    ]);
    // The fake microphones beep: aerie reads their RFC 6464 levels and names the loudest.
    const deadline = Date.now() + 15000;
    let heard = false;
    while (!heard && Date.now() < deadline) {
      heard = (await socketTrace(a)).includes('in activeSpeaker>');
      if (!heard) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(heard, `A got an activeSpeaker event from the MCU: ${(await socketTrace(a)).slice(-20).join(' | ')}`);
    // aerie logs the media port of its first loop (media ... listening port=N).
    const mediaPorts = [...server.log().matchAll(/media.*listening.*?port[=":\s]+(\d+)/g)].map((m) => Number(m[1]));
    assert.ok(mediaPorts.length > 0, `aerie logged its media port: ${server.logTail(2000)}`);
    for (const p of [a, b]) {
      const pairs = await p.evaluate(() => window.__selectedPairs());
      assert.equal(pairs.length, 1, `${p.label}: one RTCPeerConnection: ${JSON.stringify(pairs)}`);
      assert.equal(pairs[0].state, 'connected');
      // The room's loop serves its media on the base port plus the loop's index.
      assert.ok(pairs[0].remotePort >= mediaPorts[0] && pairs[0].remotePort < mediaPorts[0] + 2,
        `${p.label}: connected to aerie's media port (${mediaPorts[0]}+loop): ${JSON.stringify(pairs)}`);
      assert.equal(pairs[0].remoteType, 'host');
    }
  });

  test('RTCP: the publisher gets receiver reports (its round trip time), the subscriber the publisher\'s sender reports', { timeout: 60000 }, async () => {
    const stats = (page) => page.evaluate(async () => {
      const pc = window.__peerConnections.find((p) => p.remoteDescription && p.connectionState !== 'closed');
      const out = [];
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'remote-inbound-rtp' || s.type === 'remote-outbound-rtp') {
          out.push({ type: s.type, kind: s.kind, roundTripTime: s.roundTripTime, packetsLost: s.packetsLost, remoteTimestamp: s.remoteTimestamp });
        }
      });
      return out;
    });
    const deadline = Date.now() + 20000;
    let a1 = [];
    let b1 = [];
    while (Date.now() < deadline) {
      [a1, b1] = await Promise.all([stats(a), stats(b)]);
      const rtt = a1.some((s) => s.type === 'remote-inbound-rtp' && s.kind === 'video' && s.roundTripTime > 0);
      const sr = b1.some((s) => s.type === 'remote-outbound-rtp' && s.remoteTimestamp > 0);
      if (rtt && sr) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(a1.some((s) => s.type === 'remote-inbound-rtp' && s.kind === 'video' && s.roundTripTime > 0),
      `A's video has a round trip time from aerie's receiver reports: ${JSON.stringify(a1)}`);
    assert.ok(b1.some((s) => s.type === 'remote-outbound-rtp' && s.remoteTimestamp > 0),
      `B has A's sender reports: ${JSON.stringify(b1)}`);
  });

  test('sendP2PMessage goes over the data channel to aerie, which passes it on (private and broadcast)', { timeout: 60000 }, async () => {
    const hello = `p2p ${Date.now()}`;
    await a.evaluate(({ room, hello }) => window.sendP2P(room, hello), { room: ROOM, hello });
    const ev = await waitForEvent(b, (e, t) => e.name === 'onIncomingMessage' && !e.isSelf && e.message && e.message.content === t, hello,
      { what: 'A\'s broadcast over the data channel at B', timeoutMs: 15000 })
      .catch(async (e) => { throw new Error(`${e.message}\n${await releaseDiagnostics(b)}`); });
    assert.equal(ev.message.isDataChannel, true);
    assert.equal(ev.message.senderPeerId, a.peerId);
    assert.equal(ev.message.isPrivate, false);
    const secret = { secret: Date.now() };
    await b.evaluate(({ room, secret, to }) => window.sendP2P(room, secret, to), { room: ROOM, secret, to: a.peerId });
    const priv = await waitForEvent(a, (e, s) => e.name === 'onIncomingMessage' && !e.isSelf && e.message && e.message.content
      && e.message.content.secret === s, secret.secret, { what: 'B\'s private message at A', timeoutMs: 15000 });
    assert.equal(priv.message.isPrivate, true);
    assert.equal(priv.message.senderPeerId, b.peerId);
    const metrics = (await request(server, '/metrics')).body;
    assert.match(metrics, /^aerie_media_data_messages_relayed_total [1-9]/m);
  });

  test('an ICE restart (refreshConnection with iceRestart) keeps the videos playing', { timeout: 60000 }, async () => {
    const ufragBefore = await a.evaluate(() => {
      const pc = window.__peerConnections.find((p) => p.remoteDescription && p.connectionState !== 'closed');
      return /a=ice-ufrag:(\S+)/.exec(pc.remoteDescription.sdp)[1];
    });
    const r = await a.evaluate(async (room) => {
      try { await window.skylink.refreshConnection(room, null, true); return null; } catch (e) { return String(e && (e.message || JSON.stringify(e))); }
    }, ROOM);
    assert.equal(r, null, `refreshConnection: ${r}`);
    // aerie answers with new ICE credentials of its own.
    await a.waitForFunction((before) => {
      const pc = window.__peerConnections.find((p) => p.remoteDescription && p.connectionState !== 'closed');
      const m = /a=ice-ufrag:(\S+)/.exec(pc.remoteDescription.sdp);
      return m && m[1] !== before;
    }, ufragBefore, { timeout: 15000 });
    await Promise.all([
      waitForRemoteVideo(a, b.peerId, { what: "B's video after A's ICE restart" }),
      waitForRemoteVideo(b, a.peerId, { what: "A's video after A's ICE restart" }),
    ]);
    const pairs = await a.evaluate(() => window.__selectedPairs());
    assert.equal(pairs[0].state, 'connected');
  });

  test('a third page joins late: it plays both, both play it; then it leaves and is gone from both', { timeout: 120000 }, async () => {
    const c = await openAndJoin('C');
    const started = Date.now();
    await Promise.all([
      waitForRemoteVideo(c, a.peerId, { what: "A's video at the late joiner" }),
      waitForRemoteVideo(c, b.peerId, { what: "B's video at the late joiner" }),
      waitForRemoteVideo(a, c.peerId, { what: "C's video at A" }),
      waitForRemoteVideo(b, c.peerId, { what: "C's video at B" }),
    ]);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 15000, `the late joiner's videos took ${elapsed} ms`);

    const r = await c.evaluate((room) => window.leaveSkylinkRoom(room), ROOM);
    assert.equal(r.error, null, `C: leaveRoom: ${JSON.stringify(r.error)}`);
    for (const p of [a, b]) {
      await waitForEvent(p, (e, id) => (e.name === 'peerLeft' || e.name === 'streamEnded') && e.peerId === id, c.peerId,
        { what: `C gone (peerLeft or streamEnded) at ${p.label}`, timeoutMs: 20000 })
        .catch(async (e) => { throw new Error(`${e.message}\n${await releaseDiagnostics(p)}`); });
    }
    await c.close();
  });
});

// The media limits of the limits table, through the real path.
describe('SFU limits', () => {
  let limited;
  let ctx;
  let routes;
  before(async () => {
    limited = await startAerie({
      apps: [{ name: 'sfu-limits', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'sfu'] }],
      extraArgs: ['--limit', 'max-publisher-bitrate-kbps=150', '--limit', 'max-transports-per-address=2'],
    });
    ctx = await newContext(browser);
    await ctx.addInitScript(peerConnectionProbe);
    routes = await routeReleasePages(ctx, limited.httpsUrl, ['2.7.2']);
  });
  after(async () => {
    if (ctx) await ctx.close().catch(() => {});
    if (routes) await routes.cleanup();
    if (limited) await limited.stop();
  });

  async function join(label, room) {
    const page = await openReleasePage(ctx, routes.url('2.7.2'), `2.7.2 ${label}`);
    await page.evaluate((o) => window.initSkylink(o), { appKey: limited.app.appKey, defaultRoom: room, roomServer: `//127.0.0.1:${limited.port}` });
    const r = await page.evaluate((o) => window.joinSkylinkRoom(o), { roomName: room, audio: true, video: true, userData: label });
    assert.equal(r.error, null);
    page.peerId = (await waitForEvent(page, (e) => e.name === 'peerJoined' && e.isSelf, null, { timeoutMs: 30000 })).peerId;
    return page;
  }

  // Bits per second the page's connection sends in video, over `ms`.
  function videoBitrate(page, ms) {
    return page.evaluate(async (ms) => {
      const pc = window.__peerConnections.find((p) => p.remoteDescription && p.connectionState !== 'closed');
      const sent = async () => {
        let bytes = 0;
        (await pc.getStats()).forEach((s) => { if (s.type === 'outbound-rtp' && s.kind === 'video') bytes += s.bytesSent; });
        return bytes;
      };
      const b0 = await sent();
      await new Promise((r) => setTimeout(r, ms));
      return ((await sent()) - b0) * 8 / (ms / 1000);
    }, ms);
  }

  test('a publisher keeps to max-publisher-bitrate-kbps; a third transport from one address is refused', { timeout: 120000 }, async () => {
    const room = `sfu-limits-${process.pid}`;
    const x = await join('X', room);
    const y = await join('Y', room);
    await waitForRemoteVideo(y, x.peerId, { what: "X's video" });
    await new Promise((r) => setTimeout(r, 4000)); // the browser's estimate meets the cap
    const bitrate = await videoBitrate(x, 4000);
    assert.ok(bitrate > 10000 && bitrate < 250000, `X sends video at ${Math.round(bitrate / 1000)} kbit/s under a 150 kbit/s cap`);

    // Both pages come from 127.0.0.1: a third connection from there is over the quota of 2.
    const z = await join('Z', room);
    const refused = async () => {
      const res = await request(limited, '/metrics');
      const line = res.body.split('\n').find((l) => l.startsWith('aerie_media_refused_addresses_total '));
      return line ? Number(line.split(' ')[1]) : 0;
    };
    const deadline = Date.now() + 15000;
    while ((await refused()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok((await refused()) > 0, 'aerie counted the refused checks');
    const pairs = await z.evaluate(() => window.__selectedPairs());
    assert.ok(pairs.every((p) => p.state !== 'connected'), `Z is not connected: ${JSON.stringify(pairs)}`);
    for (const p of [x, y, z]) await p.close();
  });
});

// VP9 and H.264 go through the SFU as they are when the publisher prefers them (the page puts
// that codec first with setCodecPreferences, as an app would): the SFU answers with it and
// offers each subscriber the same.
describe('SFU codecs: VP9 and H.264 forwarded', () => {
  for (const codec of ['VP9', 'H264']) {
    test(`two pages preferring ${codec} play each other in ${codec}`, { timeout: 120000 }, async (t) => {
      const ctx = await newContext(browser);
      try {
        await ctx.addInitScript(peerConnectionProbe);
        await ctx.addInitScript((name) => {
          const offer = RTCPeerConnection.prototype.createOffer;
          RTCPeerConnection.prototype.createOffer = function (...args) {
            const caps = RTCRtpReceiver.getCapabilities('video').codecs;
            const first = caps.filter((c) => c.mimeType === `video/${name}`);
            for (const tr of this.getTransceivers()) {
              if (tr.receiver.track && tr.receiver.track.kind === 'video' && first.length) {
                try { tr.setCodecPreferences([...first, ...caps.filter((c) => c.mimeType !== `video/${name}`)]); } catch { /* stopped */ }
              }
            }
            return offer.apply(this, args);
          };
        }, codec);
        const routes = await routeReleasePages(ctx, server.httpsUrl, ['2.7.2']);
        try {
          const room = `sfu-${codec}-${process.pid}`;
          const join = async (label) => {
            const page = await openReleasePage(ctx, routes.url('2.7.2'), `2.7.2 ${codec} ${label}`);
            const can = await page.evaluate((name) => RTCRtpSender.getCapabilities('video').codecs.some((c) => c.mimeType === `video/${name}`), codec);
            if (!can) return null;
            await page.evaluate((o) => window.initSkylink(o), { appKey: server.app.appKey, defaultRoom: room, roomServer: `//127.0.0.1:${server.port}` });
            const r = await page.evaluate((o) => window.joinSkylinkRoom(o), { roomName: room, audio: true, video: true, userData: label });
            assert.equal(r.error, null);
            page.peerId = (await waitForEvent(page, (e) => e.name === 'peerJoined' && e.isSelf, null, { timeoutMs: 30000 })).peerId;
            return page;
          };
          const x = await join('X');
          if (!x) { t.skip(`this Chromium cannot send ${codec}`); return; }
          const y = await join('Y');
          await Promise.all([
            waitForRemoteVideo(x, y.peerId, { what: `Y's ${codec} video` }),
            waitForRemoteVideo(y, x.peerId, { what: `X's ${codec} video` }),
          ]);
          const codecs = (page) => page.evaluate(async () => {
            const pc = window.__peerConnections.find((p) => p.remoteDescription && p.connectionState !== 'closed');
            const stats = await pc.getStats();
            const out = { in: [], out: [] };
            stats.forEach((s) => {
              if ((s.type === 'inbound-rtp' || s.type === 'outbound-rtp') && s.kind === 'video' && s.codecId && s.bytesSent !== 0) {
                const c = stats.get(s.codecId);
                if (c) out[s.type === 'inbound-rtp' ? 'in' : 'out'].push(c.mimeType);
              }
            });
            return out;
          });
          for (const p of [x, y]) {
            const c = await codecs(p);
            assert.ok(c.out.includes(`video/${codec}`), `${p.label} sends ${codec}: ${JSON.stringify(c)}`);
            assert.ok(c.in.includes(`video/${codec}`), `${p.label} receives ${codec} through aerie: ${JSON.stringify(c)}`);
          }
          await x.close();
          await y.close();
        } finally {
          await routes.cleanup();
        }
      } finally {
        await ctx.close().catch(() => {});
      }
    });
  }
});

// Networks that let no UDP through: aerie also listens for ICE-TCP (RFC 6544, passive) on the
// media port number, and the browser falls back to it.
describe('SFU over ICE-TCP when UDP is blocked', () => {
  after(() => { try { execFileSync('nft', ['delete', 'table', 'inet', 'aerienoudp']); } catch { /* not made */ } });

  test('two pages connect to aerie over TCP and play each other', { timeout: 120000 }, async () => {
    const mediaPort = Number(/media.*listening.*?port[=":\s]+(\d+)/.exec(server.log())[1]);
    execFileSync('nft', ['add', 'table', 'inet', 'aerienoudp']);
    execFileSync('nft', ['add', 'chain', 'inet', 'aerienoudp', 'in', '{ type filter hook input priority 0; }']);
    execFileSync('nft', ['add', 'rule', 'inet', 'aerienoudp', 'in', 'udp', 'dport', `${mediaPort}-${mediaPort + 3}`, 'drop']);
    const room = `sfu-tcp-${process.pid}`;
    const join = async (label) => {
      const page = await openReleasePage(context, pages.url('2.7.2'), `2.7.2 tcp ${label}`);
      await page.evaluate((o) => window.initSkylink(o), { appKey: server.app.appKey, defaultRoom: room, roomServer: `//127.0.0.1:${server.port}` });
      const r = await page.evaluate((o) => window.joinSkylinkRoom(o), { roomName: room, audio: true, video: true, userData: label });
      assert.equal(r.error, null);
      page.peerId = (await waitForEvent(page, (e) => e.name === 'peerJoined' && e.isSelf, null, { timeoutMs: 30000 })).peerId;
      return page;
    };
    const x = await join('X');
    const y = await join('Y');
    try {
      await Promise.all([
        waitForRemoteVideo(x, y.peerId, { what: "Y's video over ICE-TCP" }),
        waitForRemoteVideo(y, x.peerId, { what: "X's video over ICE-TCP" }),
      ]);
      for (const p of [x, y]) {
        const pairs = await p.evaluate(() => window.__selectedPairs());
        const tcp = pairs.filter((q) => q.state === 'connected' && q.remoteProtocol === 'tcp');
        assert.ok(tcp.length > 0 && tcp[0].remotePort >= mediaPort && tcp[0].remotePort < mediaPort + 2,
          `${p.label}: connected to aerie's media port over TCP: ${JSON.stringify(pairs)}`);
      }
      assert.match((await request(server, '/metrics')).body, /^aerie_media_tcp_connections_total [1-9]/m);
    } finally {
      await x.close();
      await y.close();
    }
  });
});
