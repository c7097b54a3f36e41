// Makes the app's screenshots in docs/screenshots/ (landing page and a four-person room, at
// desktop and phone sizes). Not part of the normal run, since it rewrites checked-in files:
//   AERIE_APP_SCREENSHOTS=1 unshare -n sh -c 'ip link set lo up; exec node --test tests/e2e/app-screenshots.test.mjs'
// Each participant runs in its own Chromium with its own fake camera clip (writeFakeCamera), so
// the four tiles show four different "people". At most four pages with media are open at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../lib/browser.mjs';
import { repoRoot } from '../lib/server.mjs';
import { buildWebapp, joinAs, openAppPage, startAerieForApp, waitForRemoteVideos, waitInCall, writeFakeCamera } from '../lib/app.mjs';

const enabled = process.env.AERIE_APP_SCREENSHOTS === '1';
const OUT = path.join(repoRoot, 'docs', 'screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844, isMobile: true, deviceScaleFactor: 2 };

const PEOPLE = [
  { name: 'Ada', backdrop: [52, 96, 168], figure: [224, 182, 150], shirt: [30, 41, 59] },
  { name: 'Bob', backdrop: [20, 120, 110], figure: [150, 105, 80], shirt: [120, 40, 40] },
  { name: 'Cara', backdrop: [110, 70, 150], figure: [240, 200, 170], shirt: [230, 230, 235] },
  { name: 'Dan', backdrop: [170, 110, 50], figure: [200, 150, 120], shirt: [40, 70, 40] },
];

let env;
let tmp;
const browsers = [];

async function context(browser, viewport = { width: 640, height: 480 }) {
  const ctx = await browser.newContext({
    viewport: { width: viewport.width, height: viewport.height }, deviceScaleFactor: viewport.deviceScaleFactor || 1,
    isMobile: !!viewport.isMobile, hasTouch: !!viewport.isMobile, ignoreHTTPSErrors: true,
  });
  await ctx.grantPermissions(['camera', 'microphone']);
  await ctx.grantPermissions(['local-network-access']).catch(() => {});
  return ctx;
}

before(async () => {
  if (!enabled) return;
  buildWebapp();
  await mkdir(OUT, { recursive: true });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'aerie-shots-'));
  env = await startAerieForApp();
  assert.ok(env.configServed, 'aerie serves /app-config.json');
  for (const p of PEOPLE) {
    const file = path.join(tmp, `${p.name}.y4m`);
    await writeFakeCamera(file, p);
    browsers.push(await chromium.launch({
      executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium', headless: true,
      args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${file}`],
    }));
  }
});

after(async () => {
  for (const b of browsers) await b.close().catch(() => {});
  if (env) await env.server.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('screenshots of the landing page and a four-person room', { skip: !enabled && 'set AERIE_APP_SCREENSHOTS=1', timeout: 300000 }, async () => {
  const shot = (page, name) => page.screenshot({ path: path.join(OUT, name) });

  // Landing page.
  for (const [vp, name] of [[DESKTOP, 'landing-desktop.png'], [PHONE, 'landing-phone.png']]) {
    const ctx = await context(browsers[0], vp);
    const page = await openAppPage(ctx, `${env.server.httpUrl}/`, 'landing');
    await page.waitForSelector('#health[data-state="ok"]');
    await page.evaluate(() => document.activeElement?.blur());
    await shot(page, name);
    await ctx.close();
  }

  const url = `${env.server.httpUrl}/r/design-review`;
  // Bob, Cara and Dan at 640x480; Ada on a desktop-sized window.
  const others = [];
  for (let i = 1; i < 4; i++) {
    const ctx = await context(browsers[i]);
    const page = await openAppPage(ctx, url, PEOPLE[i].name);
    await joinAs(page, PEOPLE[i].name);
    await waitInCall(page);
    others.push(page);
  }
  const [bob, cara, dan] = others;

  const adaCtx = await context(browsers[0], DESKTOP);
  const ada = await openAppPage(adaCtx, url, 'Ada');
  await ada.waitForFunction(() => { const v = document.querySelector('.preview-video'); return v && v.videoWidth > 0; });
  await ada.fill('#display-name', 'Ada');
  await shot(ada, 'setup-desktop.png');
  await joinAs(ada, 'Ada');
  await waitInCall(ada);
  await waitForRemoteVideos(ada, 3, 45000);

  await dan.click('#btn-mic');
  await cara.click('#btn-chat');
  await cara.fill('#chat-input', 'Morning all! Bob has the slides.');
  await cara.press('#chat-input', 'Enter');
  await bob.click('#btn-chat');
  await bob.setInputFiles('#file-input', { name: 'design-review.pdf', mimeType: 'application/pdf', buffer: randomBytes(1_400_000) });
  await ada.waitForSelector('.transfer [data-action="accept"]');
  await ada.click('.transfer [data-action="accept"]');
  await ada.waitForSelector('.transfer a[data-action="download"]', { timeout: 60000 });
  await ada.fill('#chat-input', 'Got them, thanks!');
  await ada.press('#chat-input', 'Enter');
  await ada.waitForSelector('.tile[data-peer] [data-state="audio-muted"]');
  await ada.evaluate(() => document.activeElement?.blur());
  // Let the "file has arrived" toast go.
  await ada.waitForSelector('.toast', { state: 'detached', timeout: 10000 });
  await shot(ada, 'room-desktop.png');
  await adaCtx.close();

  // The same room on a phone.
  const phoneCtx = await context(browsers[0], PHONE);
  const phone = await openAppPage(phoneCtx, url, 'Ada-phone');
  await joinAs(phone, 'Ada');
  await waitInCall(phone);
  await waitForRemoteVideos(phone, 3, 45000);
  await phone.waitForSelector('.toast', { state: 'detached', timeout: 10000 });
  await shot(phone, 'room-phone.png');
  await cara.fill('#chat-input', 'Ada, are you on your phone now?');
  await cara.press('#chat-input', 'Enter');
  await phone.waitForSelector('#unread-count');
  await phone.click('#btn-chat');
  await phone.waitForSelector('.msg >> text=on your phone');
  await phone.evaluate(() => document.activeElement?.blur());
  await shot(phone, 'room-phone-chat.png');

  // Locked room, as a newcomer sees it.
  await bob.click('#btn-lock');
  await phone.waitForSelector('#locked-indicator');
  await dan.close();
  const lateCtx = await context(browsers[3], PHONE);
  const late = await openAppPage(lateCtx, url, 'late');
  await joinAs(late, 'Eve');
  await late.waitForSelector('#blocked-title');
  await shot(late, 'locked-phone.png');
  await lateCtx.close();
  await phoneCtx.close();
});
