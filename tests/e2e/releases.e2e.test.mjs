// End to end: the real SkylinkJS releases from npm, unmodified — 0.6.26, 0.6.37, 0.9.3, 2.1.4
// and 2.7.2 — each in two Chromium pages against Aerie: init, video both ways, chat both ways,
// leave. Then 2.7.2 (the current SkylinkJS) with both pages joining at once, several rounds, and
// with their `enter`s forced to cross (each held until both pages are in the room, then released
// together). Run inside a network namespace with only `lo` (tests/e2e/run.sh).
//
// How each release is loaded is what its users do (tests/lib/releases.mjs): 0.6.x's
// publish/skylink.complete.js alone; 0.9.3's with socket.io loaded first (Aerie's
// /socket.io/socket.io.js); 2.1.4's published ES build after socket.io-client 2.2's browser
// build (window.io); 2.7.2's src/index.js bundled with esbuild at test time, socket.io-client
// external as window.io (socket.io-client 2.5, its own dependency). Pages are served from
// Aerie's https origin through Playwright routing; the SDKs default to forceSSL, so the API, the
// socket and 2.7.2's stats posts all go to https/wss on Aerie's one port.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie } from '../lib/server.mjs';
import { launchChromium, newContext, waitForEvent } from '../lib/browser.mjs';
import {
  RELEASES, releaseVersion, routeReleasePages, openReleasePage, releaseDiagnostics, socketTrace,
  releaseEnters, waitForRemoteVideo, entersCrossed,
} from '../lib/releases.mjs';

const RUN = `${process.pid}`;
const SIMULTANEOUS_ROUNDS = Number(process.env.AERIE_E2E_ROUNDS || 5);
const CROSSED_ROUNDS = Number(process.env.AERIE_E2E_CROSSED_ROUNDS || 3);

let server;
let browser;
let context;
let pages; // {url(version), cleanup()}

before(async () => {
  server = await startAerie({ apps: [{ name: 'releases', domains: ['127.0.0.1', 'localhost'] }] });
  browser = await launchChromium();
  context = await newContext(browser);
  pages = await routeReleasePages(context, server.httpsUrl, ['0.6.26', '0.6.37', '0.9.3', '2.1.4', '2.7.2']);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (pages) await pages.cleanup();
  if (server) await server.stop();
});

// What differs between the 0.x (callbacks, positional event arguments) and 2.x (promises,
// event details) pages, behind one interface.
function sdk(version) {
  const classic = RELEASES[version].kind === 'classic';
  return {
    classic,
    initOptions: (room) => ({
      appKey: server.app.appKey,
      defaultRoom: room,
      roomServer: `//127.0.0.1:${server.port}`,
      ...(classic ? { statsServer: `//127.0.0.1:${server.port}` } : {}),
      ...(RELEASES[version].initOptions || {}),
    }),
    joinOptions: (room, userData) => (classic
      ? { audio: true, video: true, userData }
      : { roomName: room, audio: true, video: true, userData }),
    // Event names as the pages record them (peerJoined and peerLeft are the same in both).
    events: classic
      ? { stream: 'incomingStream', message: 'incomingMessage' }
      : { stream: 'onIncomingStream', message: 'onIncomingMessage' },
  };
}

async function open(version, label, options) {
  const page = await openReleasePage(context, pages.url(version), `${version} ${label}`, options);
  page.sdk = sdk(version);
  return page;
}

async function init(page, room) {
  const r = await page.evaluate((o) => window.initSkylink(o), page.sdk.initOptions(room));
  assert.equal(r.error, null, `${page.label}: init failed: ${JSON.stringify(r.error)}\n${await releaseDiagnostics(page)}`);
}

// joinRoom; resolves with the page's own peer id (the joinRoom callback's for 0.x, the
// peerJoined isSelf event's for 2.x). at: the time (Date.now(), one clock for all pages of the
// browser) at which the page calls joinRoom, so that two pages start at the same moment.
async function join(page, room, userData, at = 0) {
  const r = await page.evaluate(async ({ o, at }) => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
    return window.joinSkylinkRoom(o);
  }, { o: page.sdk.joinOptions(room, userData), at });
  assert.equal(r.error, null, `${page.label}: joinRoom failed: ${JSON.stringify(r.error)}\n${await releaseDiagnostics(page)}`);
  const self = await waitForEvent(page, (e) => e.name === 'peerJoined' && e.isSelf, null, { what: 'own peerJoined', timeoutMs: 30000 });
  page.peerId = r.peerId || self.peerId;
  page.userData = userData;
  assert.ok(page.peerId, `${page.label}: has a peer id`);
  return page.peerId;
}

async function seesPeer(me, other) {
  const e = await waitForEvent(me, (e, id) => e.name === 'peerJoined' && !e.isSelf && e.peerId === id, other.peerId,
    { what: `peerJoined for ${other.label}`, timeoutMs: 30000 });
  assert.equal(e.userData, other.userData, `${me.label}: ${other.label}'s userData`);
}

async function videoBothWays(a, b) {
  for (const [me, other] of [[a, b], [b, a]]) {
    await waitForEvent(me, (e, { id, name }) => e.name === name && !e.isSelf && e.peerId === id && (e.tracks || []).includes('video'),
      { id: other.peerId, name: me.sdk.events.stream }, { what: `a video stream from ${other.label}`, timeoutMs: 30000 });
  }
  await Promise.all([
    waitForRemoteVideo(a, b.peerId, { what: `${b.label}'s video` }),
    waitForRemoteVideo(b, a.peerId, { what: `${a.label}'s video` }),
  ]);
}

async function chat(from, to, room) {
  const text = `hello from ${from.userData} ☕ ${Date.now()}`;
  await from.evaluate(({ room, text, classic }) => (classic ? window.sendChat(text) : window.sendChat(room, text)),
    { room, text, classic: from.sdk.classic });
  const ev = await waitForEvent(to, (e, { name, text, classic }) => e.name === name && !e.isSelf
    && (classic ? e.content : e.message && e.message.content) === text,
  { name: to.sdk.events.message, text, classic: to.sdk.classic }, { what: `chat from ${from.label}`, timeoutMs: 20000 });
  assert.equal(ev.peerId, from.peerId, `${to.label}: the message is attributed to ${from.label}`);
  assert.equal(ev.userData, from.userData, `${to.label}: the sender's userData`);
  if (!to.sdk.classic) assert.equal(ev.message.senderPeerId, from.peerId, `${to.label}: message.senderPeerId`);
  // And the chat line is on the page.
  const lines = await to.evaluate(() => Array.from(document.querySelectorAll('#chat li')).map((li) => li.textContent));
  assert.ok(lines.includes(`${from.userData}: ${text}`), `${to.label}: chat shows the line: ${JSON.stringify(lines)}`);
}

async function leave(leaver, stayer, room) {
  const r = await leaver.evaluate((room) => window.leaveSkylinkRoom(room), room);
  assert.equal(r.error, null, `${leaver.label}: leaveRoom failed: ${JSON.stringify(r.error)}`);
  await waitForEvent(stayer, (e, id) => e.name === 'peerLeft' && e.peerId === id && !e.isSelf, leaver.peerId,
    { what: `peerLeft for ${leaver.label}`, timeoutMs: 30000 });
  // The remote <video> is gone from the page.
  assert.equal(await stayer.evaluate((id) => !!window.videos[id], leaver.peerId), false, `${stayer.label}: ${leaver.label}'s video removed`);
}

for (const version of ['0.6.26', '0.6.37', '0.9.3', '2.1.4', '2.7.2']) {
  describe(`SkylinkJS ${version} from npm, unmodified`, () => {
    test('two pages: init, video both ways, chat both ways, leave', { timeout: 120000 }, async (t) => {
      assert.equal(releaseVersion(version), version, 'the installed package is the release under test');
      const room = `rel-${version.replace(/\./g, '')}-${RUN}`;
      const a = await open(version, 'A');
      const b = await open(version, 'B');
      try {
        await Promise.all([init(a, room), init(b, room)]);
        await join(a, room, `alice-${version}`);
        await join(b, room, `bob-${version}`);
        assert.notEqual(a.peerId, b.peerId);
        if (RELEASES[version].socketIo && RELEASES[version].socketIo() === 'server') {
          assert.ok(await a.evaluate(() => performance.getEntriesByName(`${location.origin}/socket.io/socket.io.js`).length === 1),
            `${a.label}: socket.io came from Aerie's /socket.io/socket.io.js`);
        }
        await Promise.all([seesPeer(a, b), seesPeer(b, a)]);
        await videoBothWays(a, b);
        await chat(a, b, room);
        await chat(b, a, room);
        await leave(b, a, room);
        if (process.env.AERIE_E2E_VERBOSE === '1') {
          for (const p of [a, b]) {
            t.diagnostic(`${p.label}:\n${p.consoleLines.join('\n')}\n${(await socketTrace(p)).join(', ')}\n` +
              `stats: ${p.statsPosts.join(', ')}\noff loopback: ${p.offLoopback.join(', ')}\nHTTP errors: ${p.httpErrors.join(', ')}`);
          }
        }
        for (const p of [a, b]) {
          assert.deepEqual(p.httpErrors, [], `${p.label}: every request to Aerie succeeded`);
          assert.deepEqual(p.consoleLines.filter((l) => l.includes(' pageerror] ')), [], `${p.label}: no uncaught errors`);
          // 0.x's AdapterJS loads an iframe from cdn.temasys.com.sg (screen-sharing extension
          // detection) whatever the options (refused here); 2.x pages ask nothing of other hosts.
          const allowed = p.sdk.classic ? /^GET https:\/\/cdn\.temasys\.com\.sg\/skylink\/extensions\/detectRTC\.html$/ : /^$/;
          assert.deepEqual(p.offLoopback.filter((r) => !allowed.test(r)), [], `${p.label}: nothing asked of another host`);
        }
      } finally {
        await a.close().catch(() => {});
        await b.close().catch(() => {});
      }
    });
  });
}

describe('SkylinkJS 2.7.2: both pages join at once', () => {
  // One round: two fresh pages, init, both joinRoom() started together; with holdEnter each
  // page's `enter` is held until both pages hold theirs (so both are in the room), then both
  // are released together: the enters cross. Every round must end with video both ways.
  async function round(t, n, { crossed }) {
    const room = `rel-272-${crossed ? 'x' : 's'}${n}-${RUN}`;
    const a = await open('2.7.2', `A${n}`, { holdEnter: crossed });
    const b = await open('2.7.2', `B${n}`, { holdEnter: crossed });
    try {
      await Promise.all([init(a, room), init(b, room)]);
      const at = Date.now() + 200;
      const joins = Promise.all([join(a, room, `alice-${n}`, at), join(b, room, `bob-${n}`, at)]);
      joins.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
      if (crossed) {
        for (const p of [a, b]) {
          try {
            await p.waitForFunction(() => window.__heldEnters.length > 0, null, { timeout: 30000, polling: 50 });
          } catch (e) {
            assert.fail(`${p.label}: never sent its enter: ${e.message.split('\n')[0]}\n${await releaseDiagnostics(p)}`);
          }
        }
        // Both pages are in the room (inRoom received) and neither has heard of the other.
        for (const p of [a, b]) {
          const trace = await socketTrace(p);
          assert.ok(trace.includes('in inRoom'), `${p.label}: has inRoom before its enter goes out: ${trace.join(' | ')}`);
          assert.ok(!trace.some((t) => /^in (enter|welcome|offer)/.test(t)), `${p.label}: nothing from the other page yet: ${trace.join(' | ')}`);
        }
        const released = await Promise.all([releaseEnters(a), releaseEnters(b)]);
        assert.deepEqual(released, [1, 1], 'each page held exactly one enter');
      }
      await joins;
      await Promise.all([seesPeer(a, b), seesPeer(b, a)]);
      await videoBothWays(a, b);
      const crossedAtServer = await entersCrossed(a, b);
      if (crossed) assert.ok(crossedAtServer, 'the held enters crossed');
      // The signaling each page saw, for the record (the spec reporter prints it).
      for (const p of [a, b]) {
        const trace = (await socketTrace(p)).filter((x) => !/candidate|socket/.test(x));
        t.diagnostic(`round ${n} ${p.label}: ${trace.join(', ')}`);
      }
      return crossedAtServer;
    } finally {
      await a.close().catch(() => {});
      await b.close().catch(() => {});
    }
  }

  test(`joinRoom() on both pages at the same moment, ${SIMULTANEOUS_ROUNDS} rounds`, { timeout: 60000 * SIMULTANEOUS_ROUNDS }, async (t) => {
    let crossings = 0;
    for (let n = 1; n <= SIMULTANEOUS_ROUNDS; n++) crossings += (await round(t, n, { crossed: false })) ? 1 : 0;
    t.diagnostic(`the enters crossed by themselves in ${crossings} of ${SIMULTANEOUS_ROUNDS} rounds`);
  });

  test(`enters forced to cross (held until both pages are in the room), ${CROSSED_ROUNDS} rounds`, { timeout: 60000 * CROSSED_ROUNDS }, async (t) => {
    for (let n = 1; n <= CROSSED_ROUNDS; n++) await round(t, n, { crossed: true });
  });
});
