// NAT traversal end to end: two Chromium pages running the real SkylinkJS 0.6.37 with
// forceTURN connect through a real coturn, with the TURN credentials aerie issued in inRoom
// (the 0.6.x `url: turn:USER@HOST:3478` entry), and their media flows over a relay pair.
// With a credential that has already expired the pages report ICE failure rather than hang.
// Runs inside the lo-only namespace (tests/e2e/run.sh); coturn owns 127.0.0.1:3478 there, so
// aerie runs with its own STUN off.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startAerie } from '../lib/server.mjs';
import { startCoturn, TURNSERVER } from '../lib/coturn.mjs';
import { launchChromium, newContext, routePageFromOrigin, openPage, pageDiagnostics, waitForEvent } from '../lib/browser.mjs';

const STEP = { timeout: 90000 };
const SECRET = `turn-secret-${process.pid}`;

let coturn;
let browser;

before(async () => {
  coturn = await startCoturn({ secret: SECRET });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close().catch(() => {});
  await coturn?.stop();
});

async function twoPagesWithForceTurn(server, room, { delayBetweenMs = 0 } = {}) {
  const context = await newContext(browser);
  // Record what the browser says about TURN servers (SkylinkJS 0.6.37 does not listen to it).
  await context.addInitScript(() => {
    window.iceCandidateErrors = [];
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = function (...args) {
      const pc = new Native(...args);
      pc.addEventListener('icecandidateerror', (e) => {
        window.iceCandidateErrors.push({ url: e.url, errorCode: e.errorCode, errorText: e.errorText });
      });
      return pc;
    };
    window.RTCPeerConnection.prototype = Native.prototype;
    Object.setPrototypeOf(window.RTCPeerConnection, Native);
  });
  const url = await routePageFromOrigin(context, server.httpsUrl);
  const pages = [await openPage(context, url, 'A'), await openPage(context, url, 'B')];
  const options = {
    appKey: server.app.appKey, defaultRoom: room, forceTURN: true,
    roomServer: `//127.0.0.1:${server.port}`, statsServer: `//127.0.0.1:${server.port}`,
  };
  const joined = await Promise.all(pages.map(async (p, i) => {
    await new Promise((r) => setTimeout(r, i * delayBetweenMs));
    const init = await p.evaluate((o) => window.initSkylink(o), options);
    assert.equal(init.error, null, `${p.label}: init failed ${JSON.stringify(init.error)}`);
    const j = await p.evaluate(() => window.joinSkylinkRoom({ audio: true, video: true }));
    assert.equal(j.error, null, `${p.label}: joinRoom failed ${JSON.stringify(j.error)}`);
    p.peerId = j.peerId;
    return p;
  }));
  return { context, pages: joined };
}

// The type of the local and remote candidates of the pair ICE selected, from getStats().
async function selectedPair(page, remotePeerId) {
  return page.evaluate(async (id) => {
    const pc = window.skylink._peerConnections[id];
    if (!pc) return null;
    const stats = await pc.getStats();
    let pairId = null;
    stats.forEach((r) => { if (r.type === 'transport' && r.selectedCandidatePairId) pairId = r.selectedCandidatePairId; });
    const pair = pairId && stats.get(pairId);
    if (!pair) return null;
    const local = stats.get(pair.localCandidateId);
    const remote = stats.get(pair.remoteCandidateId);
    return { local: local && local.candidateType, remote: remote && remote.candidateType, state: pair.state };
  }, remotePeerId);
}

describe('TURN through coturn with aerie-issued credentials', { skip: !existsSync(TURNSERVER) && 'coturn not installed' }, () => {
  test('forceTURN: video plays over a relay candidate pair', STEP, async () => {
    const server = await startAerie({ extraArgs: ['--turn-secret', SECRET, '--stun', 'off'] });
    const { context, pages: [a, b] } = await twoPagesWithForceTurn(server, `turn-${process.pid}`);
    try {
      for (const [me, other] of [[a, b], [b, a]]) {
        try {
          await me.waitForFunction((id) => {
            const v = window.videos[id];
            return v && v.videoWidth > 0 && v.currentTime > 0.5;
          }, other.peerId, { timeout: 40000, polling: 200 });
        } catch {
          assert.fail(`${me.label}: remote video does not play through TURN\n${await pageDiagnostics(me)}\ncoturn:\n${coturn.log().slice(-3000)}`);
        }
        const pair = await selectedPair(me, other.peerId);
        assert.ok(pair, `${me.label}: a selected candidate pair exists`);
        assert.equal(pair.local, 'relay', `${me.label}: local candidate is a relay: ${JSON.stringify(pair)}`);
      }
      assert.match(coturn.log(), /session [0-9]+: .*(ALLOCATE|realm)/i, `coturn saw allocations:\n${coturn.log().slice(-1500)}`);
    } finally {
      await context.close();
      await server.stop();
    }
  });

  // SkylinkJS 0.6.37 never fires an event here (ICE stays in `new` with no candidates); what
  // the page sees is the browser's icecandidateerror with coturn's 401, which Aerie's own
  // library turns into an error event.
  test('an expired TURN credential: coturn refuses it and the page is told (401)', STEP, async () => {
    // --turn-ttl 0: a credential expires the second it is issued. A joins, B joins 2.5 s
    // later; only then does A allocate on coturn, with a credential coturn refuses (401).
    const server = await startAerie({ extraArgs: ['--turn-secret', SECRET, '--stun', 'off', '--turn-ttl', '0'] });
    const { context, pages: [a] } = await twoPagesWithForceTurn(server, `turn-expired-${process.pid}`, { delayBetweenMs: 2500 });
    try {
      try {
        await a.waitForFunction(() => window.iceCandidateErrors.some((e) => e.errorCode === 401), null,
          { timeout: 20000, polling: 200 });
      } catch {
        assert.fail(`A: no icecandidateerror 401: ${JSON.stringify(await a.evaluate(() => window.iceCandidateErrors))}\n${coturn.log().slice(-2000)}`);
      }
      assert.match(coturn.log(), /401|expired|Unauthorized/i, 'coturn logged the refusal');
    } finally {
      await context.close();
      await server.stop();
    }
  });
});
