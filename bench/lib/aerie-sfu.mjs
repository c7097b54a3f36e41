// aerie's side of bench/sfu-compare.mjs: the load of bench/sfu.mjs (N Chromium pages of the real
// SkylinkJS 2.7.2 at 320x240@15 in one SFU room, every page playing every other's video through
// aerie), measured as bench/janus-sfu.mjs measures Janus: aerie's CPU from /proc/PID/stat and the
// forwarded packets counted by the pages' getStats() (inbound-rtp packetsReceived), beside
// aerie's own count (aerie_media_forwarded_packets_total in /metrics).
// Must run inside the namespace made by lib/sfu-load.mjs (enterNetns).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureWindow, sleep, trackPeerConnections } from './sfu-load.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const tests = path.join(here, '..', '..', 'tests', 'lib');

export async function runAerieSfu({ pages: PAGES = 6, seconds: SECONDS = 20, threads: THREADS = 2 } = {}) {
  if (!process.env.AERIE_BENCH_NETNS) throw new Error('runAerieSfu: not inside the bench namespace');
  const { startAerie, request } = await import(path.join(tests, 'server.mjs'));
  const { launchChromium, newContext, waitForEvent } = await import(path.join(tests, 'browser.mjs'));
  const { routeReleasePages, openReleasePage, waitForRemoteVideo, remoteVideoState } = await import(path.join(tests, 'releases.mjs'));

  async function metric(server, name) {
    const res = await request(server, '/metrics');
    const line = res.body.split('\n').find((l) => l.startsWith(`${name} `));
    return line ? Number(line.split(' ')[1]) : NaN;
  }

  const room = `bench-sfu-${process.pid}-${Date.now()}`;
  const server = await startAerie({
    apps: [{ name: 'bench-sfu', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'sfu'] }],
    extraArgs: ['--threads', String(THREADS), '--stun', 'off'],
  });
  let browser;
  let context;
  let pages;
  try {
    browser = await launchChromium();
    context = await newContext(browser);
    await context.addInitScript(trackPeerConnections);
    pages = await routeReleasePages(context, server.httpsUrl, ['2.7.2']);
    const open = [];
    for (let i = 0; i < PAGES; i++) {
      const page = await openReleasePage(context, pages.url('2.7.2'), `aerie page ${i + 1}`);
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
    await sleep(3000); // past the ramp-up

    const watched = open.map((p, i) => open[i === 0 ? 1 : 0].peerId);
    const m = await measureWindow({
      pid: server.child.pid,
      pages: open,
      seconds: SECONDS,
      remoteVideos: PAGES * (PAGES - 1),
      videoTimes: () => Promise.all(open.map((p, i) => remoteVideoState(p, watched[i]).then((v) => v.currentTime))),
      extra: () => metric(server, 'aerie_media_forwarded_packets_total'),
    });
    const metricsFwd = m.x1 - m.x0;
    return {
      server: 'aerie',
      pages: PAGES,
      remoteVideos: PAGES * (PAGES - 1),
      aerieThreads: THREADS,
      ...m.summary,
      metricsForwardedPerSecond: Math.round(metricsFwd / m.elapsed), // aerie's /metrics
      serverMicrosecondsPerMetricsForwardedPacket: Number(((m.cpu / metricsFwd) * 1e6).toFixed(1)),
    };
  } finally {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await pages?.cleanup();
    await server.stop();
  }
}
