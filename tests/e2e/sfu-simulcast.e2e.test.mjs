// End to end: simulcast through aerie's SFU. Our library publishes its camera in layers (rid q,
// h, f) in SFU rooms; aerie sends each subscriber one layer, switched at key frames, and moves it
// with the loss that subscriber reports. One subscriber's downlink is limited to 250 kbit/s
// (an nftables policer on its port, inside the test's network namespace): it gets a low layer and
// keeps playing while the other gets the full picture; lifting the limit brings the full picture
// back. Run inside a network namespace with only `lo` (tests/e2e/run.sh).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startAerie } from '../lib/server.mjs';
import { launchChromium, newContext, openPage, pageDiagnostics, peerConnectionProbe } from '../lib/browser.mjs';
import { buildClient, routeLibraryPages, waitForPlayingVideos } from '../lib/library.mjs';

let server;
let browser;
let context;
let urls;

before(async () => {
  buildClient();
  server = await startAerie({ apps: [{ name: 'sfu-simulcast', domains: ['127.0.0.1', 'localhost'], extraArgs: ['--media', 'sfu'] }] });
  browser = await launchChromium();
  context = await newContext(browser);
  await context.addInitScript(peerConnectionProbe);
  urls = await routeLibraryPages(context, server.httpUrl, server.app.appKey);
});

after(async () => {
  try { execFileSync('nft', ['delete', 'table', 'inet', 'aeriesimulcast'], { stdio: 'ignore' }); } catch { /* not made */ }
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (server) await server.stop();
});

// The received video of the page's connection to the MCU: its frame width and frames decoded.
function inboundVideo(page) {
  return page.evaluate(async () => {
    const pc = window.__peerConnections.find((p) => p.remoteDescription && p.connectionState !== 'closed');
    let out = null;
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video' && s.framesDecoded > 0) out = { width: s.frameWidth, decoded: s.framesDecoded };
    });
    return out;
  });
}

async function waitWidth(page, test, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let v = null;
  while (Date.now() < deadline) {
    v = await inboundVideo(page);
    if (v && test(v.width)) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`${page.label}: ${what}; last ${JSON.stringify(v)}\n${await pageDiagnostics(page)}`);
}

describe('SFU simulcast', () => {
  test('a subscriber limited to 250 kbit/s gets a low layer and keeps playing; the other keeps the full picture', { timeout: 180000 }, async () => {
    const room = `sfu-simulcast-${process.pid}`;
    const join = async (label, media) => {
      const page = await openPage(context, urls.harness('ours'), label);
      assert.equal((await page.evaluate((o) => window.initSkylink(o), { appKey: server.app.appKey, defaultRoom: room })).error, null);
      const j = await page.evaluate((m) => window.joinSkylinkRoom(null, m), media);
      assert.equal(j.error, null, `${label}: joinRoom: ${JSON.stringify(j.error)}`);
      page.peerId = j.peerId;
      return page;
    };
    const publisher = await join('publisher', { audio: true, video: { resolution: { width: 640, height: 480 } } });
    const limited = await join('limited', { audio: false, video: false });
    const free = await join('free', { audio: false, video: false });
    try {
      await waitForPlayingVideos(limited, 1, 40000);
      await waitForPlayingVideos(free, 1, 40000);
      // The publisher sends layers.
      const layers = await publisher.evaluate(async () => {
        const pc = window.__peerConnections.find((p) => p.remoteDescription && p.connectionState !== 'closed');
        const out = [];
        (await pc.getStats()).forEach((s) => { if (s.type === 'outbound-rtp' && s.kind === 'video' && s.rid) out.push({ rid: s.rid, width: s.frameWidth }); });
        return out;
      });
      assert.ok(layers.length >= 2, `the publisher sends simulcast layers: ${JSON.stringify(layers)}`);
      const full = Math.max(...layers.map((l) => l.width || 0));
      await waitWidth(limited, (w) => w === full, `the full picture (${full} wide) at first`, 30000);
      await waitWidth(free, (w) => w === full, `the full picture (${full} wide)`, 30000);

      const [pair] = (await limited.evaluate(() => window.__selectedPairs())).filter((p) => p.state === 'connected');
      execFileSync('nft', ['add', 'table', 'inet', 'aeriesimulcast']);
      execFileSync('nft', ['add', 'chain', 'inet', 'aeriesimulcast', 'in', '{ type filter hook input priority 0; }']);
      execFileSync('nft', ['add', 'rule', 'inet', 'aeriesimulcast', 'in', 'udp', 'dport', String(pair.localPort), 'limit', 'rate', 'over', '31', 'kbytes/second', 'drop']);
      const low = await waitWidth(limited, (w) => w < full, 'a lower layer under the 250 kbit/s limit', 40000);
      // It keeps playing on the low layer, and the free subscriber keeps the full picture.
      await new Promise((r) => setTimeout(r, 3000));
      const later = await inboundVideo(limited);
      assert.ok(later.decoded > low.decoded + 15, `the limited subscriber keeps decoding: ${JSON.stringify(low)} → ${JSON.stringify(later)}`);
      assert.equal((await inboundVideo(free)).width, full, 'the free subscriber still gets the full picture');

      execFileSync('nft', ['delete', 'table', 'inet', 'aeriesimulcast']);
      await waitWidth(limited, (w) => w === full, 'the full picture again once the limit is lifted', 40000);
    } finally {
      for (const p of [publisher, limited, free]) await p.close().catch(() => {});
    }
  });
});
