// End to end: changing the camera during a call, in real Chromium against a real aerie, with our
// library (the instrumented harness page) and with the conferencing app. Chromium runs with three
// fake cameras (--use-fake-device-for-media-stream=device-count=3: "fake_device_0" .. "_2"; the
// microphones are "default" plus two either way). The tests switch between fake_device_0 and
// fake_device_2 only: fake_device_1 emulates a Y16 (depth) camera, which plays in a <video> but
// which Chromium's WebRTC encoder never sends a frame of (0 framesEncoded on a loopback
// connection, measured in this Chromium 156), so a peer cannot see it, whoever the library.
//
// Page A switches its camera; page B must keep decoding A's video (getStats framesDecoded
// advancing, the <video> time advancing) with no peerLeft/peerJoined, no new offer and no new
// incomingStream. A device unplugged mid-call is simulated by dispatching an `ended` Event on the
// live camera track from the page: Chromium offers no way to unplug a fake device, and stopping
// its capture otherwise (revoking the permission, through Playwright or CDP) ends nothing
// (measured); the library treats the event as the browser's own and stops the track itself.
//
// Run inside a network namespace with only `lo`:
//   unshare -n sh -c 'ip link set lo up; exec node --test --test-reporter=spec --test-concurrency=1 tests/e2e/devices.e2e.test.mjs'
// At most three pages are open at once (640x480).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, newContext, openPage, events, pageDiagnostics, waitForEvent } from '../lib/browser.mjs';
import { routeLibraryPages, waitForPlayingVideos } from '../lib/library.mjs';
import { appContext, appDiagnostics, buildWebapp, joinAs, openAppPage, startAerieForApp, waitForRemoteVideos, waitInCall } from '../lib/app.mjs';

const STEP = { timeout: 120000 };

let env;
let browser;

before(async () => {
  buildWebapp(); // also builds client/dist, which aerie serves at /skylink.complete.min.js
  env = await startAerieForApp();
  browser = await launchChromium({ fakeDevices: 'device-count=3' });
});

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (env) await env.server.stop();
});

// ---- reading the pages (both use Aerie's library: `sk` is the page's Skylink object) ----------

const SK = { lib: 'lib', app: 'app', real: 'real' };

/** The video track each peer connection of the page sends: [{peer, label, id, state}]. */
function sentVideo(page, sk) {
  return page.evaluate((which) => {
    const skylink = which === 'app' ? window.aerieApp.skylink : window.skylink;
    return [...skylink.peers.values()].map((rec) => {
      const s = rec.session.pc.getSenders().find((x) => x.track && x.track.kind === 'video');
      return { peer: rec.id, label: s ? s.track.label : null, id: s ? s.track.id : null, state: s ? s.track.readyState : null };
    });
  }, sk);
}

/** Video frames decoded so far from `peerId` (inbound-rtp), and audio packets received. */
function received(page, sk, peerId) {
  return page.evaluate(async ({ which, id }) => {
    // SkylinkJS 0.6 keeps its connections in _peerConnections; ours in peers (PeerSession).
    const pc = which === 'real' ? window.skylink._peerConnections[id]
      : ((which === 'app' ? window.aerieApp.skylink : window.skylink).peers.get(id) || { session: {} }).session.pc;
    if (!pc) return { frames: -1, audio: -1 };
    const stats = await pc.getStats();
    let frames = 0; let audio = 0;
    stats.forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') frames = Math.max(frames, r.framesDecoded || 0);
      if (r.type === 'inbound-rtp' && r.kind === 'audio') audio = Math.max(audio, r.packetsReceived || 0);
    });
    return { frames, audio };
  }, { which: sk, id: peerId });
}

/** Waits until `page` has decoded `n` more video frames (or received more audio packets) from `peerId`. */
async function keepsReceiving(page, sk, peerId, { what = 'frames', n = 20, timeoutMs = 30000, diag } = {}) {
  const first = await received(page, sk, peerId);
  const deadline = Date.now() + timeoutMs;
  let last = first;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    last = await received(page, sk, peerId);
    if (last[what] >= first[what] + n) return last;
  }
  assert.fail(`${page.label}: ${what} from ${peerId} did not advance by ${n}: ${JSON.stringify(first)} → ${JSON.stringify(last)}\n${diag ? await diag() : ''}`);
}

async function cameras(page) {
  return page.evaluate(async () => (await navigator.mediaDevices.enumerateDevices())
    .filter((d) => d.kind === 'videoinput').map((d) => ({ id: d.deviceId, label: d.label })));
}

// ---- the library ---------------------------------------------------------------------------------

describe('our library: switchMediaDevice and a lost camera, two pages', () => {
  const room = 'devices-lib';
  let context; let urls; let a; let b;

  async function join(page) {
    const init = await page.evaluate((o) => window.initSkylink(o), { appKey: env.appKey, defaultRoom: room });
    assert.equal(init.error, null, `${page.label}: init failed: ${JSON.stringify(init.error)}`);
    const j = await page.evaluate(() => window.joinSkylinkRoom(null, { audio: true, video: true }));
    assert.equal(j.error, null, `${page.label}: joinRoom failed: ${JSON.stringify(j.error)}\n${await pageDiagnostics(page)}`);
    page.peerId = j.peerId;
    // The harness records SkylinkJS' events; record ours too.
    await page.evaluate(() => window.skylink.on('mediaDeviceLost', (kind, lost, replacement, stream) => window.events.push({
      name: 'mediaDeviceLost', t: Date.now(), kind, lost, replacement, sameStream: !!stream && stream === document.getElementById('myvideo').srcObject,
    })));
  }

  /** What must not happen on B (and A) while A changes devices: anyone leaving or joining, a new stream, a renegotiation. */
  async function assertNoChurn(marks, { renegotiated = false } = {}) {
    for (const [page, mark] of marks) {
      const after = (await events(page)).slice(mark);
      const churn = after.filter((e) => (e.name === 'peerLeft' || e.name === 'peerJoined') && !e.isSelf);
      assert.deepEqual(churn, [], `${page.label}: nobody left or joined\n${await pageDiagnostics(page)}`);
      if (page === b) {
        assert.deepEqual(after.filter((e) => e.name === 'incomingStream'), [], 'B keeps the stream it has');
        if (!renegotiated) assert.deepEqual(after.filter((e) => e.name === 'handshakeProgress' && e.state === 'offer'), [], 'no renegotiation');
      }
    }
  }

  const marks = async () => [[a, (await events(a)).length], [b, (await events(b)).length]];

  before(async () => {
    context = await newContext(browser);
    urls = await routeLibraryPages(context, env.server.httpUrl, env.appKey);
    a = await openPage(context, urls.harness('ours'), 'A');
    b = await openPage(context, urls.harness('ours'), 'B');
    await join(a);
    await join(b);
    await waitForPlayingVideos(b, 1, 40000);
    await waitForPlayingVideos(a, 1, 40000);
  });
  after(async () => { await context?.close().catch(() => {}); });

  test('Chromium lists the three fake cameras', STEP, async () => {
    const cams = await cameras(a);
    assert.deepEqual(cams.map((c) => c.label).sort(), ['fake_device_0', 'fake_device_1', 'fake_device_2'], JSON.stringify(cams));
  });

  test('A switches to another camera: B keeps decoding A\'s video, nobody leaves, no renegotiation; a later page gets the new camera', STEP, async () => {
    const cams = await cameras(a);
    const before = await a.evaluate(() => {
      const s = document.getElementById('myvideo').srcObject;
      window.oldCam = s.getVideoTracks()[0];
      return { label: window.oldCam.label, streamId: s.id };
    });
    assert.equal(before.label, 'fake_device_0');
    const target = cams.find((c) => c.label === 'fake_device_2');
    const m = await marks();
    const r = await a.evaluate((id) => new Promise((resolve) => window.skylink.switchMediaDevice('video', id, (err, s) => resolve({
      error: err ? String(err.message || err) : null,
      sameStream: s === document.getElementById('myvideo').srcObject,
      label: s && s.getVideoTracks()[0] && s.getVideoTracks()[0].label,
      videoTracks: s ? s.getVideoTracks().length : 0,
      oldState: window.oldCam.readyState,
    }))), target.id);
    assert.deepEqual(r, { error: null, sameStream: true, label: 'fake_device_2', videoTracks: 1, oldState: 'ended' });
    const sent = await sentVideo(a, SK.lib);
    assert.deepEqual(sent.map((x) => [x.peer, x.label, x.state]), [[b.peerId, 'fake_device_2', 'live']], 'A sends the new camera to B');
    // B: frames keep coming (the old camera is stopped, so these are the new one's), and the <video> plays.
    await keepsReceiving(b, SK.lib, a.peerId, { diag: () => pageDiagnostics(b) });
    await waitForPlayingVideos(b, 1, 20000);
    await assertNoChurn(m);
    const own = (await events(a)).slice(m[0][1]).map((e) => e.name).filter((n) => ['mediaAccessSuccess', 'incomingStream', 'peerUpdated'].includes(n));
    assert.deepEqual(own.slice(0, 3), ['mediaAccessSuccess', 'incomingStream', 'peerUpdated'], 'A\'s page hears about its new stream');

    // A page that joins after the switch: A's first offer to it carries the new camera.
    const c = await openPage(context, urls.harness('ours'), 'C');
    try {
      await join(c);
      await waitForPlayingVideos(c, 2, 40000);
      const toC = (await sentVideo(a, SK.lib)).find((x) => x.peer === c.peerId);
      assert.equal(toC?.label, 'fake_device_2', JSON.stringify(await sentVideo(a, SK.lib)));
      await keepsReceiving(c, SK.lib, a.peerId, { diag: () => pageDiagnostics(c) });
    } finally {
      await c.evaluate(() => new Promise((r) => window.skylink.leaveRoom(() => r()))).catch(() => {});
      await c.close();
    }
    await waitForEvent(b, (e, id) => e.name === 'peerLeft' && e.peerId === id, c.peerId, { what: 'C left' });
  });

  test('A\'s camera is "unplugged" (ended): the library falls back to the other one and B keeps decoding', STEP, async () => {
    const m = await marks();
    const unplugged = await a.evaluate(() => {
      const t = document.getElementById('myvideo').srcObject.getVideoTracks()[0];
      window.unplugged = t;
      t.dispatchEvent(new Event('ended'));
      return t.label;
    });
    assert.equal(unplugged, 'fake_device_2');
    const lost = await waitForEvent(a, (e) => e.name === 'mediaDeviceLost', null, { what: 'mediaDeviceLost', timeoutMs: 20000 });
    assert.deepEqual([lost.kind, lost.lost.label, lost.replacement && lost.replacement.label, lost.sameStream], ['video', 'fake_device_2', 'fake_device_0', true]);
    assert.equal(await a.evaluate(() => window.unplugged.readyState), 'ended', 'the lost track is stopped');
    const sent = await sentVideo(a, SK.lib);
    assert.deepEqual(sent.map((x) => [x.label, x.state]), [['fake_device_0', 'live']]);
    await keepsReceiving(b, SK.lib, a.peerId, { diag: () => pageDiagnostics(b) });
    await waitForPlayingVideos(b, 1, 20000);
    await assertNoChurn(m);
  });

  test('no camera left: A goes on with audio only (B is told), then a camera picked again comes back to B', STEP, async () => {
    // Chromium's fake device count is fixed at launch: the page's device list is narrowed to say
    // "no other camera", and the live camera ends as above.
    const m = await marks();
    await a.evaluate(() => {
      const md = navigator.mediaDevices;
      window.realEnumerate = md.enumerateDevices.bind(md);
      md.enumerateDevices = async () => (await window.realEnumerate()).filter((d) => d.kind !== 'videoinput');
      document.getElementById('myvideo').srcObject.getVideoTracks()[0].dispatchEvent(new Event('ended'));
    });
    const lost = await waitForEvent(a, (e, n) => e.name === 'mediaDeviceLost' && e.lost.label === 'fake_device_0', null, { what: 'second mediaDeviceLost', timeoutMs: 20000 });
    assert.equal(lost.replacement, null);
    assert.equal(lost.sameStream, true);
    const tracks = await a.evaluate(() => document.getElementById('myvideo').srcObject.getTracks().map((t) => `${t.kind}:${t.readyState}`));
    assert.deepEqual(tracks, ['audio:live']);
    // B learns A sends no video (the renegotiation's userInfo), and keeps hearing A.
    await waitForEvent(b, (e, id) => e.name === 'peerUpdated' && e.peerId === id && e.mediaStatus && e.mediaStatus.videoMuted === true, a.peerId,
      { what: 'peerUpdated: A without video', timeoutMs: 30000 });
    await keepsReceiving(b, SK.lib, a.peerId, { what: 'audio', n: 25, diag: () => pageDiagnostics(b) });
    await assertNoChurn(m, { renegotiated: true });

    // A camera again: picking it brings A's video back to B, still without leaving.
    await a.evaluate(() => { navigator.mediaDevices.enumerateDevices = window.realEnumerate; });
    const cam = (await cameras(a)).find((c) => c.label === 'fake_device_2');
    const r = await a.evaluate((id) => new Promise((resolve) => window.skylink.switchMediaDevice('video', id, (err, s) => resolve({
      error: err ? String(err.message || err) : null, tracks: s ? s.getTracks().map((t) => t.kind).sort() : [] }))), cam.id);
    assert.deepEqual(r, { error: null, tracks: ['audio', 'video'] });
    await waitForEvent(b, (e, id) => e.name === 'peerUpdated' && e.peerId === id && e.mediaStatus && e.mediaStatus.videoMuted === false, a.peerId,
      { what: 'peerUpdated: A with video again', timeoutMs: 30000 });
    await keepsReceiving(b, SK.lib, a.peerId, { diag: () => pageDiagnostics(b) });
    await waitForPlayingVideos(b, 1, 20000);
    const after = (await events(b)).slice(m[1][1]);
    assert.deepEqual(after.filter((e) => (e.name === 'peerLeft' || e.name === 'peerJoined') && !e.isSelf), [], 'nobody left or joined');
  });
});

// ---- interop: the real SkylinkJS 0.6.37 on the other page ----------------------------------------

describe('the real SkylinkJS 0.6.37 on the other page keeps seeing our video after a switch', () => {
  test('ours switches camera and then loses it: SkylinkJS keeps decoding, sees nobody leave', STEP, async () => {
    const room = 'devices-interop';
    const context = await newContext(browser);
    try {
      const urls = await routeLibraryPages(context, env.server.httpUrl, env.appKey);
      const a = await openPage(context, urls.harness('ours'), 'OURS');
      const b = await openPage(context, urls.harness('real'), 'REAL');
      const base = { appKey: env.appKey, defaultRoom: room };
      for (const [page, extra] of [[a, {}], [b, { roomServer: `//127.0.0.1:${env.server.port}`, statsServer: `//127.0.0.1:${env.server.port}`, forceSSL: false }]]) {
        const init = await page.evaluate((o) => window.initSkylink(o), { ...base, ...extra });
        assert.equal(init.error, null, `${page.label}: init failed: ${JSON.stringify(init.error)}`);
        const j = await page.evaluate(() => window.joinSkylinkRoom(null, { audio: true, video: true }));
        assert.equal(j.error, null, `${page.label}: joinRoom failed: ${JSON.stringify(j.error)}\n${await pageDiagnostics(page)}`);
        page.peerId = j.peerId;
      }
      await waitForPlayingVideos(b, 1, 40000);
      const mark = (await events(b)).length;
      const cam = (await cameras(a)).find((c) => c.label === 'fake_device_2');
      const r = await a.evaluate((id) => new Promise((resolve) => window.skylink.switchMediaDevice('video', id, (err) => resolve(err ? String(err.message || err) : null))), cam.id);
      assert.equal(r, null);
      assert.deepEqual((await sentVideo(a, SK.lib)).map((x) => x.label), ['fake_device_2']);
      await keepsReceiving(b, SK.real, a.peerId, { diag: () => pageDiagnostics(b) });
      await waitForPlayingVideos(b, 1, 20000);
      // Unplugged: the fallback reaches SkylinkJS the same way.
      await a.evaluate(() => document.getElementById('myvideo').srcObject.getVideoTracks()[0].dispatchEvent(new Event('ended')));
      await a.waitForFunction(() => {
        const t = document.getElementById('myvideo').srcObject.getVideoTracks()[0];
        return t && t.label === 'fake_device_0' && t.readyState === 'live';
      }, null, { timeout: 20000 });
      await keepsReceiving(b, SK.real, a.peerId, { diag: () => pageDiagnostics(b) });
      await waitForPlayingVideos(b, 1, 20000);
      const after = (await events(b)).slice(mark);
      assert.deepEqual(after.filter((e) => e.name === 'peerLeft' || (e.name === 'peerJoined' && !e.isSelf) || e.name === 'streamEnded'), [],
        `SkylinkJS sees nobody leave and no stream end\n${await pageDiagnostics(b)}`);
    } finally {
      await context.close().catch(() => {});
    }
  });
});

// ---- the app -------------------------------------------------------------------------------------

describe('the app: the in-call Devices picker and a lost camera, two people', () => {
  const room = 'devices-app';
  let context; let a; let b;

  const selfVideoLabel = (page) => page.evaluate(() => {
    const me = window.aerieApp.model.store.get().participants.find((p) => p.isSelf);
    const t = me && me.stream && me.stream.getVideoTracks()[0];
    return t ? `${t.label}:${t.readyState}` : null;
  });

  async function churn(page) {
    return page.evaluate(() => window.churn);
  }

  before(async () => {
    context = await appContext(browser, env);
    a = await openAppPage(context, `${env.server.httpUrl}/r/${room}`, 'Ann');
    await joinAs(a, 'Ann');
    await waitInCall(a);
    b = await openAppPage(context, `${env.server.httpUrl}/r/${room}`, 'Ben');
    await joinAs(b, 'Ben');
    await waitInCall(b);
    await waitForRemoteVideos(b, 1, 40000);
    await waitForRemoteVideos(a, 1, 40000);
    for (const p of [a, b]) {
      await p.evaluate(() => {
        window.churn = [];
        const sk = window.aerieApp.skylink;
        sk.on('peerLeft', (id, info, isSelf) => { if (!isSelf) window.churn.push(`left ${id}`); });
        sk.on('peerJoined', (id, info, isSelf) => { if (!isSelf) window.churn.push(`joined ${id}`); });
      });
    }
    a.peerId = await a.evaluate(() => window.aerieApp.model.store.get().selfId);
  });
  after(async () => { await context?.close().catch(() => {}); });

  test('Ann picks another camera in Devices: Ben keeps seeing her video, nobody leaves', STEP, async () => {
    assert.equal(await selfVideoLabel(a), 'fake_device_0:live');
    await a.click('#btn-devices');
    await a.waitForSelector('#device-menu');
    const options = await a.$$eval('#call-camera-select option', (os) => os.map((o) => o.textContent));
    assert.deepEqual(options.sort(), ['fake_device_0', 'fake_device_1', 'fake_device_2']);
    await a.selectOption('#call-camera-select', { label: 'fake_device_2' });
    await a.waitForFunction(() => {
      const me = window.aerieApp.model.store.get().participants.find((p) => p.isSelf);
      const t = me && me.stream && me.stream.getVideoTracks()[0];
      return t && t.label === 'fake_device_2' && window.aerieApp.model.devices.store.get().switching === null;
    }, null, { timeout: 20000 }).catch(async (e) => assert.fail(`${e.message}\n${await appDiagnostics(a)}`));
    assert.deepEqual((await sentVideo(a, SK.app)).map((x) => [x.label, x.state]), [['fake_device_2', 'live']]);
    const selected = await a.$eval('#call-camera-select', (s) => s.options[s.selectedIndex].textContent);
    assert.equal(selected, 'fake_device_2');
    await keepsReceiving(b, SK.app, a.peerId, { diag: () => appDiagnostics(b) });
    await waitForRemoteVideos(b, 1, 20000);
    assert.deepEqual(await churn(b), []);
    assert.deepEqual(await churn(a), []);
    assert.equal(await a.evaluate(() => window.aerieApp.model.store.get().phase), 'in-call');
    await a.click('#device-menu .btn');
  });

  test('Ann\'s camera is "unplugged": a note names both cameras, the other one takes over, Ben keeps seeing her', STEP, async () => {
    await a.evaluate(() => {
      const me = window.aerieApp.model.store.get().participants.find((p) => p.isSelf);
      me.stream.getVideoTracks()[0].dispatchEvent(new Event('ended'));
    });
    const note = await a.waitForSelector('#device-notice', { timeout: 20000 }).then((h) => h.textContent())
      .catch(async (e) => assert.fail(`${e.message}\n${await appDiagnostics(a)}`));
    assert.match(note, /Your camera “fake_device_2” stopped working\. Now using “fake_device_0”\./);
    await a.waitForFunction(() => {
      const me = window.aerieApp.model.store.get().participants.find((p) => p.isSelf);
      const t = me && me.stream && me.stream.getVideoTracks()[0];
      return t && t.label === 'fake_device_0' && t.readyState === 'live';
    }, null, { timeout: 20000 });
    assert.deepEqual((await sentVideo(a, SK.app)).map((x) => [x.label, x.state]), [['fake_device_0', 'live']]);
    const cameraId = await a.evaluate(() => window.aerieApp.model.devices.store.get().cameraId);
    const cams = await cameras(a);
    assert.equal(cams.find((c) => c.id === cameraId)?.label, 'fake_device_0', 'the picker follows');
    assert.equal(await a.evaluate(() => window.aerieApp.model.store.get().hasVideo), true);
    await keepsReceiving(b, SK.app, a.peerId, { diag: () => appDiagnostics(b) });
    await waitForRemoteVideos(b, 1, 20000);
    assert.deepEqual(await churn(b), []);
    await a.click('#device-notice button');
    await a.waitForSelector('#device-notice', { state: 'detached', timeout: 5000 });
  });
});
