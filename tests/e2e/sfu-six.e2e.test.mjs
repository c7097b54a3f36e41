// End to end: six Chromium pages of the real SkylinkJS 2.7.2 at 320x240@15 in one SFU room of
// aerie: every page has one connection, to aerie, and plays the five others; chat and mute
// reach everyone; with 2 % of the UDP packets on `lo` dropped (an nftables rule inside the
// test's namespace: this kernel has no netem qdisc) the videos keep playing; a page that leaves is gone everywhere. Run inside a network namespace
// with only `lo` (tests/e2e/run.sh).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startAerie, request } from '../lib/server.mjs';
import { launchChromium, newContext, waitForEvent, peerConnectionProbe } from '../lib/browser.mjs';
import { routeReleasePages, openReleasePage, releaseDiagnostics, waitForRemoteVideo, remoteVideoState } from '../lib/releases.mjs';

const ROOM = `sfu6-${process.pid}`;
const PAGES = 6;
let server;
let browser;
let context;
let pages;
const peers = [];

before(async () => {
  server = await startAerie({ apps: [{ name: 'sfu6', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'sfu'] }] });
  browser = await launchChromium();
  context = await newContext(browser);
  await context.addInitScript(peerConnectionProbe);
  pages = await routeReleasePages(context, server.httpsUrl, ['2.7.2']);
});

after(async () => {
  try { execFileSync('nft', ['delete', 'table', 'inet', 'aerieloss'], { stdio: 'ignore' }); } catch { /* none */ }
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
  const r = await page.evaluate((o) => window.joinSkylinkRoom(o), {
    roomName: ROOM, audio: true, video: { resolution: { width: 320, height: 240 }, frameRate: 15 }, userData: label,
  });
  assert.equal(r.error, null, `${label}: joinRoom: ${JSON.stringify(r.error)}\n${await releaseDiagnostics(page)}`);
  const self = await waitForEvent(page, (e) => e.name === 'peerJoined' && e.isSelf, null, { what: 'own peerJoined', timeoutMs: 30000 });
  page.peerId = self.peerId;
  page.userData = label;
  return page;
}

// Every page's remote video of every other page advances by more than `seconds` in a window.
async function allPlaying(list, what) {
  const checks = [];
  for (const me of list) {
    for (const other of list) {
      if (me !== other) checks.push(waitForRemoteVideo(me, other.peerId, { what: `${other.label}'s video at ${me.label} ${what}`, timeoutMs: 45000 }));
    }
  }
  await Promise.all(checks);
}

describe('SFU room: six SkylinkJS 2.7.2 pages at 320x240@15', () => {
  test('every page plays the five others, over one connection to aerie', { timeout: 240000 }, async () => {
    for (let i = 0; i < PAGES; i++) peers.push(await openAndJoin(String.fromCharCode(65 + i)));
    await allPlaying(peers, '');
    for (const p of peers) {
      assert.equal((await p.evaluate(() => window.__negotiated())).length, 1, `${p.label}: one negotiated RTCPeerConnection`);
    }
  });

  test('chat, a data channel message and mute reach every other page', { timeout: 60000 }, async () => {
    const [from, ...rest] = peers;
    const text = `hello from ${from.label} ${Date.now()}`;
    await from.evaluate(({ room, text }) => window.sendChat(room, text), { room: ROOM, text });
    for (const to of rest) {
      await waitForEvent(to, (e, t) => e.name === 'onIncomingMessage' && e.message && e.message.content === t, text,
        { what: `chat at ${to.label}`, timeoutMs: 15000 });
    }
    // sendP2PMessage: one message on the data channel to aerie, which passes it on to each page.
    const p2p = `over the data channel from ${from.label} ${Date.now()}`;
    await from.evaluate(({ room, p2p }) => window.sendP2P(room, p2p), { room: ROOM, p2p });
    for (const to of rest) {
      const ev = await waitForEvent(to, (e, t) => e.name === 'onIncomingMessage' && e.message && e.message.content === t, p2p,
        { what: `data channel message at ${to.label}`, timeoutMs: 15000 })
        .catch(async (e) => { throw new Error(`${e.message}\n${await releaseDiagnostics(to)}`); });
      assert.equal(ev.message.isDataChannel, true);
      assert.equal(ev.message.senderPeerId, from.peerId);
    }
    await from.evaluate((room) => window.skylink.muteStreams(room, { audioMuted: true, videoMuted: false }), ROOM);
    for (const to of rest) {
      await waitForEvent(to, (e, id) => (e.name === 'streamMuted' || e.name === 'peerUpdated') && e.peerId === id, from.peerId,
        { what: `${from.label}'s mute at ${to.label}`, timeoutMs: 15000 })
        .catch(async (e) => { throw new Error(`${e.message}\n${await releaseDiagnostics(to)}`); });
    }
  });

  test('with 2 % of the media packets lost the videos keep playing', { timeout: 120000 }, async () => {
    // Every UDP packet crosses the input hook of `lo` once: 2 % of them are dropped.
    execFileSync('nft', ['add', 'table', 'inet', 'aerieloss']);
    execFileSync('nft', ['add', 'chain', 'inet', 'aerieloss', 'in', '{ type filter hook input priority 0; }']);
    execFileSync('nft', ['add', 'rule', 'inet', 'aerieloss', 'in', 'meta', 'l4proto', 'udp', 'numgen', 'random', 'mod', '100', '<', '2', 'counter', 'drop']);
    try {
      await new Promise((r) => setTimeout(r, 2000));
      const before = {};
      for (const me of peers) for (const other of peers) if (me !== other) before[`${me.label}${other.label}`] = (await remoteVideoState(me, other.peerId)).currentTime;
      await new Promise((r) => setTimeout(r, 5000));
      for (const me of peers) {
        for (const other of peers) {
          if (me === other) continue;
          const now = (await remoteVideoState(me, other.peerId)).currentTime;
          assert.ok(now > before[`${me.label}${other.label}`] + 2, `${me.label} plays ${other.label} under loss: ${before[`${me.label}${other.label}`]} → ${now}`);
        }
      }
      // Lost packets were recovered: resent from aerie's buffer, or asked again of the publisher.
      const metrics = (await request(server, '/metrics')).body;
      const value = (name) => Number((new RegExp(`^${name} (\\d+)`, 'm').exec(metrics) || [])[1] || 0);
      assert.ok(value('aerie_media_retransmitted_packets_total') + value('aerie_media_nacks_relayed_total') > 0,
        `NACKs were answered: ${metrics.split('\n').filter((l) => l.startsWith('aerie_media')).join('; ')}`);
      const rules = execFileSync('nft', ['list', 'table', 'inet', 'aerieloss']).toString();
      const dropped = Number((/counter packets (\d+)/.exec(rules) || [])[1] || 0);
      assert.ok(dropped > 50, `packets were dropped: ${rules}`);
    } finally {
      execFileSync('nft', ['delete', 'table', 'inet', 'aerieloss']);
    }
  });

  test('a page that leaves is gone from every other page', { timeout: 60000 }, async () => {
    const leaver = peers.pop();
    const r = await leaver.evaluate((room) => window.leaveSkylinkRoom(room), ROOM);
    assert.equal(r.error, null);
    for (const p of peers) {
      await waitForEvent(p, (e, id) => (e.name === 'peerLeft' || e.name === 'streamEnded') && e.peerId === id, leaver.peerId,
        { what: `${leaver.label} gone at ${p.label}`, timeoutMs: 20000 });
    }
    await leaver.close();
  });
});
