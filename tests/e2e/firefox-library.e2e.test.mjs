// End to end in Firefox: Aerie's own browser library (client/) and the real SkylinkJS 0.6.37,
// each in a room of one Firefox page (firefox-esr under puppeteer-core, WebDriver BiDi) and one
// Chromium page (playwright-core). Run inside a network namespace with only `lo`
// (tests/e2e/run.sh, or: unshare -n sh -c 'ip link set lo up; exec node --test tests/e2e/firefox-library.e2e.test.mjs').
//
// Firefox has no request routing, so both browsers load the harness fixture from a small Node
// server on its own port (cross-origin to aerie: the API call is a CORS request, as for a site
// that uses a Skylink server elsewhere) and init() points roomServer at aerie.
// shared/notes/firefox-testing.md has the recipe; the fake camera in Firefox is a flat green
// frame, so video is judged by videoWidth, currentTime and getStats, not by pixels.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie } from '../lib/server.mjs';
import { launchChromium, newContext, openPage, events, pageDiagnostics, waitForEvent } from '../lib/browser.mjs';
import { buildClient, remoteVideos, startLibraryPageServer, waitForPlayingVideos } from '../lib/library.mjs';
import { closeFirefox, launchFirefox, openFirefoxPage, requireFirefox } from '../lib/firefox.mjs';

const STEP = { timeout: 90000 };

let server;
let pagesSrv;
let firefox;
let chromium;
let context;

before(async () => {
  requireFirefox();
  buildClient();
  server = await startAerie({ apps: [{ name: 'ff-lib-e2e', domains: ['127.0.0.1', 'localhost'] }] });
  pagesSrv = await startLibraryPageServer();
  [firefox, chromium] = await Promise.all([launchFirefox(), launchChromium()]);
  context = await newContext(chromium);
});

after(async () => {
  await context?.close().catch(() => {});
  await chromium?.close().catch(() => {});
  await closeFirefox(firefox);
  await pagesSrv?.close();
  await server?.stop();
});

/** The harness page in Firefox or in Chromium: the same page object surface for the helpers. */
async function openHarness(browserName, label, lib = 'ours') {
  return browserName === 'firefox'
    ? openFirefoxPage(firefox, pagesSrv.harness(lib), label)
    : openPage(context, pagesSrv.harness(lib), label);
}

function initOptions(room, lib) {
  const o = { appKey: server.app.appKey, defaultRoom: room, roomServer: `//127.0.0.1:${server.port}` };
  // SkylinkJS 0.6 defaults to forceSSL and to its own stats server.
  if (lib === 'real') Object.assign(o, { statsServer: `//127.0.0.1:${server.port}`, forceSSL: false });
  return o;
}

/** init() then joinRoom() with audio and video (the real SkylinkJS needs init's callback first). */
async function join(page, room, lib = 'ours') {
  const init = await page.evaluate((o) => window.initSkylink(o), initOptions(room, lib));
  assert.equal(init.error, null, `${page.label}: init failed: ${JSON.stringify(init.error)}\n${await pageDiagnostics(page)}`);
  const j = await page.evaluate((m) => window.joinSkylinkRoom(null, m), { audio: true, video: true });
  assert.equal(j.error, null, `${page.label}: joinRoom failed: ${JSON.stringify(j.error)}\n${await pageDiagnostics(page)}`);
  page.peerId = j.peerId;
  return j.peerId;
}

async function waitPeer(page, peerId) {
  return waitForEvent(page, (e, id) => e.name === 'peerJoined' && !e.isSelf && e.peerId === id, peerId, { what: `peerJoined ${peerId}`, timeoutMs: 30000 });
}

async function waitDataChannel(page, peerId) {
  return waitForEvent(page, (e, id) => e.name === 'dataChannelState' && e.state === 'open' && e.peerId === id && e.channelType === 'messaging', peerId,
    { what: `main data channel to ${peerId}`, timeoutMs: 30000 });
}

/** One remote video plays on `page` (width > 0, currentTime advancing). */
async function assertVideoPlays(page) {
  await waitForPlayingVideos(page, 1, 40000).catch(async (e) => assert.fail(`${e.message}\n${await pageDiagnostics(page)}`));
}

async function framesDecoded(page) {
  return page.evaluate(async () => {
    let total = 0;
    for (const rec of window.skylink.peers.values()) {
      const stats = await rec.session.pc.getStats();
      stats.forEach((s) => { if (s.type === 'inbound-rtp' && (s.kind || s.mediaType) === 'video') total += s.framesDecoded || 0; });
    }
    return total;
  });
}

/** Waits until the page's video decoders count `more` frames beyond what they had. */
async function waitFramesDecoded(page, more, timeoutMs = 20000) {
  const start = await framesDecoded(page);
  const deadline = Date.now() + timeoutMs;
  let now = start;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    now = await framesDecoded(page);
    if (now >= start + more) return now;
  }
  assert.fail(`${page.label}: framesDecoded went from ${start} to ${now} in ${timeoutMs} ms`);
}

async function waitReceived(page, transferId, timeout = 60000) {
  try {
    return await page.waitForFunction((tid) => window.received[tid], transferId, { timeout, polling: 200 }).then((h) => h.jsonValue());
  } catch (e) {
    throw new Error(`${page.label}: transfer ${transferId} did not arrive (${e.message.split('\n')[0]})\n${await pageDiagnostics(page)}`);
  }
}

describe('our library: a Firefox page and a Chromium page in one room', () => {
  const room = `ff-cr-${process.pid}`;
  let ff; let cr;
  before(async () => {
    [ff, cr] = await Promise.all([openHarness('firefox', 'FF'), openHarness('chromium', 'CR')]);
    await join(ff, room);
    await join(cr, room);
    await waitPeer(ff, cr.peerId);
    await waitPeer(cr, ff.peerId);
  });
  after(async () => { await ff?.close().catch(() => {}); await cr?.close().catch(() => {}); });

  test('each sees the other\'s browser, and remote video plays both ways', STEP, async () => {
    const agents = {
      ff: (await events(ff, 'peerJoined')).find((e) => !e.isSelf && e.peerId === cr.peerId).agent,
      cr: (await events(cr, 'peerJoined')).find((e) => !e.isSelf && e.peerId === ff.peerId).agent,
    };
    assert.match(String(agents.cr), /firefox/i, `Chromium sees a Firefox peer: ${JSON.stringify(agents)}`);
    assert.match(String(agents.ff), /chrom/i, `Firefox sees a Chromium peer: ${JSON.stringify(agents)}`);
    await assertVideoPlays(ff);
    await assertVideoPlays(cr);
    // The decoders keep counting frames on both sides.
    for (const page of [ff, cr]) await waitFramesDecoded(page, 10);
  });

  test('chat both ways: public, private, and over the data channel', STEP, async () => {
    await ff.evaluate(() => window.skylink.sendMessage('from Firefox 🦊'));
    let ev = await waitForEvent(cr, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content === 'from Firefox 🦊', null, { what: 'message from Firefox' });
    assert.equal(ev.peerId, ff.peerId);
    assert.equal(ev.isPrivate, false);
    await cr.evaluate(() => window.skylink.sendMessage('from Chromium'));
    ev = await waitForEvent(ff, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content === 'from Chromium', null, { what: 'message from Chromium' });
    assert.equal(ev.peerId, cr.peerId);
    await cr.evaluate((id) => window.skylink.sendMessage({ secret: 7 }, id), ff.peerId);
    ev = await waitForEvent(ff, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content && e.content.secret === 7, null, { what: 'private message' });
    assert.equal(ev.isPrivate, true);
    await waitDataChannel(ff, cr.peerId);
    await waitDataChannel(cr, ff.peerId);
    await ff.evaluate(() => window.skylink.sendP2PMessage('p2p from Firefox'));
    ev = await waitForEvent(cr, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content === 'p2p from Firefox', null, { what: 'P2P from Firefox' });
    assert.equal(ev.isDataChannel, true);
    await cr.evaluate(() => window.skylink.sendP2PMessage('p2p from Chromium'));
    ev = await waitForEvent(ff, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content === 'p2p from Chromium', null, { what: 'P2P from Chromium' });
    assert.equal(ev.isDataChannel, true);
  });

  test('files arrive byte-identical both ways (base64 chunks, and binary chunks from Firefox)', STEP, async () => {
    await waitDataChannel(ff, cr.peerId);
    const size = 1024 * 1024 + 5;
    let sent = await ff.evaluate((s) => window.sendFile(s, 21), size);
    assert.equal(sent.error, null, `Firefox → Chromium failed: ${sent.error}\n${await pageDiagnostics(ff)}`);
    let got = await waitReceived(cr, sent.transferId);
    assert.deepEqual([got.size, got.sha256], [size, sent.sha256], 'Firefox → Chromium: same bytes');
    const states = (await events(cr, 'dataTransferState')).filter((e) => e.transferId === sent.transferId);
    assert.equal(states[states.length - 1].state, 'downloadCompleted');

    sent = await cr.evaluate((s) => window.sendFile(s, 22), size);
    assert.equal(sent.error, null, `Chromium → Firefox failed: ${sent.error}\n${await pageDiagnostics(cr)}`);
    got = await waitReceived(ff, sent.transferId);
    assert.deepEqual([got.size, got.sha256], [size, sent.sha256], 'Chromium → Firefox: same bytes');

    sent = await ff.evaluate((s) => window.sendFile(s, 23, null, true), 300 * 1024 + 7);
    assert.equal(sent.error, null, `Firefox → Chromium (binary) failed: ${sent.error}`);
    got = await waitReceived(cr, sent.transferId);
    assert.equal(got.sha256, sent.sha256, 'Firefox → Chromium binary: same bytes');
  });

  // Firefox's fake media engine has a camera and a microphone only: getDisplayMedia goes to the
  // real desktop capturer, and headless Firefox has no screen, so it rejects with NotFoundError.
  // The test tries (from a click: Firefox wants a user gesture for getDisplayMedia, and says
  // InvalidStateError without one), and skips with that reason while it is so.
  test('screen share from Firefox reaches Chromium (where headless Firefox can share a screen)', STEP, async (t) => {
    await ff.evaluate(() => {
      window.shareResult = null;
      const b = document.createElement('button');
      b.id = 'share-screen';
      b.textContent = 'Share screen';
      b.onclick = () => window.skylink.shareScreen((err, s) => {
        window.shareResult = err ? { error: String(err.message || err), name: err.name || null } : { id: s && s.id };
      });
      document.body.prepend(b);
    });
    await ff.click('#share-screen');
    const r = await ff.waitForFunction(() => window.shareResult, undefined, { timeout: 30000, polling: 100 }).then((h) => h.jsonValue());
    if (r.error) {
      assert.equal(r.name, 'NotFoundError', `shareScreen failed in Firefox (${r.name}: ${r.error}) for another reason than a missing screen`);
      t.skip('headless Firefox has no screen to capture: getDisplayMedia rejects with NotFoundError (its fake media engine has no screen source)');
      return;
    }
    await waitForEvent(cr, (e, id) => e.name === 'incomingStream' && e.peerId === id && e.isScreensharing, ff.peerId, { what: 'screen from Firefox', timeoutMs: 30000 });
    await cr.waitForFunction((id) => { const v = window.videos[id]; return v && v.videoWidth > 0; }, ff.peerId, { timeout: 30000 });
    await ff.evaluate(() => window.skylink.stopScreen());
    await waitForEvent(cr, (e, id) => e.name === 'streamEnded' && e.peerId === id && e.isScreensharing, ff.peerId, { what: 'screen streamEnded' });
  });

  test('screen share from Chromium plays in Firefox, and the camera comes back after it', STEP, async () => {
    const before = (await events(ff, 'incomingStream')).length;
    await cr.evaluate(() => new Promise((resolve, reject) => window.skylink.shareScreen((err, s) => (err ? reject(new Error(String(err.message || err))) : resolve(s && s.id)))));
    const ev = await waitForEvent(ff, (e, arg) => e.name === 'incomingStream' && e.peerId === arg.id && e.isScreensharing, { id: cr.peerId, n: before },
      { what: 'screen share incomingStream in Firefox', timeoutMs: 30000 });
    assert.ok(ev.tracks.includes('video'));
    // Firefox shows the screen stream, and it plays.
    await ff.waitForFunction((arg) => { const v = window.videos[arg.id]; return v && v.srcObject && v.srcObject.id === arg.sid && v.videoWidth > 0; },
      { id: cr.peerId, sid: ev.streamId }, { timeout: 30000 })
      .catch(async (e) => assert.fail(`screen stream not shown in Firefox: ${e.message} ${JSON.stringify(await remoteVideos(ff))}\n${await pageDiagnostics(ff)}`));
    const t1 = await ff.evaluate((id) => window.videos[id].currentTime, cr.peerId);
    await ff.waitForFunction((arg) => window.videos[arg.id].currentTime > arg.t + 0.3, { id: cr.peerId, t: t1 }, { timeout: 15000 })
      .catch(() => assert.fail('the screen video in Firefox does not advance'));
    await cr.evaluate(() => window.skylink.stopScreen());
    await waitForEvent(ff, (e, id) => e.name === 'streamEnded' && e.peerId === id && e.isScreensharing, cr.peerId, { what: 'screen streamEnded in Firefox' });
    await waitForEvent(ff, (e, id) => e.name === 'incomingStream' && e.peerId === id && !e.isScreensharing && e.tracks.includes('video'),
      cr.peerId, { what: 'camera stream back in Firefox' });
    await assertVideoPlays(ff);
  });

  test('Firefox leaves: Chromium gets peerLeft and drops the video', STEP, async () => {
    await ff.evaluate(() => new Promise((r) => window.skylink.leaveRoom(() => r())));
    await waitForEvent(cr, (e, id) => e.name === 'peerLeft' && e.peerId === id, ff.peerId, { what: 'peerLeft', timeoutMs: 20000 });
    assert.deepEqual(await remoteVideos(cr), []);
    assert.deepEqual(ff.pageErrors, [], 'no uncaught errors in the Firefox page');
  });
});

describe('the real SkylinkJS 0.6.37: a Firefox page and a Chromium page in one room', () => {
  const room = `real-ff-cr-${process.pid}`;
  let ff; let cr;
  before(async () => {
    [ff, cr] = await Promise.all([openHarness('firefox', 'FF-real', 'real'), openHarness('chromium', 'CR-real', 'real')]);
    await join(cr, room, 'real');
    await join(ff, room, 'real');
  });
  after(async () => { await ff?.close().catch(() => {}); await cr?.close().catch(() => {}); });

  test('peerJoined on both pages, remote video plays both ways', STEP, async () => {
    await waitPeer(ff, cr.peerId);
    await waitPeer(cr, ff.peerId);
    await assertVideoPlays(ff);
    await assertVideoPlays(cr);
  });

  test('sendMessage arrives both ways', STEP, async () => {
    await ff.evaluate(() => window.skylink.sendMessage('0.6.37 from Firefox'));
    let ev = await waitForEvent(cr, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content === '0.6.37 from Firefox', null, { what: 'message from Firefox' });
    assert.equal(ev.peerId, ff.peerId);
    await cr.evaluate(() => window.skylink.sendMessage('0.6.37 from Chromium'));
    ev = await waitForEvent(ff, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content === '0.6.37 from Chromium', null, { what: 'message from Chromium' });
    assert.equal(ev.peerId, cr.peerId);
    assert.deepEqual(ff.pageErrors, [], `no uncaught errors in the Firefox page (all: ${ff.consoleLines.filter((l) => l.includes('pageerror')).join(' | ')})`);
  });
});

describe('interop across both: our library in Firefox, the real SkylinkJS 0.6.37 in Chromium', () => {
  const room = `ours-ff-real-cr-${process.pid}`;
  let ff; let cr;
  before(async () => {
    [ff, cr] = await Promise.all([openHarness('firefox', 'FF-ours', 'ours'), openHarness('chromium', 'CR-real', 'real')]);
    await join(cr, room, 'real');
    await join(ff, room, 'ours');
  });
  after(async () => { await ff?.close().catch(() => {}); await cr?.close().catch(() => {}); });

  test('video both ways, and a chat message each way', STEP, async () => {
    await waitPeer(ff, cr.peerId);
    await waitPeer(cr, ff.peerId);
    await assertVideoPlays(ff);
    await assertVideoPlays(cr);
    await ff.evaluate(() => window.skylink.sendMessage('ours in Firefox'));
    await waitForEvent(cr, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content === 'ours in Firefox', null, { what: 'message from our library in Firefox' });
    await cr.evaluate(() => window.skylink.sendMessage('0.6.37 in Chromium'));
    const ev = await waitForEvent(ff, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content === '0.6.37 in Chromium', null, { what: 'message from 0.6.37 in Chromium' });
    assert.equal(ev.peerId, cr.peerId);
    assert.deepEqual(ff.pageErrors, [], 'no uncaught errors in the Firefox page');
  });
});

// SFU rooms in Firefox: aerie's library talks to the MCU over one connection from Firefox too.
describe('Firefox in an SFU room: our library beside Chromium', () => {
  let sfu;
  before(async () => {
    sfu = await startAerie({ apps: [{ name: 'ff-sfu-e2e', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'sfu'] }] });
  });
  after(async () => { await sfu?.stop(); });

  test('each plays the other through aerie; a P2P message from Firefox goes over the data channel', STEP, async () => {
    const room = `ff-sfu-${process.pid}`;
    const ff = await openHarness('firefox', 'Firefox SFU');
    const cr = await openHarness('chromium', 'Chromium SFU');
    try {
      for (const p of [ff, cr]) {
        const init = await p.evaluate((o) => window.initSkylink(o), { appKey: sfu.app.appKey, defaultRoom: room, roomServer: `//127.0.0.1:${sfu.port}` });
        assert.equal(init.error, null, `${p.label}: init: ${JSON.stringify(init.error)}`);
        const j = await p.evaluate((m) => window.joinSkylinkRoom(null, m), { audio: true, video: true });
        assert.equal(j.error, null, `${p.label}: joinRoom: ${JSON.stringify(j.error)}\n${await pageDiagnostics(p)}`);
        p.peerId = j.peerId;
      }
      await waitPeer(ff, cr.peerId);
      await waitPeer(cr, ff.peerId);
      await assertVideoPlays(ff);
      await assertVideoPlays(cr);
      await waitDataChannel(ff, 'MCU');
      await ff.evaluate(() => window.skylink.sendP2PMessage('p2p from Firefox through the MCU'));
      const ev = await waitForEvent(cr, (e) => e.name === 'incomingMessage' && !e.isSelf && e.content === 'p2p from Firefox through the MCU', null,
        { what: 'P2P from Firefox at Chromium', timeoutMs: 20000 });
      assert.equal(ev.isDataChannel, true);
      assert.equal(ev.peerId, ff.peerId);
    } finally {
      await ff.close().catch(() => {});
      await cr.close().catch(() => {});
    }
  });
});
