// End to end: the unmodified SkylinkJS 0.6.37 (npm skylinkjs, publish/skylink.complete.js) in
// real Chromium against Aerie. Run inside a network namespace with only `lo` (tests/e2e/run.sh).
//
// The page is served from Aerie's own https origin through Playwright routing (same-origin: the
// API call carries no Origin, only a Referer, as when Aerie serves its static files); one extra
// test serves it from a separate Node static server (cross-origin: CORS preflight with the
// Skylink_SDK_* headers). SkylinkJS 0.6 defaults to forceSSL, so the API and the WebSocket go
// to https/wss on Aerie's single port, with its self-signed certificate accepted by
// --ignore-certificate-errors.
//
// init() is awaited before joinRoom(): the real 0.6.37 fails with the seed's call order
// (protocol spec section 8).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie } from '../lib/server.mjs';
import {
  launchChromium, newContext, routePageFromOrigin, startStaticServer, openPage,
  events, pageDiagnostics, waitForEvent,
} from '../lib/browser.mjs';

const STEP = { timeout: 60000 };
const ROOM = `e2e-room-${process.pid}`;

let server;
let browser;
let context;
let pageUrl;
const pages = {}; // a, b, c

function initOptions(room = ROOM) {
  return {
    appKey: server.app.appKey,
    defaultRoom: room,
    roomServer: `//127.0.0.1:${server.port}`,
    statsServer: `//127.0.0.1:${server.port}`,
  };
}

async function initAndJoin(page, media, room) {
  const init = await page.evaluate((o) => window.initSkylink(o), initOptions(room));
  assert.equal(init.error, null, `${page.label}: init() failed: ${JSON.stringify(init.error)}\n${await pageDiagnostics(page)}`);
  return page.evaluate((m) => window.joinSkylinkRoom(m), media);
}

async function remoteVideoState(page, peerId) {
  return page.evaluate((id) => {
    const v = window.videos[id];
    if (!v) return null;
    return { videoWidth: v.videoWidth, videoHeight: v.videoHeight, currentTime: v.currentTime, paused: v.paused, readyState: v.readyState };
  }, peerId);
}

before(async () => {
  server = await startAerie({
    apps: [
      { name: 'e2e', domains: ['127.0.0.1', 'localhost'] },
      // A key the loopback pages are not allowed to use.
      { name: 'elsewhere', domains: ['app.example.com'] },
    ],
  });
  browser = await launchChromium();
  context = await newContext(browser);
  pageUrl = await routePageFromOrigin(context, server.httpsUrl);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (server) await server.stop();
});

describe('SkylinkJS 0.6.37 in Chromium against Aerie', () => {
  test('two pages init() then joinRoom({audio, video}) and see each other', STEP, async () => {
    pages.a = await openPage(context, pageUrl, 'A');
    pages.b = await openPage(context, pageUrl, 'B');
    const [ja, jb] = await Promise.all([
      initAndJoin(pages.a, { audio: true, video: true }),
      initAndJoin(pages.b, { audio: true, video: true }),
    ]);
    assert.equal(ja.error, null, `A joinRoom failed: ${JSON.stringify(ja.error)}\n${await pageDiagnostics(pages.a)}`);
    assert.equal(jb.error, null, `B joinRoom failed: ${JSON.stringify(jb.error)}\n${await pageDiagnostics(pages.b)}`);
    pages.a.peerId = ja.peerId;
    pages.b.peerId = jb.peerId;
    assert.ok(ja.peerId && jb.peerId && ja.peerId !== jb.peerId, 'each page gets its own peer id');

    for (const p of [pages.a, pages.b]) {
      const open = await events(p, 'channelOpen');
      assert.ok(open.length > 0 && /^https:/.test(open[0].socketServer), `${p.label}: the socket went to https (forceSSL): ${JSON.stringify(open)}`);
      assert.equal(open[0].transportType, 'WebSocket', `${p.label}: the first transport (WebSocket) must work, no fallback\n${await pageDiagnostics(p)}`);
      assert.deepEqual(await events(p, 'socketError'), [], `${p.label}: no socket errors`);
    }

    await waitForEvent(pages.a, (e, id) => e.name === 'peerJoined' && !e.isSelf && e.peerId === id, pages.b.peerId, { what: 'peerJoined for B' });
    await waitForEvent(pages.b, (e, id) => e.name === 'peerJoined' && !e.isSelf && e.peerId === id, pages.a.peerId, { what: 'peerJoined for A' });
  });

  test('each page receives the other\'s stream and its remote <video> plays', STEP, async () => {
    assert.ok(pages.a?.peerId && pages.b?.peerId, 'needs the previous step');
    for (const [me, other] of [[pages.a, pages.b], [pages.b, pages.a]]) {
      const ev = await waitForEvent(me, (e, id) => e.name === 'incomingStream' && !e.isSelf && e.peerId === id, other.peerId,
        { what: `incomingStream from ${other.label}`, timeoutMs: 30000 });
      assert.ok(ev.tracks.includes('video'), `${me.label}: remote stream has a video track: ${JSON.stringify(ev.tracks)}`);
      assert.ok(ev.tracks.includes('audio'), `${me.label}: remote stream has an audio track: ${JSON.stringify(ev.tracks)}`);
    }
    for (const [me, other] of [[pages.a, pages.b], [pages.b, pages.a]]) {
      try {
        await me.waitForFunction((id) => {
          const v = window.videos[id];
          return v && v.videoWidth > 0 && v.currentTime > 0;
        }, other.peerId, { timeout: 20000, polling: 100 });
      } catch (e) {
        assert.fail(`${me.label}: remote video of ${other.label} does not play: ${JSON.stringify(await remoteVideoState(me, other.peerId))}\n${await pageDiagnostics(me)}`);
      }
      const s1 = await remoteVideoState(me, other.peerId);
      await new Promise((r) => setTimeout(r, 1000));
      const s2 = await remoteVideoState(me, other.peerId);
      assert.ok(s2.currentTime > s1.currentTime + 0.3, `${me.label}: remote video time advances: ${s1.currentTime} → ${s2.currentTime}`);
      assert.equal(s2.paused, false);
    }
    // A cheap visual record of the call.
    await pages.a.screenshot({ path: `${process.env.AERIE_E2E_ARTIFACTS || '/tmp'}/aerie-e2e-A.png` }).catch(() => {});
  });

  test('sendMessage() arrives as incomingMessage on the other page', STEP, async () => {
    assert.ok(pages.a?.peerId && pages.b?.peerId, 'needs the first step');
    const text = `hello from A ☕ ${Date.now()}`;
    await pages.a.evaluate((t) => window.skylink.sendMessage(t), text);
    const ev = await waitForEvent(pages.b, (e, t) => e.name === 'incomingMessage' && !e.isSelf && e.content === t, text,
      { what: 'incomingMessage from A' });
    assert.equal(ev.peerId, pages.a.peerId, 'the message is attributed to A');
    assert.equal(ev.isPrivate, false);
    const back = `reply from B ${Date.now()}`;
    await pages.b.evaluate((t) => window.skylink.sendMessage(t), back);
    await waitForEvent(pages.a, (e, t) => e.name === 'incomingMessage' && !e.isSelf && e.content === t, back,
      { what: 'incomingMessage from B' });
  });

  test('after lockRoom() a third page\'s joinRoom is refused with reason locked', STEP, async () => {
    assert.ok(pages.a?.peerId && pages.b?.peerId, 'needs the first step');
    await pages.a.evaluate(() => window.skylink.lockRoom());
    // The lock reached the server once B hears of it (0.6 may batch it for up to 1 s).
    await waitForEvent(pages.b, (e) => e.name === 'roomLock' && e.isLocked === true && !e.isSelf, null, { what: 'roomLock from A' });
    pages.c = await openPage(context, pageUrl, 'C');
    const jc = await initAndJoin(pages.c, { audio: false, video: false });
    assert.ok(jc.error, `C must not get into a locked room, got peerId ${jc.peerId}`);
    const sys = await waitForEvent(pages.c, (e) => e.name === 'systemAction', null, { what: 'systemAction on C' });
    assert.equal(sys.action, 'reject', JSON.stringify(sys));
    assert.equal(sys.reason, 'locked', JSON.stringify(sys));
    // A and B never saw C.
    for (const p of [pages.a, pages.b]) {
      const joined = (await events(p, 'peerJoined')).filter((e) => !e.isSelf && e.peerId !== pages.a.peerId && e.peerId !== pages.b.peerId);
      assert.deepEqual(joined, [], `${p.label} must not see the refused peer`);
    }
    await pages.c.close();
    delete pages.c;
  });

  test('closing a page fires peerLeft on the other', STEP, async () => {
    assert.ok(pages.a?.peerId && pages.b?.peerId, 'needs the first step');
    await pages.b.close();
    await waitForEvent(pages.a, (e, id) => e.name === 'peerLeft' && e.peerId === id, pages.b.peerId,
      { what: 'peerLeft for B', timeoutMs: 30000 });
    const left = (await events(pages.a, 'peerLeft')).filter((e) => e.peerId === pages.b.peerId);
    assert.equal(left.length, 1, 'peerLeft fires once');
    await pages.a.close();
    delete pages.a;
    delete pages.b;
  });
});

describe('cross-origin page (CORS preflight with Skylink_SDK_* headers)', () => {
  let statik;
  before(async () => { statik = await startStaticServer(); });
  after(async () => { if (statik) await statik.close(); });

  test('a page on another origin gets its session and joins', STEP, async () => {
    const page = await openPage(context, statik.url, 'X');
    try {
      const j = await initAndJoin(page, { audio: false, video: false }, `${ROOM}-cors`);
      assert.equal(j.error, null, `cross-origin joinRoom failed: ${JSON.stringify(j.error)}\n${await pageDiagnostics(page)}`);
      await waitForEvent(page, (e) => e.name === 'peerJoined' && e.isSelf, null, { what: 'own peerJoined' });
    } finally {
      await page.close();
    }
  });

  test('an origin not in the key\'s domains sees error 4003 (not a network error)', STEP, async () => {
    // The second app key allows only app.example.com.
    const page = await openPage(context, statik.url, 'Y');
    try {
      const init = await page.evaluate((o) => window.initSkylink(o), { ...initOptions(`${ROOM}-denied`), appKey: server.apps[1].appKey });
      assert.ok(init.error, 'init must fail for a foreign origin');
      assert.equal(init.error.errorCode, 4003, `expected errorCode 4003, got ${JSON.stringify(init.error)}\n${await pageDiagnostics(page)}`);
    } finally {
      await page.close();
    }
  });
});

describe('long-polling only (the page has no WebSocket)', () => {
  test('two pages join over XHR polling on https, see and hear each other, chat, leave', { timeout: 90000 }, async () => {
    const room = `${ROOM}-polling`;
    const p = await openPage(context, pageUrl, 'P', { noWebSocket: true });
    const q = await openPage(context, pageUrl, 'Q', { noWebSocket: true });
    try {
      const [jp, jq] = await Promise.all([
        initAndJoin(p, { audio: true, video: true }, room),
        initAndJoin(q, { audio: true, video: true }, room),
      ]);
      assert.equal(jp.error, null, `P joinRoom failed: ${JSON.stringify(jp.error)}\n${await pageDiagnostics(p)}`);
      assert.equal(jq.error, null, `Q joinRoom failed: ${JSON.stringify(jq.error)}\n${await pageDiagnostics(q)}`);
      for (const page of [p, q]) {
        const open = await events(page, 'channelOpen');
        assert.equal(open[0]?.transportType, 'Polling', `${page.label} must be on polling: ${JSON.stringify(open)}`);
      }
      await waitForEvent(p, (e, id) => e.name === 'incomingStream' && !e.isSelf && e.peerId === id, jq.peerId,
        { what: 'incomingStream from Q', timeoutMs: 30000 });
      await waitForEvent(q, (e, id) => e.name === 'incomingStream' && !e.isSelf && e.peerId === id, jp.peerId,
        { what: 'incomingStream from P', timeoutMs: 30000 });
      try {
        await p.waitForFunction((id) => { const v = window.videos[id]; return v && v.videoWidth > 0 && v.currentTime > 0.5; },
          jq.peerId, { timeout: 20000, polling: 100 });
      } catch {
        assert.fail(`P: remote video of Q does not play: ${JSON.stringify(await remoteVideoState(p, jq.peerId))}\n${await pageDiagnostics(p)}`);
      }
      // Non-BMP text over Engine.IO 3 polling (lengths in UTF-16 units).
      const text = `polling 😀 ${Date.now()}`;
      await p.evaluate((t) => window.skylink.sendMessage(t), text);
      await waitForEvent(q, (e, t) => e.name === 'incomingMessage' && !e.isSelf && e.content === t, text, { what: 'incomingMessage over polling' });
      // Stay connected across a few poll cycles without errors.
      await new Promise((r) => setTimeout(r, 3000));
      for (const page of [p, q]) {
        const bad = (await events(page)).filter((e) => ['channelError', 'channelClose', 'socketError', 'sessionDisconnect'].includes(e.name));
        assert.deepEqual(bad, [], `${page.label}: the polling session stays healthy\n${await pageDiagnostics(page)}`);
      }
      // Closing the tab aborts its pending poll: the server must end that session at once (as
      // Engine.IO servers do), not only at the 45 s ping timeout.
      await q.close();
      await waitForEvent(p, (e, id) => e.name === 'peerLeft' && e.peerId === id, jq.peerId,
        { what: 'peerLeft for Q (closed tab on long-polling)', timeoutMs: 15000 });
    } finally {
      await p.close().catch(() => {});
      await q.close().catch(() => {});
    }
  });
});
