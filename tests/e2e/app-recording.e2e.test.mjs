// End to end: recording in the conferencing app (webapp/) in an SFU room, then the recording in
// the developer console. The app's key is an app made with `--media sfu`. Ada makes the room and
// owns it: she has the Record button, Bob does not. Ada records: every page shows the
// "Recording" pill, also Cara's, who joins during the recording; Ada stops it and every page
// says it is saved. Ada leaves: Bob owns the room now and gets the button. Then the console
// (signed in with the admin token) lists the recording with its files, downloads one that plays
// in Chromium with the recorded length, plays and seeks in one in a <video> through the admin
// API (range requests, 206), and deletes the recording after its confirmation. Three pages with
// media at most. Run inside a network namespace with only `lo`:
//   unshare -n sh -c 'ip link set lo up; exec node --test --test-reporter=spec --test-concurrency=1 tests/e2e/app-recording.e2e.test.mjs'
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launchChromium, peerConnectionProbe } from '../lib/browser.mjs';
import { startAerie } from '../lib/server.mjs';
import { adminToken, admin, adminRequest } from '../lib/admin.mjs';
import { appContext, buildWebapp, explained, joinAs, openAppPage, waitForRemoteVideos, waitInCall } from '../lib/app.mjs';
import { playWebm } from '../lib/webm.mjs';

const STEP = { timeout: 120000 };
const ROOM = `rec-app-${process.pid}`;
const TALK_MS = 8000;

let env;
let browser;
let context;
let token;

before(async () => {
  buildWebapp();
  const server = await startAerie({ apps: [{ name: 'rec-app', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'sfu'] }] });
  env = { server, appKey: server.app.appKey, configServed: false };
  token = await adminToken(server);
  browser = await launchChromium();
  context = await appContext(browser, env);
  await context.addInitScript(peerConnectionProbe);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (env) await env.server.stop();
});

const recordButtons = (p) => p.locator('#btn-record').count();
const recView = (p) => p.evaluate(() => window.aerieApp.model.recording.store.get());

describe('recording in the app, and in the console', () => {
  const pages = {};
  const ids = {};
  let recordingId = null;
  let recordedMs = 0;
  const roomUrl = () => `${env.server.httpUrl}/r/${ROOM}`;

  after(async () => {
    for (const p of Object.values(pages)) await p?.close().catch(() => {});
  });

  test('the owner (who made the room) has the Record button, the other does not', STEP, async () => {
    pages.A = await openAppPage(context, roomUrl(), 'A');
    await joinAs(pages.A, 'Ada');
    await waitInCall(pages.A);
    pages.B = await openAppPage(context, roomUrl(), 'B');
    await joinAs(pages.B, 'Bob');
    await waitInCall(pages.B);
    const { A, B } = pages;
    for (const [label, p] of Object.entries({ A, B })) ids[label] = await p.evaluate(() => window.aerieApp.skylink.peerId);
    await explained([A], () => A.waitForSelector('#btn-record', { timeout: 15000 }));
    assert.match(await A.textContent('#btn-record'), /Record/);
    // Bob's page knows it could record (an SFU room) and that he is not the owner: no button.
    await explained([B], () => B.waitForFunction(() => window.aerieApp.model.recording.store.get().available, null, { timeout: 15000 }));
    assert.equal((await recView(B)).isOwner, false);
    assert.equal(await recordButtons(B), 0, 'Bob has no Record button');
    for (const p of [A, B]) assert.equal(await p.evaluate(() => window.aerieApp.skylink.getRoomOwner()), ids.A);
    await explained([A, B], () => Promise.all([waitForRemoteVideos(A, 1, 45000), waitForRemoteVideos(B, 1, 45000)]));
  });

  test('Record: every page shows the indicator, also one who joins during it; Stop: saved', STEP, async () => {
    const { A, B } = pages;
    await A.click('#btn-record');
    for (const p of [A, B]) await explained([p], () => p.waitForSelector('#recording-indicator', { timeout: 15000 }));
    const started = Date.now();
    recordingId = (await recView(A)).recordingId;
    assert.ok(recordingId, 'the page knows the recording id');
    assert.equal((await recView(B)).recordingId, recordingId);
    assert.match(await A.textContent('#btn-record'), /Stop recording/);

    pages.C = await openAppPage(context, roomUrl(), 'C');
    const { C } = pages;
    await joinAs(C, 'Cara');
    await waitInCall(C);
    await explained([C], () => C.waitForSelector('#recording-indicator', { timeout: 15000 }));
    assert.equal(await recordButtons(C), 0, 'Cara has no Record button');
    ids.C = await C.evaluate(() => window.aerieApp.skylink.peerId);
    await explained([C], () => waitForRemoteVideos(C, 2, 45000));

    const rest = TALK_MS - (Date.now() - started);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
    await A.click('#btn-record');
    for (const p of [A, B, C]) {
      await explained([p], () => p.waitForSelector('#recording-indicator', { state: 'detached', timeout: 15000 }));
      await explained([p], () => p.waitForSelector('#recording-note', { timeout: 5000 }));
      assert.match(await p.textContent('#recording-note'), /saved on the server/);
    }
    recordedMs = Date.now() - started;
    assert.match(await A.textContent('#btn-record'), /^\s*Record\s*$/);
  });

  test('the owner leaves: the one longest in the room gets the button', STEP, async () => {
    const { A, B, C } = pages;
    await A.click('#btn-leave');
    await A.waitForSelector('#left-title');
    await explained([B], () => B.waitForSelector('#btn-record', { timeout: 15000 }));
    assert.equal(await B.evaluate(() => window.aerieApp.skylink.getRoomOwner()), ids.B);
    assert.equal(await recordButtons(C), 0, 'Cara still has none');
    await A.close();
    delete pages.A;
  });

  test('the console lists the recording, downloads a file that plays, seeks in one, deletes it', STEP, async (t) => {
    const page = await context.newPage();
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.accept(); });
    await page.goto(`${env.server.httpUrl}/console`);
    await page.fill('#token', token);
    await page.click('#signin');
    await page.waitForSelector('#console:not(.hidden)');
    const row = page.locator(`tr[data-recording="${recordingId}"]`);
    await row.waitFor({ timeout: 15000 });
    assert.equal((await row.locator('.rec-room').textContent()).trim(), ROOM);
    // Ada and Bob from the start, Cara from her first key frame after joining.
    const files = await row.locator('li[data-file]').evaluateAll((lis) => lis.map((li) => li.dataset.file).sort());
    assert.deepEqual(files, [ids.A, ids.B, ids.C].map((id) => `${id}.webm`).sort(), await row.innerHTML());
    const length = (await row.locator('.rec-length').textContent()).trim();
    const [m, s] = length.split(':').map(Number);
    assert.ok(Math.abs((m * 60 + s) * 1000 - recordedMs) < 3000, `length ${length} for about ${recordedMs} ms`);
    const { recordings } = await admin(env.server, token, 'GET', '/recordings');
    const listed = recordings.find((r) => r.id === recordingId);

    // Download Bob's file: the bytes the admin API has, and it plays for the recorded length.
    const bobFile = `${ids.B}.webm`;
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 20000 }),
      row.locator(`li[data-file="${bobFile}"] button.download`).click(),
    ]);
    assert.equal(download.suggestedFilename(), bobFile);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.length, listed.files.find((f) => f.name === bobFile).bytes);
    // (Played on a page of its own: the console's Content Security Policy allows no blob: media.)
    const player = await context.newPage();
    const played = await playWebm(player, bytes);
    t.diagnostic(`recorded for ${recordedMs} ms; Bob's file: ${JSON.stringify(played)}`);
    assert.ok(Math.abs(played.duration * 1000 - recordedMs) < 2500, `duration ${played.duration} s for about ${recordedMs} ms: ${JSON.stringify(played)}`);
    assert.ok(played.width > 0 && played.videoBytes > 0 && played.audioBytes > 0, JSON.stringify(played));

    // Ada's file in a <video> straight from the admin API (the token added to its requests, as a
    // proxy in front of aerie would): Chromium asks for ranges and seeks to the middle.
    const adaUrl = `${env.server.httpUrl}/admin/v1/recordings/${recordingId}/${ids.A}.webm`;
    const replies = [];
    await player.route(adaUrl, (route) => route.continue({ headers: { ...route.request().headers(), authorization: `Bearer ${token}` } }));
    player.on('response', (r) => { if (r.url() === adaUrl) replies.push({ status: r.status(), range: r.headers()['content-range'] || null }); });
    await player.goto(`${env.server.httpUrl}/health`);
    const seek = await player.evaluate(async (src) => {
      const v = document.createElement('video');
      v.muted = true;
      document.body.appendChild(v);
      const once = (name) => new Promise((resolve, reject) => {
        v.addEventListener(name, resolve, { once: true });
        v.addEventListener('error', () => reject(new Error(`video error ${v.error && v.error.code}: ${v.error && v.error.message}`)), { once: true });
      });
      const loaded = once('loadedmetadata');
      v.src = src;
      await loaded;
      const duration = v.duration;
      const seeked = once('seeked');
      v.currentTime = duration / 2;
      await seeked;
      await v.play();
      await new Promise((r) => setTimeout(r, 1000));
      const out = { duration, currentTime: v.currentTime, width: v.videoWidth };
      v.pause();
      return out;
    }, adaUrl);
    await player.close();
    t.diagnostic(`Ada's file in a <video>: ${JSON.stringify(seek)}; replies ${JSON.stringify(replies)}`);
    assert.ok(seek.currentTime > seek.duration / 2, `played on from the middle: ${JSON.stringify(seek)}`);
    assert.ok(Math.abs(seek.duration * 1000 - recordedMs) < 2500, JSON.stringify(seek));
    assert.ok(replies.some((r) => r.status === 206 && /^bytes \d+-\d+\/\d+$/.test(r.range)), `range replies: ${JSON.stringify(replies)}`);

    // Delete, after the confirmation: gone from the list and from the API.
    await row.locator('button.delete').click();
    await row.waitFor({ state: 'detached', timeout: 15000 });
    assert.equal(dialogs.length, 1);
    assert.match(dialogs[0], new RegExp(`Delete the recording of room “${ROOM}” \\(3 files\\)`));
    assert.equal((await adminRequest(env.server, token, 'GET', `/recordings/${recordingId}`)).status, 404);
    await page.close();
  });
});
