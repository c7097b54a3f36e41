// The developer console (/console) in Chromium, on the page aerie serves: sign in with the
// admin token, create a key and see its secret once, copy its snippet, use the key from the
// demo page (the seed's example on Aerie's library), revoke it, and see a page refused (4001).
// Then a key's media mode: chosen when it is created, shown in its row, changed from there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie } from '../lib/server.mjs';
import { adminToken } from '../lib/admin.mjs';
import { launchChromium, newContext, pageDiagnostics } from '../lib/browser.mjs';
import { buildClient } from '../lib/library.mjs';

const T = { timeout: 90000 };
let server;
let browser;
let context;

before(async () => {
  buildClient();
  server = await startAerie();
  browser = await launchChromium();
  context = await newContext(browser);
});
after(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop();
});

test('sign in, create a key, use it from a page, revoke it, the page is refused', T, async () => {
  const console_ = await context.newPage();
  console_.on('dialog', (d) => d.accept());  // "Revoke ...?"
  await console_.goto(`${server.httpUrl}/console`);

  await console_.fill('#token', 'wrong-token');
  await console_.click('#signin');
  await console_.waitForFunction(() => document.getElementById('signin-error').textContent.length > 0);

  await console_.fill('#token', await adminToken(server));
  await console_.click('#signin');
  await console_.waitForSelector('#console:not(.hidden)');

  await console_.fill('#create-name', 'console-site');
  await console_.fill('#create-domains', '127.0.0.1 localhost');
  await console_.click('#create-submit');
  await console_.waitForSelector('#secret-panel:not(.hidden)');
  const appKey = (await console_.textContent('#secret-key')).trim();
  const secret = (await console_.textContent('#secret-value')).trim();
  assert.match(appKey, /^[0-9a-f-]{36}$/, `the new key is shown: ${appKey}`);
  assert.ok(secret.length >= 24, 'the secret is shown once');
  await console_.click('#secret-dismiss');

  const row = console_.locator(`tr[data-key="${appKey}"]`);
  await row.locator('button.details').click();
  await console_.waitForSelector('#detail-panel:not(.hidden)');
  const snippet = await console_.textContent('#snippet');
  assert.ok(snippet.includes(appKey), 'the snippet carries the key');
  assert.ok(!snippet.includes(secret), 'the snippet never carries the secret');

  // The key works from a page: the demo page joins a room with it.
  const page = await context.newPage();
  await page.goto(`${server.httpUrl}/demo?key=${appKey}&room=console-room`);
  try {
    await page.waitForFunction(() => window.skylink && window.skylink.peerId, null, { timeout: 20000 });
  } catch {
    assert.fail(`the demo page did not join with the new key\n${await pageDiagnostics(page).catch(() => '')}`);
  }
  await page.close();

  await row.locator('button.revoke').click();
  await console_.waitForFunction((k) => {
    const r = document.querySelector(`tr[data-key="${k}"]`);
    return r && /revoked/.test(r.textContent);
  }, appKey, { timeout: 10000 });

  // A page using the revoked key is refused with 4001.
  const refused = await context.newPage();
  await refused.goto(`${server.httpUrl}/health`);  // any document of aerie's origin
  await refused.addScriptTag({ url: '/skylink.complete.min.js' });
  const result = await refused.evaluate((key) => new Promise((resolve) => {
    const s = new window.Skylink();
    s.init({ appKey: key, defaultRoom: 'console-room' }, (error) => resolve(error ? error.errorCode : 'no error'));
  }), appKey);
  assert.equal(result, 4001, `init() with a revoked key fails with 4001, got ${result}`);
  await refused.close();
});

test('the media mode: chosen on create, shown per key, changed in place', T, async () => {
  const token = await adminToken(server);
  const console_ = await context.newPage();
  await console_.goto(`${server.httpUrl}/console`);
  await console_.fill('#token', token);
  await console_.click('#signin');
  await console_.waitForSelector('#console:not(.hidden)');

  await console_.fill('#create-name', 'sfu-site');
  await console_.fill('#create-domains', '127.0.0.1');
  await console_.selectOption('#create-media', 'sfu');
  await console_.click('#create-submit');
  await console_.waitForSelector('#secret-panel:not(.hidden)');
  const appKey = (await console_.textContent('#secret-key')).trim();
  await console_.click('#secret-dismiss');

  const media = console_.locator(`tr[data-key="${appKey}"] select.media`);
  await media.waitFor();
  assert.equal(await media.inputValue(), 'sfu', 'the new key shows its mode');
  const stored = async () => (await (await fetch(`${server.httpUrl}/admin/v1/apps/${appKey}`,
    { headers: { Authorization: `Bearer ${token}` } })).json()).mediaMode;
  assert.equal(await stored(), 'sfu', 'the key was created in sfu mode');

  await media.selectOption('auto');
  for (let i = 0; i < 50 && (await stored()) !== 'auto'; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await stored(), 'auto', 'changing the select PATCHes the key');
  await console_.locator(`tr[data-key="${appKey}"] select.media`).waitFor();
  assert.equal(await console_.locator(`tr[data-key="${appKey}"] select.media`).inputValue(), 'auto');
  assert.equal(await console_.textContent('#apps-error'), '');

  // An auto key shows its switch point beside the mode; changing it PATCHes autoSfuPeers.
  const k = console_.locator(`tr[data-key="${appKey}"] input.auto-sfu-peers`);
  await k.waitFor({ state: 'visible' });
  assert.equal(await k.inputValue(), '', 'the server default');
  await k.fill('3');
  await k.dispatchEvent('change');
  const storedK = async () => (await (await fetch(`${server.httpUrl}/admin/v1/apps/${appKey}`,
    { headers: { Authorization: `Bearer ${token}` } })).json()).autoSfuPeers;
  for (let i = 0; i < 50 && (await storedK()) !== 3; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await storedK(), 3, 'changing the number PATCHes the key');
  await console_.locator(`tr[data-key="${appKey}"] input.auto-sfu-peers`).waitFor({ state: 'visible' });
  assert.equal(await console_.locator(`tr[data-key="${appKey}"] input.auto-sfu-peers`).inputValue(), '3');
  assert.equal(await console_.textContent('#apps-error'), '');
  await console_.close();
});
