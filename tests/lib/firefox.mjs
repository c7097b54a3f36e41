// Firefox (Debian's firefox-esr) driven by puppeteer-core over WebDriver BiDi, set up as
// shared/notes/firefox-testing.md says: fake camera and microphone, media permission granted
// by prefs (without it Firefox gathers no candidate in a lo-only namespace), loopback ICE, and
// background tabs whose timers are not clamped to 1 s (several pages are tabs of one browser).
//
// playwright-core cannot drive a stock Firefox, so the Firefox pages are puppeteer pages wrapped
// in FirefoxPage, which has the few playwright-shaped methods the shared helpers use
// (evaluate, waitForFunction(fn, arg, {timeout, polling}), waitForSelector, click, fill, goto,
// close, isClosed, label, consoleLines). tests/lib/browser.mjs, library.mjs and app.mjs helpers
// then work on a Firefox page as on a Chromium one. What has no equivalent: routing
// (page.route) and context.grantPermissions; Firefox pages are served for real (by aerie, or by
// startFixtureServer below) and their permissions come from the prefs.
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

export const FIREFOX_BIN = process.env.FIREFOX_BIN || '/usr/bin/firefox-esr';

export const FIREFOX_PREFS = {
  // Synthetic camera (640x480, a flat green frame) and microphone (a tone), no prompt.
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // Required in the namespace: without camera/mic permission Firefox gathers only the default
  // route's address, and a lo-only namespace has no route (note, pitfall 1).
  'permissions.default.camera': 1,
  'permissions.default.microphone': 1,
  // Required: otherwise no 127.0.0.1 / ::1 host candidates (pitfall 2).
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // Pages are tabs of one browser: keep background tabs' setTimeout at 4 ms, not 1 s (pitfall 3).
  'dom.min_background_timeout_value_without_budget_throttling': 4,
  'dom.min_background_timeout_value': 4,
  'media.autoplay.default': 0,
  'media.block-autoplay-until-in-foreground': false,
  // Nothing in the namespace to update from or report to.
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
};

/**
 * Fails loudly when Firefox is not installed: CI installs it (scripts/setup.sh --test), so a
 * missing browser is a broken setup, not a reason to skip.
 */
export function requireFirefox() {
  if (!existsSync(FIREFOX_BIN)) {
    throw new Error(`Firefox not found at ${FIREFOX_BIN}: install it with scripts/setup.sh --test (apt-get install firefox-esr), or set FIREFOX_BIN`);
  }
}

const launched = new Set();
const uploadDirs = new Set();
let exitHookInstalled = false;

// If node ends without closing a browser (a failed before(), an uncaught error), Firefox's
// processes and its temporary profile would stay behind (pitfall 5). Puppeteer handles SIGINT,
// SIGTERM and SIGHUP itself; this covers a plain exit.
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const b of launched) killTree(b.process());
    for (const dir of uploadDirs) rmSync(dir, { recursive: true, force: true });
  });
}

// Puppeteer starts Firefox as the leader of its own process group (detached): killing the group
// takes the fork server and the content processes along.
function killTree(proc) {
  if (!proc?.pid) return;
  try { process.kill(-proc.pid, 'SIGKILL'); } catch { try { proc.kill('SIGKILL'); } catch { /* gone */ } }
}

/** Launches headless Firefox with FIREFOX_PREFS (plus `prefs`). */
export async function launchFirefox({ prefs = {}, timeoutMs = 90000 } = {}) {
  requireFirefox();
  installExitHook();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_BIN,
    headless: true,
    extraPrefsFirefox: { ...FIREFOX_PREFS, ...prefs },
    defaultViewport: { width: 640, height: 480 },
    // Launch takes 2-4 s on a quiet machine, up to ~20 s while other browsers load it.
    timeout: timeoutMs,
    protocolTimeout: 120000,
    dumpio: process.env.AERIE_FIREFOX_DUMPIO === '1',
  });
  launched.add(browser);
  const close = browser.close.bind(browser);
  browser.close = async () => {
    launched.delete(browser);
    const proc = browser.process();
    await Promise.race([close(), new Promise((r) => setTimeout(r, 15000))]).catch(() => {});
    if (proc && proc.exitCode === null && proc.signalCode === null) killTree(proc);
  };
  return browser;
}

/** Closes the browser (SIGKILL after 15 s); puppeteer removes its temporary profile. */
export async function closeFirefox(browser) {
  if (browser) await browser.close();
}

/**
 * Firefox over BiDi reports more than uncaught exceptions as `pageerror` (pitfall 4): CORS
 * failures (the real SkylinkJS posts stats to its hosted service when not told otherwise) and
 * WebRTC warnings, which start with "WebRTC: " (0.6.37 gets aerie's TURN entry as 7 URLs:
 * "Using five or more STUN/TURN servers slows down discovery"). True for those; a test that
 * fails on page errors keeps the rest.
 */
export function isIgnorablePageError(message) {
  return /^(WebRTC: |Cross-Origin Request Blocked|CORS request did not succeed)/.test(String(message || '').trim());
}

/**
 * A Firefox tab with the playwright-shaped surface the shared helpers use.
 * `raw` is the puppeteer page for anything else.
 */
export class FirefoxPage {
  constructor(raw, label) {
    this.raw = raw;
    this.label = label;
    this.browserName = 'firefox';
    this.consoleLines = [];
    this.pageErrors = [];
    this.uploadDirs = [];
    raw.on('console', (m) => {
      this.consoleLines.push(`[${label} ${m.type()}] ${m.text()}`);
      if (this.consoleLines.length > 400) this.consoleLines.shift();
    });
    raw.on('pageerror', (e) => {
      const msg = e?.message ?? String(e);
      this.consoleLines.push(`[${label} pageerror] ${msg}`);
      if (!isIgnorablePageError(msg)) this.pageErrors.push(msg);
    });
  }

  goto(url, { timeout = 30000, waitUntil = 'load' } = {}) { return this.raw.goto(url, { timeout, waitUntil }); }
  url() { return this.raw.url(); }
  evaluate(fn, arg) { return arg === undefined ? this.raw.evaluate(fn) : this.raw.evaluate(fn, arg); }

  /** playwright's shape: (fn, arg, {timeout, polling}); resolves to a handle with jsonValue(). */
  waitForFunction(fn, arg, { timeout = 30000, polling = 100 } = {}) {
    return arg === undefined
      ? this.raw.waitForFunction(fn, { timeout, polling })
      : this.raw.waitForFunction(fn, { timeout, polling }, arg);
  }

  /** {state: 'attached'|'visible'|'detached'|'hidden'} as in playwright. */
  waitForSelector(selector, { timeout = 30000, state = 'attached' } = {}) {
    const opts = { timeout };
    if (state === 'visible') opts.visible = true;
    if (state === 'detached' || state === 'hidden') opts.hidden = true;
    return this.raw.waitForSelector(selector, opts);
  }

  // Clicking and typing bring the tab to the front first, as a person switching to it would:
  // a background tab runs no animation frames, and puppeteer's locators wait for a few of them
  // to see that an element is stable, so they time out in a tab that is not in front.
  async click(selector, { timeout = 30000 } = {}) {
    await this.raw.bringToFront();
    const el = await this.raw.waitForSelector(selector, { timeout, visible: true });
    await el.click();
  }

  /** Sets an input's value as typing would (input and change events), like playwright's fill. */
  async fill(selector, value, { timeout = 30000 } = {}) {
    await this.raw.bringToFront();
    await this.raw.locator(selector).setTimeout(timeout).fill(value);
  }

  async press(selector, key) {
    await this.raw.bringToFront();
    await this.raw.focus(selector);
    await this.raw.keyboard.press(key);
  }

  /**
   * playwright's setInputFiles with one {name, mimeType, buffer}. The bytes go to a temporary
   * file that lives until the page closes: Firefox reads a picked file from disk when the page
   * reads it, and a file removed before then reads as AbortError.
   */
  async setInputFiles(selector, file) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'aerie-ff-upload-'));
    uploadDirs.add(dir);
    this.uploadDirs.push(dir);
    const f = path.join(dir, file.name);
    await writeFile(f, file.buffer);
    const el = await this.raw.waitForSelector(selector, { timeout: 30000 });
    await el.uploadFile(f);
  }

  textContent(selector) { return this.raw.$eval(selector, (e) => e.textContent); }
  $(selector) { return this.raw.$(selector); }
  screenshot(options) { return this.raw.screenshot(options); }
  isClosed() { return this.raw.isClosed(); }
  async close() {
    if (!this.raw.isClosed()) await this.raw.close();
    for (const dir of this.uploadDirs.splice(0)) { uploadDirs.delete(dir); await rm(dir, { recursive: true, force: true }); }
  }
}

/** Opens a tab at `url` (which must be served for real: a secure context, not data:). */
export async function openFirefoxPage(browser, url, label, { timeout = 30000 } = {}) {
  const raw = await browser.newPage();
  const page = new FirefoxPage(raw, label);
  await page.goto(url, { timeout });
  return page;
}
