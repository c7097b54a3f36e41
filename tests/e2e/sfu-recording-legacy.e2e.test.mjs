// End to end: recording an SFU room with the real SkylinkJS 0.6.37 from npm, unmodified. 0.6.37
// has the API (publish/skylink.complete.js: startRecording(callback), stopRecording(callback,
// callbackSuccessWhenLink), getRecordings(), the recordingState event; it sends
// startRecordingRoom / stopRecordingRoom with target MCU and reads recordingEvent on, off, url
// and error). Two pages: A starts, both see START with the same id, both talk for a few seconds
// (0.6.37 refuses to stop before 4 s), B stops and its callback gets the link, both see STOP
// and LINK; the admin API has one file per publisher, which plays in Chromium. Run inside a
// network namespace with only `lo` (tests/e2e/run.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie } from '../lib/server.mjs';
import { adminToken, adminRequest, admin } from '../lib/admin.mjs';
import { launchChromium, newContext, waitForEvent, peerConnectionProbe } from '../lib/browser.mjs';
import { routeReleasePages, openReleasePage, releaseDiagnostics, waitForRemoteVideo } from '../lib/releases.mjs';
import { playWebm } from '../lib/webm.mjs';

const ROOM = `rec-06-${process.pid}`;
const TALK_MS = 6000;
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
  pages = await routeReleasePages(context, server.httpsUrl, ['0.6.37']);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (pages) await pages.cleanup();
  if (server) await server.stop();
});

async function join06(label) {
  const page = await openReleasePage(context, pages.url('0.6.37'), `0.6.37 ${label}`);
  const init = await page.evaluate((o) => window.initSkylink(o), {
    appKey: server.app.appKey, defaultRoom: ROOM, roomServer: `//127.0.0.1:${server.port}`, statsServer: `//127.0.0.1:${server.port}`,
  });
  assert.equal(init.error, null, `${label}: init: ${JSON.stringify(init.error)}`);
  // The fixture records the events the tests read; recordingState is added here.
  await page.evaluate(() => {
    window.skylink.on('recordingState', (state, recordingId, link, error) => {
      window.events.push({ name: 'recordingState', t: Date.now(), state, recordingId, link, error: error ? String(error.message || error) : null });
    });
  });
  const r = await page.evaluate((o) => window.joinSkylinkRoom(o), { audio: true, video: true, userData: label });
  assert.equal(r.error, null, `${label}: joinRoom: ${JSON.stringify(r.error)}\n${await releaseDiagnostics(page)}`);
  page.peerId = r.peerId || (await waitForEvent(page, (e) => e.name === 'peerJoined' && e.isSelf, null, { timeoutMs: 30000 })).peerId;
  return page;
}

const stateOf = (page, state, what) => waitForEvent(page, (e, s) => e.name === 'recordingState' && e.state === s, state,
  { what: `${page.label}: ${what}`, timeoutMs: 15000 }).catch(async (e) => { throw new Error(`${e.message}\n${await releaseDiagnostics(page)}`); });

test('0.6.37: startRecording, recordingState on both pages, stopRecording with the link, files that play', { timeout: 180000 }, async () => {
  const a = await join06('A');
  const b = await join06('B');
  try {
    await Promise.all([
      waitForRemoteVideo(a, b.peerId, { what: "B's video at A" }),
      waitForRemoteVideo(b, a.peerId, { what: "A's video at B" }),
    ]);
    const startedAt = Date.now();
    const started = await a.evaluate(() => new Promise((resolve) => {
      window.skylink.startRecording((error, recordingId) => resolve({ error: error ? String(error.message || error) : null, recordingId }));
    }));
    assert.equal(started.error, null, JSON.stringify(started));
    const id = started.recordingId;
    assert.ok(id);
    for (const p of [a, b]) assert.equal((await stateOf(p, 0, 'START')).recordingId, id);

    await new Promise((r) => setTimeout(r, TALK_MS));
    const stopped = await b.evaluate(() => new Promise((resolve) => {
      window.skylink.stopRecording((error, result) => resolve({ error: error ? String(error.message || error) : null, result }), true);
    }));
    const recordedMs = Date.now() - startedAt;
    assert.equal(stopped.error, null, JSON.stringify(stopped));
    assert.deepEqual(stopped.result, { link: { mixin: `/admin/v1/recordings/${id}` }, recordingId: id });
    for (const p of [a, b]) {
      assert.equal((await stateOf(p, 1, 'STOP')).recordingId, id);
      const link = await stateOf(p, 2, 'LINK');
      assert.deepEqual(link.link, { mixin: `/admin/v1/recordings/${id}` });
      const mine = await p.evaluate((rid) => window.skylink.getRecordings()[rid], id);
      assert.equal(mine.active, false);
      assert.equal(mine.state, 2);
    }

    // The link is the admin API's: without the token, nothing.
    assert.equal((await adminRequest(server, null, 'GET', `/recordings/${id}`)).status, 401);
    const rec = await admin(server, token, 'GET', `/recordings/${id}`);
    assert.equal(rec.room, ROOM);
    assert.deepEqual(rec.files.map((f) => f.name).sort(), [`${a.peerId}.webm`, `${b.peerId}.webm`].sort());
    const player = await context.newPage();
    for (const f of rec.files) {
      const res = await adminRequest(server, token, 'GET', `/recordings/${id}/${f.name}`);
      assert.equal(res.status, 200);
      const played = await playWebm(player, res.raw);
      assert.ok(played.duration > TALK_MS / 1000 - 1.5 && played.duration < recordedMs / 1000 + 1,
        `${f.name}: duration ${played.duration} s, recorded for ${recordedMs} ms: ${JSON.stringify(played)}`);
      assert.ok(played.width > 0 && played.videoBytes > 0 && played.audioBytes > 0, `${f.name}: ${JSON.stringify(played)}`);
    }
    await player.close();
  } finally {
    for (const p of [a, b]) await p.close().catch(() => {});
  }
});
