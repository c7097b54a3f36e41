#!/usr/bin/env node
// The SFU under a real browser load: N Chromium pages (default 6) of the real SkylinkJS 2.7.2 at
// 320x240@15 in one SFU room of aerie, every page playing every other's video through aerie.
// Once all videos play, for `--seconds` (default 20) it reads aerie's CPU (/proc/PID/stat) and
// the RTP packets it forwarded (/metrics), and prints packets per second, aerie's share of a
// core, µs of aerie CPU per forwarded packet and forwarded packets per aerie CPU-second.
//
//   node bench/sfu.mjs [--pages 6] [--seconds 20] [--threads 2]
//
// Runs itself inside a network namespace that has only `lo` (unshare -n, as root): every packet
// stays on loopback. Uses the test suite's helpers (tests/lib) to start aerie and the pages.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const PAGES = opt('pages', 6);
const SECONDS = opt('seconds', 20);
const THREADS = opt('threads', 2);

if (!process.env.AERIE_BENCH_NETNS) {
  const r = spawnSync('unshare', ['-n', 'sh', '-c', `ip link set lo up; AERIE_BENCH_NETNS=1 exec node ${JSON.stringify(fileURLToPath(import.meta.url))} ${args.map((a) => JSON.stringify(a)).join(' ')}`], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const { startAerie, request } = await import(path.join(here, '..', 'tests', 'lib', 'server.mjs'));
const { launchChromium, newContext, waitForEvent } = await import(path.join(here, '..', 'tests', 'lib', 'browser.mjs'));
const { routeReleasePages, openReleasePage, waitForRemoteVideo, remoteVideoState } = await import(path.join(here, '..', 'tests', 'lib', 'releases.mjs'));

const TICK = 100; // USER_HZ on Linux
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK; // utime, stime
}
function machineBusySeconds() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + f[4];
  return (f.reduce((a, b) => a + b, 0) - idle) / TICK;
}
async function metric(server, name) {
  const res = await request(server, '/metrics');
  const line = res.body.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

const room = `bench-sfu-${process.pid}`;
const server = await startAerie({
  apps: [{ name: 'bench-sfu', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'sfu'] }],
  extraArgs: ['--threads', String(THREADS), '--stun', 'off'],
});
const browser = await launchChromium();
const context = await newContext(browser);
const pages = await routeReleasePages(context, server.httpsUrl, ['2.7.2']);
const open = [];
try {
  for (let i = 0; i < PAGES; i++) {
    const page = await openReleasePage(context, pages.url('2.7.2'), `page ${i + 1}`);
    await page.evaluate((o) => window.initSkylink(o), { appKey: server.app.appKey, defaultRoom: room, roomServer: `//127.0.0.1:${server.port}` });
    const r = await page.evaluate((o) => window.joinSkylinkRoom(o), {
      roomName: room, audio: true, video: { resolution: { width: 320, height: 240 }, frameRate: 15 }, userData: `p${i}`,
    });
    if (r.error) throw new Error(`page ${i + 1}: joinRoom: ${JSON.stringify(r.error)}`);
    page.peerId = (await waitForEvent(page, (e) => e.name === 'peerJoined' && e.isSelf, null, { timeoutMs: 30000 })).peerId;
    open.push(page);
  }
  const waits = [];
  for (const me of open) for (const other of open) if (me !== other) waits.push(waitForRemoteVideo(me, other.peerId, { timeoutMs: 60000 }));
  await Promise.all(waits);
  await new Promise((r) => setTimeout(r, 3000)); // past the ramp-up

  const pid = server.child.pid;
  const cpu0 = cpuSeconds(pid);
  const busy0 = machineBusySeconds();
  const fwd0 = await metric(server, 'aerie_media_forwarded_packets_total');
  const in0 = await metric(server, 'aerie_media_datagrams_in_total');
  const t0 = Date.now();
  const vt0 = await Promise.all(open.map((p) => remoteVideoState(p, open[open.indexOf(p) === 0 ? 1 : 0].peerId)));
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const elapsed = (Date.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  const busy = machineBusySeconds() - busy0;
  const fwd = (await metric(server, 'aerie_media_forwarded_packets_total')) - fwd0;
  const inn = (await metric(server, 'aerie_media_datagrams_in_total')) - in0;
  const vt1 = await Promise.all(open.map((p) => remoteVideoState(p, open[open.indexOf(p) === 0 ? 1 : 0].peerId)));
  const played = vt1.map((v, i) => (v.currentTime - vt0[i].currentTime) / elapsed);

  const result = {
    pages: PAGES,
    remoteVideos: PAGES * (PAGES - 1),
    seconds: Number(elapsed.toFixed(1)),
    aerieThreads: THREADS,
    forwardedPerSecond: Math.round(fwd / elapsed),
    datagramsInPerSecond: Math.round(inn / elapsed),
    aerieCores: Number((cpu / elapsed).toFixed(3)),
    machineCores: Number((busy / elapsed).toFixed(2)),
    aerieMicrosecondsPerForwardedPacket: Number(((cpu / fwd) * 1e6).toFixed(1)),
    forwardedPerAerieCpuSecond: Math.round(fwd / cpu),
    videoSecondsPerSecond: played.map((x) => Number(x.toFixed(2))),
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`sfu: ${PAGES} pages, ${result.forwardedPerSecond} forwarded RTP packets/s, aerie ${result.aerieCores} of a core: ` +
    `${result.aerieMicrosecondsPerForwardedPacket} µs per forwarded packet, ${result.forwardedPerAerieCpuSecond} packets per aerie CPU-second`);
} finally {
  await context.close().catch(() => {});
  await browser.close().catch(() => {});
  await pages.cleanup();
  await server.stop();
}
