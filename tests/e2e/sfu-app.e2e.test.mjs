// End to end: the conferencing app (webapp/) in an SFU room. Its key is an app made with
// `--media sfu`, so the room API says hasMCU and Aerie's library sends every page's media through
// aerie's MCU (one RTCPeerConnection a page). Three people join through the app's own buttons:
// each plays the two others' videos, the speaker highlight (aerie names the loudest publisher
// from RFC 6464 levels; Chromium's fake microphones beep) shows on a tile, and one who leaves is
// gone from the two others. Three pages at 640x480 at most. Run inside a network namespace with
// only `lo`:
//   unshare -n sh -c 'ip link set lo up; exec node --test --test-reporter=spec --test-concurrency=1 tests/e2e/sfu-app.e2e.test.mjs'
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, peerConnectionProbe } from '../lib/browser.mjs';
import { startAerie } from '../lib/server.mjs';
import { appContext, buildWebapp, explained, joinAs, openAppPage, remoteTiles, waitForRemoteVideos, waitInCall } from '../lib/app.mjs';

const STEP = { timeout: 120000 };
const NAMES = { A: 'Ada', B: 'Bob', C: 'Cara' };

let env;
let browser;
let context;

before(async () => {
  buildWebapp();
  const server = await startAerie({ apps: [{ name: 'sfu-app', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'sfu'] }] });
  // The app reads its key from /app-config.json: appContext answers it with the SFU app's key.
  env = { server, appKey: server.app.appKey, configServed: false };
  browser = await launchChromium();
  context = await appContext(browser, env);
  await context.addInitScript(peerConnectionProbe);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (env) await env.server.stop();
});

describe('the app in an SFU room', () => {
  const pages = {};
  const roomUrl = () => `${env.server.httpUrl}/r/sfu-app-${process.pid}`;

  after(async () => {
    for (const p of Object.values(pages)) await p?.close().catch(() => {});
  });

  test('three people join: each plays the two others\' videos, through aerie', STEP, async () => {
    for (const [label, name] of Object.entries(NAMES)) {
      pages[label] = await openAppPage(context, roomUrl(), label);
      await joinAs(pages[label], name);
    }
    for (const p of Object.values(pages)) {
      await waitInCall(p);
      // What the library tells the app (no media flows yet, so nothing is missed).
      await p.evaluate(() => {
        window.__speakers = [];
        window.aerieApp.skylink.on('activeSpeakerChanged', (id, isSelf) => { window.__speakers.push([id, isSelf]); });
      });
    }
    for (const [label, p] of Object.entries(pages)) {
      assert.equal(await p.evaluate(() => window.aerieApp.skylink.hasMCU), true, `${label}: the library is in an SFU room`);
      const tiles = await explained([p], () => waitForRemoteVideos(p, 2, 45000));
      const expected = Object.entries(NAMES).filter(([l]) => l !== label).map(([, n]) => n).sort();
      assert.deepEqual(tiles.map((t) => t.name).sort(), expected, `${label} shows the two others by name`);
      const pcs = await p.evaluate(() => window.__negotiated());
      assert.equal(pcs.length, 1, `${label}: one RTCPeerConnection, to aerie's MCU: ${JSON.stringify(pcs)}`);
      assert.equal(pcs[0].receivers >= 4, true, `${label}: the two others' audio and video arrive on it: ${JSON.stringify(pcs)}`);
    }
  });

  test('the speaker highlight shows on a tile, named by aerie (activeSpeakerChanged)', STEP, async () => {
    for (const [label, p] of Object.entries(pages)) {
      // In an SFU room the app measures no levels itself: a highlighted tile comes from the server.
      await explained([p], () => p.waitForFunction(() => {
        const t = document.querySelector('.tile[data-speaking="true"]');
        if (!t) return false;
        window.__speakingTile = { peer: t.dataset.peer, self: t.dataset.self === 'true', label: t.getAttribute('aria-label') };
        return true;
      }, null, { timeout: 30000, polling: 50 }));
      const tile = await p.evaluate(() => window.__speakingTile);
      assert.match(tile.label, /speaking/, `${label}: the highlighted tile says so to screen readers: ${JSON.stringify(tile)}`);
      const known = await p.evaluate(() => window.aerieApp.model.store.get().participants.map((x) => x.key));
      assert.ok(known.includes(tile.peer), `${label}: the highlighted tile is a participant's: ${JSON.stringify({ tile, known })}`);
      // ... and it is someone the library named in an activeSpeakerChanged.
      const named = await p.evaluate(() => window.__speakers);
      assert.ok(tile.self ? named.some(([, isSelf]) => isSelf) : named.some(([id]) => id === tile.peer),
        `${label}: the highlighted tile (${JSON.stringify(tile)}) was named by activeSpeakerChanged: ${JSON.stringify(named)}`);
      assert.ok(named.every(([id], i) => i === 0 || id !== named[i - 1][0]), `${label}: only changes are announced: ${JSON.stringify(named)}`);
    }
    // The library's own value is one of the room's peers (or nobody at this instant).
    const ids = await Promise.all(Object.values(pages).map((p) => p.evaluate(() => window.aerieApp.skylink.peerId)));
    for (const p of Object.values(pages)) {
      const now = await p.evaluate(() => window.aerieApp.skylink.activeSpeaker);
      assert.ok(now === null || ids.includes(now), `${p.label}: activeSpeaker ${now} is one of ${ids}`);
    }
  });

  test('one leaves: gone from the two others, who keep playing each other', STEP, async () => {
    const { A, B, C } = pages;
    await C.click('#btn-leave');
    await C.waitForSelector('#left-title');
    for (const p of [A, B]) {
      await explained([p], () => p.waitForFunction(() => {
        const names = Array.from(document.querySelectorAll('.tile[data-self="false"] .tile-name')).map((n) => n.textContent);
        return names.length === 1 && !names.includes('Cara');
      }, null, { timeout: 15000 }));
      const tiles = await explained([p], () => waitForRemoteVideos(p, 1, 20000));
      assert.equal(tiles[0].name, p === A ? 'Bob' : 'Ada');
    }
    assert.deepEqual((await remoteTiles(A)).map((t) => t.name), ['Bob']);
    await C.close();
    delete pages.C;
  });
});
