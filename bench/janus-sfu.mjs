#!/usr/bin/env node
// Janus's videoroom (Debian's `janus` 1.1.2) under the load bench/sfu.mjs puts on aerie: N Chromium
// pages (default 6) at 320x240@15, each publishing the fake camera and microphone to one videoroom
// and subscribing to the N-1 others over one connection, every remote video playing. Once all
// play, for `--seconds` (default 20) it reads Janus's CPU (/proc/PID/stat) and the RTP packets
// Janus forwarded, counted by the pages' own getStats() (inbound-rtp packetsReceived, summed over
// the pages), and prints JSON: packets per second, Janus's share of a core, µs of Janus CPU per
// forwarded packet.
//
//   node bench/janus-sfu.mjs [--pages 6] [--seconds 20]
//
// Runs itself inside a network namespace that has only `lo` plus a veth pair made there (libnice
// does not gather on `lo`; lib/sfu-load.mjs): every packet stays on loopback. Janus runs from a
// scratch copy of /etc/janus: WebSocket transport only, on 127.0.0.1:8188; videoroom plugin only;
// ICE on jv0 (127.0.0.1/32) only; full trickle, no mDNS, RTP ports 20000-20200. The pages speak
// Janus's WebSocket API themselves (bench/janus-sfu.html). `apt-get install -y janus` first.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VETH, enterNetns, measureWindow, sleep, trackPeerConnections } from './lib/sfu-load.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const JANUS_WS_PORT = 8188;
const ROOM = 4242;

/** A scratch copy of /etc/janus with the bench's settings; returns its folder. */
async function janusConfig() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aerie-bench-janus-'));
  await cp('/etc/janus', dir, { recursive: true });
  const stock = readFileSync('/etc/janus/janus.jcfg', 'utf8');
  const folder = (key) => {
    const m = new RegExp(`^\\s*${key}\\s*=\\s*"([^"]+)"`, 'm').exec(stock);
    if (!m) throw new Error(`janus.jcfg: no ${key}`);
    return m[1];
  };
  const folders = {
    plugins_folder: folder('plugins_folder'),
    transports_folder: folder('transports_folder'),
    events_folder: folder('events_folder'),
    loggers_folder: folder('loggers_folder'),
  };
  // Everything but the videoroom plugin and the WebSocket transport is disabled.
  const others = (f, keep) => readdirSync(f).filter((n) => /^libjanus_.*\.so$/.test(n) && n !== keep).join(',');
  await writeFile(path.join(dir, 'janus.jcfg'), `# aerie bench (bench/janus-sfu.mjs): written from /etc/janus/janus.jcfg's layout
general: {
	configs_folder = "${dir}"
	plugins_folder = "${folders.plugins_folder}"
	transports_folder = "${folders.transports_folder}"
	events_folder = "${folders.events_folder}"
	loggers_folder = "${folders.loggers_folder}"
	debug_level = 3
	server_name = "aerie-bench-janus"
	session_timeout = 60
}
certificates: {
}
media: {
	rtp_port_range = "20000-20200"
}
nat: {
	full_trickle = true
	ignore_mdns = true
	ice_enforce_list = "${VETH}"
}
plugins: {
	disable = "${others(folders.plugins_folder, 'libjanus_videoroom.so')}"
}
transports: {
	disable = "${others(folders.transports_folder, 'libjanus_websockets.so')}"
}
loggers: {
	disable = "${others(folders.loggers_folder, '')}"
}
events: {
	broadcast = false
}
`);
  await writeFile(path.join(dir, 'janus.transport.websockets.jcfg'), `general: {
	json = "plain"
	ws = true
	ws_port = ${JANUS_WS_PORT}
	ws_ip = "127.0.0.1"
	wss = false
}
admin: {
	admin_ws = false
	admin_wss = false
}
cors: {
}
`);
  // Debian's stock room 1234 caps publishers at 6 and video at 128 kbit/s: a room of our own,
  // VP8 and Opus as Chromium offers them first, no bitrate cap, no periodic FIR.
  await writeFile(path.join(dir, 'janus.plugin.videoroom.jcfg'), `general: {
}
room-${ROOM}: {
	description = "aerie bench"
	publishers = 16
	bitrate = 0
	fir_freq = 0
	audiocodec = "opus"
	videocodec = "vp8"
	record = false
}
`);
  return dir;
}

async function waitForPort(port, timeoutMs, alive) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (!alive()) throw new Error('janus exited');
    const ok = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`janus: nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

async function startJanus() {
  if (!existsSync('/usr/bin/janus')) throw new Error('janus is not installed: apt-get install -y janus');
  const dir = await janusConfig();
  const child = spawn('/usr/bin/janus', ['-C', path.join(dir, 'janus.jcfg'), '-F', dir, '-o'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const keep = (d) => {
    for (const l of d.toString().split('\n')) if (l) log.push(l);
    if (log.length > 300) log.splice(0, log.length - 300);
    if (process.env.BENCH_SERVER_LOG) process.stderr.write(d);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  child.on('exit', () => { exited = true; });
  try {
    await waitForPort(JANUS_WS_PORT, 15000, () => !exited);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n--- janus log ---\n${log.slice(-40).join('\n')}`);
  }
  return {
    child,
    log,
    stop: async () => {
      if (!exited) {
        child.kill('SIGINT');
        for (let i = 0; i < 50 && !exited; i++) await sleep(100);
        if (!exited) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// The page, from a static server on loopback (a real loopback origin: no Local Network Access
// checks on its ws://127.0.0.1).
async function startPageServer() {
  const html = await readFile(path.join(here, 'janus-sfu.html'));
  const srv = http.createServer((req, res) => {
    if (new URL(req.url, 'http://x').pathname !== '/janus-sfu.html') { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${srv.address().port}/janus-sfu.html`,
    close: () => new Promise((resolve) => { srv.closeAllConnections?.(); srv.close(() => resolve()); }),
  };
}

function videoState(page, feed) {
  return page.evaluate((f) => {
    const v = window.videos[f];
    return v ? { videoWidth: v.videoWidth, currentTime: v.currentTime, paused: v.paused, readyState: v.readyState } : null;
  }, feed);
}

async function diagnostics(page) {
  const log = await page.evaluate(() => window.log.slice(-30)).catch((e) => [`(unavailable: ${e.message})`]);
  return `--- ${page.label} ---\n${log.join('\n')}\n${page.consoleLines.slice(-20).join('\n')}`;
}

async function waitForVideo(page, feed, timeoutMs) {
  try {
    await page.waitForFunction((f) => {
      const v = window.videos[f];
      return !!v && v.videoWidth > 0 && v.currentTime > 0 && !v.paused;
    }, feed, { timeout: timeoutMs, polling: 100 });
    const t0 = (await videoState(page, feed)).currentTime;
    await page.waitForFunction(({ f, t0 }) => window.videos[f].currentTime > t0 + 0.3, { f: feed, t0 }, { timeout: 15000, polling: 100 });
  } catch (e) {
    throw new Error(`${page.label}: remote video of feed ${feed} does not play: ${JSON.stringify(await videoState(page, feed).catch(() => null))} ` +
      `(${e.message.split('\n')[0]})\n${await diagnostics(page)}`);
  }
}

export async function runJanusSfu({ pages: PAGES = 6, seconds: SECONDS = 20 } = {}) {
  if (!process.env.AERIE_BENCH_NETNS) throw new Error('runJanusSfu: not inside the bench namespace');
  const { launchChromium, newContext } = await import(path.join(here, '..', 'tests', 'lib', 'browser.mjs'));
  const janus = await startJanus();
  const site = await startPageServer();
  let browser;
  let context;
  try {
    browser = await launchChromium();
    context = await newContext(browser);
    await context.addInitScript(trackPeerConnections);
    // Nothing but loopback is ever asked for.
    await context.route((url) => !/^(127\.\d+\.\d+\.\d+|localhost)$/.test(url.hostname), (route) => route.abort('blockedbyclient'));
    const open = [];
    const wsUrl = `ws://127.0.0.1:${JANUS_WS_PORT}/`;
    for (let i = 0; i < PAGES; i++) {
      const page = await context.newPage();
      page.label = `janus page ${i + 1}`;
      page.consoleLines = [];
      page.on('console', (msg) => { page.consoleLines.push(`[${page.label} ${msg.type()}] ${msg.text()}`); if (page.consoleLines.length > 200) page.consoleLines.shift(); });
      page.on('pageerror', (err) => page.consoleLines.push(`[${page.label} pageerror] ${err.message}`));
      await page.goto(site.url, { waitUntil: 'load', timeout: 20000 });
      try {
        page.feed = (await page.evaluate((o) => window.benchPublish(o), { url: wsUrl, room: ROOM, display: `p${i}` })).feed;
      } catch (e) {
        throw new Error(`${page.label}: publish: ${e.message.split('\n')[0]}\n${await diagnostics(page)}\n--- janus log ---\n${janus.log.slice(-30).join('\n')}`);
      }
      open.push(page);
    }
    await Promise.all(open.map(async (page) => {
      const feeds = open.filter((p) => p !== page).map((p) => p.feed);
      try {
        const r = await page.evaluate((o) => window.benchSubscribe(o), { room: ROOM, feeds });
        if (r.streams !== 2 * feeds.length) throw new Error(`${r.streams} streams offered for ${feeds.length} feeds`);
      } catch (e) {
        throw new Error(`${page.label}: subscribe: ${e.message.split('\n')[0]}\n${await diagnostics(page)}\n--- janus log ---\n${janus.log.slice(-30).join('\n')}`);
      }
    }));
    const waits = [];
    for (const me of open) for (const other of open) if (me !== other) waits.push(waitForVideo(me, other.feed, 60000));
    await Promise.all(waits);
    await sleep(3000); // past the ramp-up

    const watched = open.map((p, i) => open[i === 0 ? 1 : 0].feed);
    const m = await measureWindow({
      pid: janus.child.pid,
      pages: open,
      seconds: SECONDS,
      remoteVideos: PAGES * (PAGES - 1),
      videoTimes: () => Promise.all(open.map((p, i) => videoState(p, watched[i]).then((v) => v.currentTime))),
    });
    for (const p of open) await p.evaluate(() => window.benchLeave()).catch(() => {});
    const version = spawnSync('/usr/bin/janus', ['--version'], { encoding: 'utf8' }).stdout.match(/\(([\d.]+)\)/)?.[1] ?? '?';
    return {
      server: 'janus',
      janusVersion: version,
      pages: PAGES,
      remoteVideos: PAGES * (PAGES - 1),
      ...m.summary,
    };
  } finally {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await site.close();
    await janus.stop();
  }
}

export function printLine(r) {
  return `${r.server}: ${r.pages} pages, ${r.forwardedPerSecond} forwarded RTP packets/s (pages' getStats), ${r.server} ${r.serverCores} of a core: ` +
    `${r.serverMicrosecondsPerForwardedPacket} µs per forwarded packet, ${r.forwardedPerServerCpuSecond} packets per ${r.server} CPU-second, ` +
    `${r.framesPerSecondPerRemoteVideo} fps per remote video, machine ${r.machineCores} cores`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  enterNetns(fileURLToPath(import.meta.url), args);
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const timer = setTimeout(() => { console.error('janus-sfu: gave up after 10 minutes'); process.exit(2); }, 10 * 60 * 1000);
  timer.unref();
  const r = await runJanusSfu({ pages: opt('pages', 6), seconds: opt('seconds', 20) });
  console.log(JSON.stringify(r, null, 2));
  console.log(printLine(r));
}
