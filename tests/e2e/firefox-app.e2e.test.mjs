// End to end: the conferencing app (webapp/, served by aerie at / and /r/<room>) with two Firefox
// pages (firefox-esr under puppeteer-core) and two Chromium pages (playwright-core) in one room,
// driven through the pages' buttons and fields. Run inside a network namespace with only `lo`:
//   unshare -n sh -c 'ip link set lo up; exec node --test tests/e2e/firefox-app.e2e.test.mjs'
// Four pages with media at once, the most the machine's capacity note allows.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { launchChromium } from '../lib/browser.mjs';
import { appContext, buildWebapp, explained, joinAs, openAppPage, remoteTiles, startAerieForApp, waitForRemoteVideos, waitInCall } from '../lib/app.mjs';
import { closeFirefox, launchFirefox, openFirefoxPage, requireFirefox } from '../lib/firefox.mjs';

// Generous: the machine is shared, and a step that is slow under load should still pass.
const STEP = { timeout: 180000 };
const CLICK = { timeout: 60000 };

let env;
let firefox;
let chromium;
let context;

before(async () => {
  requireFirefox();
  buildWebapp();
  env = await startAerieForApp();
  // Firefox pages cannot be given /app-config.json by routing: aerie must serve it.
  assert.ok(env.configServed, 'aerie serves /app-config.json (the app\'s key) to every browser');
  [firefox, chromium] = await Promise.all([launchFirefox(), launchChromium()]);
  context = await appContext(chromium, env);
});

after(async () => {
  await context?.close().catch(() => {});
  await chromium?.close().catch(() => {});
  await closeFirefox(firefox);
  await env?.server.stop();
});

function chatTexts(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll('#side-panel:not([hidden]) .msg .msg-text')).map((m) => m.textContent));
}

/** Opens the chat panel (if closed) and waits until `text` shows in it. */
async function seeChat(page, text) {
  if (await page.evaluate(() => document.getElementById('side-panel')?.hidden !== false)) await page.click('#btn-chat', CLICK);
  await explained([page], () => page.waitForFunction((t) => Array.from(document.querySelectorAll('#side-panel:not([hidden]) .msg .msg-text'))
    .some((m) => m.textContent === t), text, { timeout: 30000, polling: 100 }));
}

async function say(page, text) {
  if (await page.evaluate(() => document.getElementById('side-panel')?.hidden !== false)) await page.click('#btn-chat', CLICK);
  await page.fill('#chat-input', text);
  await page.press('#chat-input', 'Enter');
}

describe('two Firefox and two Chromium pages in one room of the app', () => {
  const people = [
    { label: 'FF1', name: 'Fern', browser: 'firefox' },
    { label: 'CR1', name: 'Chloe', browser: 'chromium' },
    { label: 'FF2', name: 'Felix', browser: 'firefox' },
    { label: 'CR2', name: 'Cole', browser: 'chromium' },
  ];
  const pages = {};
  const roomUrl = () => `${env.server.httpUrl}/r/firefox-and-chromium-${process.pid}`;

  after(async () => {
    for (const p of Object.values(pages)) await p?.close().catch(() => {});
  });

  test('everyone joins; every page shows the three others by name with their video playing', STEP, async () => {
    for (const who of people) {
      const p = who.browser === 'firefox'
        ? await openFirefoxPage(firefox, roomUrl(), who.label)
        : await openAppPage(context, roomUrl(), who.label);
      pages[who.label] = p;
      await explained([p], () => joinAs(p, who.name));
      await waitInCall(p, 30000);
    }
    for (const who of people) {
      const tiles = await waitForRemoteVideos(pages[who.label], 3, 60000);
      const expected = people.filter((o) => o !== who).map((o) => o.name).sort();
      assert.deepEqual(tiles.map((t) => t.name).sort(), expected, `${who.label} shows the other three by name`);
    }
    // Firefox knows it is in Firefox (the app's library is not mistaken for another browser).
    assert.match(await pages.FF1.evaluate(() => navigator.userAgent), /Firefox\//);
  });

  test('chat from a Firefox page and from a Chromium page arrives on every page', STEP, async () => {
    await say(pages.FF1, 'hello from Fern in Firefox');
    for (const l of ['CR1', 'FF2', 'CR2']) await seeChat(pages[l], 'hello from Fern in Firefox');
    await say(pages.CR2, 'and from Cole in Chromium');
    for (const l of ['FF1', 'CR1', 'FF2']) await seeChat(pages[l], 'and from Cole in Chromium');
    // The senders see their own messages once, in order.
    assert.deepEqual(await chatTexts(pages.FF1), ['hello from Fern in Firefox', 'and from Cole in Chromium']);
  });

  // One direction here (Firefox sends; a Chromium and a Firefox page accept and download, a
  // Chromium page declines): the library test sends both ways, and each transfer costs a lot on a
  // busy machine (stop-and-wait chunks between two browsers with four videos running).
  test('a file from a Firefox page: accepted and downloaded byte-identical in Chromium and Firefox, declined in Chromium', STEP, async (t) => {
    const t0 = Date.now();
    const step = (what) => t.diagnostic(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
    for (const [sender, accept, decline] of [['FF1', ['CR1', 'FF2'], 'CR2']]) {
      const name = `from-${sender}.bin`;
      const bytes = randomBytes(200 * 1024 + 3); // five chunks
      const sha = createHash('sha256').update(bytes).digest('hex');
      await pages[sender].setInputFiles('#file-input', { name, mimeType: 'application/octet-stream', buffer: bytes });
      step(`${sender} picked ${name}`);
      const ids = {};
      for (const l of [...accept, decline]) {
        const p = pages[l];
        if (await p.evaluate(() => document.getElementById('side-panel')?.hidden !== false)) await p.click('#btn-chat', CLICK);
        ids[l] = await explained([p], () => p.waitForFunction((n) => {
          const li = Array.from(document.querySelectorAll('.transfer[data-direction="download"]')).find((x) => x.querySelector('.file-name')?.textContent === n);
          return li && li.querySelector('[data-action="accept"]') ? li.dataset.transfer : null;
        }, name, { timeout: 60000, polling: 100 }).then((h) => h.jsonValue()));
        step(`${l} is asked`);
      }
      await pages[decline].click(`.transfer[data-transfer="${ids[decline]}"] [data-action="decline"]`, CLICK);
      for (const l of accept) await pages[l].click(`.transfer[data-transfer="${ids[l]}"] [data-action="accept"]`, CLICK);
      step(`${decline} declined, ${accept.join(' and ')} accepted`);
      for (const l of accept) {
        const p = pages[l];
        const sel = `.transfer[data-transfer="${ids[l]}"] .transfer-row[data-status="done"] a[data-action="download"]`;
        await explained([p, pages[sender]], () => p.waitForSelector(sel, { timeout: 90000 }));
        const got = await p.evaluate(async (s) => {
          const a = document.querySelector(s);
          const buf = await (await fetch(a.href)).arrayBuffer();
          const d = await crypto.subtle.digest('SHA-256', buf);
          return { download: a.getAttribute('download'), size: buf.byteLength, sha: Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('') };
        }, sel);
        assert.deepEqual(got, { download: name, size: bytes.length, sha }, `${l} got ${name} byte-identical`);
        step(`${l} downloaded it`);
      }
      // The sender sees each recipient's outcome.
      await explained([pages[sender]], () => pages[sender].waitForFunction((n) => {
        const li = Array.from(document.querySelectorAll('.transfer[data-direction="upload"]')).find((x) => x.querySelector('.file-name')?.textContent === n);
        return li && Array.from(li.querySelectorAll('.transfer-row')).map((r) => r.dataset.status).sort().join(',') === 'declined,done,done';
      }, name, { timeout: 30000, polling: 200 }));
    }
  });

  test('a Firefox page leaves, then a Chromium page: each disappears everywhere', STEP, async () => {
    for (const [leaver, stay] of [['FF2', ['FF1', 'CR1', 'CR2']], ['CR2', ['FF1', 'CR1']]]) {
      const name = people.find((w) => w.label === leaver).name;
      await pages[leaver].click('#btn-leave', CLICK);
      await explained([pages[leaver]], () => pages[leaver].waitForSelector('#left-title', { timeout: 30000 }));
      for (const l of stay) {
        await explained([pages[l]], () => pages[l].waitForFunction((gone) => {
          const names = Array.from(document.querySelectorAll('.tile[data-self="false"] .tile-name')).map((n) => n.textContent);
          return !names.includes(gone);
        }, name, { timeout: 30000, polling: 100 }));
      }
      await pages[leaver].close();
      delete pages[leaver];
    }
    // Firefox and Chromium go on seeing each other.
    for (const l of ['FF1', 'CR1']) {
      const tiles = await waitForRemoteVideos(pages[l], 1, 30000);
      assert.equal(tiles.length, 1);
    }
    assert.deepEqual((await remoteTiles(pages.FF1)).map((t) => t.name), ['Chloe']);
    assert.deepEqual(pages.FF1.pageErrors, [], 'no uncaught errors in the Firefox page');
  });

  // Headless Firefox has no screen to share (its fake media engine has a camera and a microphone
  // only, getDisplayMedia rejects with NotFoundError): the person is told, and the call goes on.
  // Where a Firefox can share, the Chromium page must show the screen instead.
  test('Share screen in Firefox: the screen reaches Chromium, or Firefox says it did not start and the call goes on', STEP, async (t) => {
    const FF1 = pages.FF1;
    const CR1 = pages.CR1;
    await FF1.raw.setViewport({ width: 1024, height: 700 }); // the button shows on wide screens
    await FF1.click('#btn-screen', CLICK);
    const outcome = await explained([FF1], () => FF1.waitForFunction(() => {
      if (document.querySelector('#btn-screen[aria-pressed="true"]')) return 'sharing';
      const a = document.getElementById('announcer')?.textContent || '';
      return /Screen sharing did not start/.test(a) ? a : null;
    }, undefined, { timeout: 30000, polling: 100 }).then((h) => h.jsonValue()));
    if (outcome === 'sharing') {
      await explained([CR1, FF1], () => CR1.waitForSelector('.tile.screen[data-self="false"]', { timeout: 30000 }));
      await FF1.click('#btn-screen', CLICK);
      await explained([CR1], () => CR1.waitForSelector('.tile.screen', { state: 'detached', timeout: 30000 }));
    } else {
      t.diagnostic(`Firefox said: ${outcome}`);
      assert.equal(outcome, 'Screen sharing did not start: there is no screen or window to share.');
      assert.equal(await FF1.evaluate(() => document.getElementById('btn-screen').getAttribute('aria-pressed')), 'false');
    }
    await waitForRemoteVideos(CR1, 1, 30000);
    await waitForRemoteVideos(FF1, 1, 30000);
    assert.deepEqual(FF1.pageErrors, [], 'no uncaught errors in the Firefox page');
  });
});
