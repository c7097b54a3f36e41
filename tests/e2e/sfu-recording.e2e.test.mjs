// End to end: recording an SFU room with the real SkylinkJS 2.7.2 in Chromium. Two pages
// publish audio and video; one calls startRecording, both talk for about ten seconds, the other
// calls stopRecording; every page sees recordingEvent on and off (and the url, which 2.x does not
// report as an event but receives). Then each publisher's WebM file, downloaded through the
// admin API, plays in Chromium with about ten seconds of audio and video at the size the page
// sent. Run inside a network namespace with only `lo` (tests/e2e/run.sh).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { startAerie, request } from '../lib/server.mjs';
import { adminToken, adminRequest, admin } from '../lib/admin.mjs';
import { launchChromium, newContext, waitForEvent, peerConnectionProbe } from '../lib/browser.mjs';
import { routeReleasePages, openReleasePage, releaseDiagnostics, waitForRemoteVideo, socketTrace } from '../lib/releases.mjs';
import { playWebm } from '../lib/webm.mjs';

const ROOM = `rec-${process.pid}`;
const TALK_MS = 10000;
let server;
let browser;
let context;
let pages;
let token;

before(async () => {
  server = await startAerie({ apps: [{ name: 'sfu', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'sfu'] }] });
  token = await adminToken(server);
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
  return page;
}

// The size the page's camera is sent at now (outbound-rtp), as the recording should have it.
function sentSize(page) {
  return page.evaluate(async () => {
    const pc = window.__peerConnections.find((p) => p.remoteDescription && p.connectionState !== 'closed');
    let size = null;
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'outbound-rtp' && s.kind === 'video' && s.frameWidth) size = { width: s.frameWidth, height: s.frameHeight };
    });
    return size;
  });
}

describe('recording an SFU room: SkylinkJS 2.7.2', () => {
  let a;
  let b;
  let firstId;
  test('start, talk for 10 s, stop: recordingEvent on every page, one WebM per publisher that plays', { timeout: 180000 }, async () => {
    a = await openAndJoin('A');
    b = await openAndJoin('B');
    await Promise.all([
      waitForRemoteVideo(a, b.peerId, { what: "B's video through the SFU" }),
      waitForRemoteVideo(b, a.peerId, { what: "A's video through the SFU" }),
    ]);

    // 2.7.2's API: startRecording(roomName) sends startRecordingRoom to the MCU.
    await a.evaluate((room) => { window.skylink.startRecording(room).catch(() => {}); }, ROOM);
    const started = [];
    for (const p of [a, b]) {
      started.push(await waitForEvent(p, (e) => e.name === 'recordingState' && e.state === 0, null,
        { what: 'recordingState START (recordingEvent on)', timeoutMs: 15000 })
        .catch(async (e) => { throw new Error(`${e.message}\n${await releaseDiagnostics(p)}`); }));
    }
    const id = started[0].recordingId;
    firstId = id;
    assert.ok(id, JSON.stringify(started[0]));
    assert.equal(started[1].recordingId, id);
    // The sizes each camera is sent at meanwhile (the browser adapts it to its bandwidth
    // estimate: 320x240 at first, larger a few seconds later).
    const sizes = { [a.peerId]: [], [b.peerId]: [] };
    const talkEnd = Date.now() + TALK_MS;
    while (Date.now() < talkEnd) {
      for (const p of [a, b]) sizes[p.peerId].push(JSON.stringify(await sentSize(p)));
      await new Promise((r) => setTimeout(r, 500));
    }
    await b.evaluate((room) => { window.skylink.stopRecording(room).catch(() => {}); }, ROOM);
    for (const p of [a, b]) {
      const off = await waitForEvent(p, (e) => e.name === 'recordingState' && e.state === 1, null,
        { what: 'recordingState STOP (recordingEvent off)', timeoutMs: 15000 });
      assert.equal(off.recordingId, id);
      // on, off and url arrived (2.x ignores the url; 0.6.37 reports it).
      const deadline = Date.now() + 5000;
      let n = 0;
      while (Date.now() < deadline && n < 3) {
        n = (await socketTrace(p)).filter((t) => t.includes('in recordingEvent')).length;
        if (n < 3) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(n >= 3, `${p.label}: recordingEvent on, off and url: ${(await socketTrace(p)).slice(-15).join(' | ')}`);
    }

    // The admin API lists the recording with one file per publisher.
    assert.equal((await adminRequest(server, null, 'GET', '/recordings')).status, 401);
    const list = await admin(server, token, 'GET', '/recordings');
    const rec = list.recordings.find((r) => r.id === id);
    assert.ok(rec, JSON.stringify(list));
    assert.equal(rec.room, ROOM);
    assert.equal(rec.appKey, server.app.appKey);
    assert.equal(rec.active, false);
    assert.ok(rec.endedAt);
    assert.deepEqual(rec.files.map((f) => f.name).sort(), [`${a.peerId}.webm`, `${b.peerId}.webm`].sort());

    const player = await context.newPage();
    for (const f of rec.files) {
      const res = await adminRequest(server, token, 'GET', `/recordings/${id}/${f.name}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'video/webm');
      const bytes = res.raw;
      assert.equal(bytes.length, f.bytes);
      const played = await playWebm(player, bytes);
      const sent = sizes[f.name.replace(/\.webm$/, '')];
      // Started at the first key frame after the request (a PLI's round trip) and stopped
      // about 10 s later.
      assert.ok(played.duration > TALK_MS / 1000 - 1.5 && played.duration < TALK_MS / 1000 + 2,
        `${f.name}: duration ${played.duration} s: ${JSON.stringify(played)}`);
      // The file's first frame is one of the sizes the page sent.
      assert.ok(sent.includes(JSON.stringify({ width: played.width, height: played.height })),
        `${f.name}: ${JSON.stringify(played)} sent ${[...new Set(sent)].join(' ')}`);
      assert.ok(played.videoBytes > 0 && played.audioBytes > 0, `${f.name}: audio and video decode: ${JSON.stringify(played)}`);
      assert.ok(played.currentTime > 0.5, `${f.name}: plays: ${JSON.stringify(played)}`);
    }
    const metrics = (await request(server, '/metrics')).body;
    assert.match(metrics, /^aerie_recorded_bytes_total [1-9]/m);
    assert.match(metrics, /^aerie_recording_files 0/m);

    // Deleted through the admin API.
    await admin(server, token, 'DELETE', `/recordings/${id}`);
    assert.equal((await adminRequest(server, token, 'GET', `/recordings/${id}`)).status, 404);
  });

  test('kill -9 during a recording: each file on disk plays up to within about a second of the kill', { timeout: 120000 }, async (t) => {
    assert.ok(a && b, 'the pages of the first test');
    await a.evaluate((room) => { window.skylink.startRecording(room).catch(() => {}); }, ROOM);
    const on = await waitForEvent(a, (e, first) => e.name === 'recordingState' && e.state === 0 && e.recordingId !== first, firstId,
      { what: 'the second recording starts', timeoutMs: 15000 });
    // waitForEvent polls every 100 ms: the event came at most that long before now.
    const startedAt = Date.now();
    await new Promise((r) => setTimeout(r, 6000));
    // kill -9, and aerie starts again on the same data directory.
    const restarted = server.crashAndRestart();
    const elapsed = (Date.now() - startedAt) / 1000;
    await restarted;
    const dir = path.join(server.dataDir, 'recordings', on.recordingId);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.webm'));
    assert.equal(files.length, 2, `${dir}: ${files}`);
    const player = await context.newPage();
    for (const f of files) {
      const bytes = await readFile(path.join(dir, f));
      const played = await playWebm(player, bytes, { seekToEnd: true, playMs: 1000 });
      t.diagnostic(`${f}: ${played.duration.toFixed(2)} s playable of ${elapsed.toFixed(2)} s recorded before the kill`);
      // No Duration in the file (never closed): Chromium finds it by reading to the end.
      assert.equal(played.durationAtLoad, Infinity, JSON.stringify(played));
      assert.ok(played.duration > elapsed - 2 && played.duration <= elapsed + 0.5,
        `${f}: plays ${played.duration} s of the ${elapsed.toFixed(2)} s before the kill: ${JSON.stringify(played)}`);
      assert.ok(played.videoBytes > 0 && played.audioBytes > 0, `${f}: ${JSON.stringify(played)}`);
    }
    // The restarted server lists it: cut short, with no end.
    const rec = (await admin(server, token, 'GET', '/recordings')).recordings.find((r) => r.id === on.recordingId);
    assert.ok(rec);
    assert.equal(rec.endedAt, null);
    assert.equal(rec.active, false);
    assert.equal(rec.files.length, 2);
  });
});
