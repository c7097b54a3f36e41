// End to end, several nodes (issue 17): the unmodified SkylinkJS 0.6.37 in real Chromium against
// two aerie nodes that share a redis-server and a PostgreSQL database, all started by this file
// inside the test's network namespace (tests/e2e/run.sh), on loopback only.
//
// Each page is served from the https origin of the node its API call goes to (same-origin, as
// when a node serves the page), so page A's `init()` asks node a and page B's asks node b. The
// room lives on one of them: the API reply of the other node steers its page there.
//   1. Both pages follow their reply: one of them was sent to the node it did not ask, both
//      sockets end on the room's node, and each page plays the other's video (mesh, P2P on
//      loopback, as tests/e2e/skylink.e2e.test.mjs).
//   2. One page's API reply is rewritten to name the node it asked, not the room's node (a page
//      that does not follow the reply): its socket reaches the other node, which bridges it to
//      the room's node, and the two pages still see each other's video.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getSession } from '../lib/server.mjs';
import { havePostgres, startPostgres } from '../lib/postgres.mjs';
import { haveRedis } from '../lib/redis.mjs';
import { startCluster } from '../lib/cluster.mjs';
import {
  launchChromium, newContext, routePageFromOrigin, openPage, events, pageDiagnostics, waitForEvent,
} from '../lib/browser.mjs';

const skip = !havePostgres() ? 'no PostgreSQL binaries (scripts/setup.sh --test)'
  : !haveRedis() ? 'no redis-server (scripts/setup.sh --test)' : false;
// Two pages, two nodes, Redis and PostgreSQL on a loaded 2-core machine: generous bounds.
const STEP = { timeout: 120000, skip };

let pg;
let cluster;
let browser;
let context;
const pageUrls = {}; // node id -> the fixture page on that node's https origin

before(async () => {
  if (skip) return;
  pg = await startPostgres();
  // TLS on (SkylinkJS 0.6 forces https/wss; each node has its self-signed certificate, which
  // the browser context accepts); --stun off: two nodes cannot both own 3478, and 0.6.37 only
  // needs the TURN entry inRoom carries, not a reachable STUN server, on loopback.
  cluster = await startCluster(pg, 2, { extraArgs: ['--tls', 'on'] });
  browser = await launchChromium();
  context = await newContext(browser);
  for (const n of cluster.nodes) pageUrls[n.id] = await routePageFromOrigin(context, n.httpsUrl);
});

after(async () => {
  if (context) await context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (cluster) await cluster.stop();
  if (pg) await pg.stop();
});

// init() against `node` (the API call goes there), then joinRoom with audio and video.
async function initAndJoin(page, node, room) {
  const init = await page.evaluate((o) => window.initSkylink(o), {
    appKey: cluster.app.appKey,
    defaultRoom: room,
    roomServer: `//127.0.0.1:${node.port}`,
    statsServer: `//127.0.0.1:${node.port}`,
  });
  assert.equal(init.error, null, `${page.label}: init() via node ${node.id} failed: ${JSON.stringify(init.error)}\n${await pageDiagnostics(page)}`);
  const joined = await page.evaluate(() => window.joinSkylinkRoom({ audio: true, video: true }));
  assert.equal(joined.error, null, `${page.label}: joinRoom failed: ${JSON.stringify(joined.error)}\n${await pageDiagnostics(page)}`);
  assert.ok(joined.peerId, `${page.label}: no peer id`);
  page.peerId = joined.peerId;
}

// The node whose port the page's signaling socket went to.
async function socketNode(page) {
  const open = await events(page, 'channelOpen');
  assert.ok(open.length > 0, `${page.label}: no channelOpen\n${await pageDiagnostics(page)}`);
  const url = new URL(open[0].socketServer);
  assert.equal(url.protocol, 'https:', `${page.label}: the socket went to https (forceSSL)`);
  const node = cluster.byPort(Number(url.port));
  assert.ok(node, `${page.label}: the socket went to ${open[0].socketServer}, not to a node`);
  return node;
}

// Each page gets the other's stream, and the remote <video> plays and keeps playing.
async function seeEachOther(a, b) {
  for (const [me, other] of [[a, b], [b, a]]) {
    await waitForEvent(me, (e, id) => e.name === 'peerJoined' && !e.isSelf && e.peerId === id, other.peerId,
      { what: `peerJoined for ${other.label}`, timeoutMs: 45000 });
    const ev = await waitForEvent(me, (e, id) => e.name === 'incomingStream' && !e.isSelf && e.peerId === id, other.peerId,
      { what: `incomingStream from ${other.label}`, timeoutMs: 45000 });
    assert.ok(ev.tracks.includes('video'), `${me.label}: the remote stream has video: ${JSON.stringify(ev.tracks)}`);
  }
  for (const [me, other] of [[a, b], [b, a]]) {
    const playing = (since) => me.waitForFunction(({ id, t }) => {
      const v = window.videos[id];
      return v && v.videoWidth > 0 && !v.paused && v.currentTime > t ? v.currentTime : null;
    }, { id: other.peerId, t: since }, { timeout: 45000, polling: 100 }).then((h) => h.jsonValue());
    try {
      const t1 = await playing(0);
      await playing(t1 + 0.3); // and it goes on
    } catch (e) {
      const state = await me.evaluate((id) => {
        const v = window.videos[id];
        return v && { videoWidth: v.videoWidth, currentTime: v.currentTime, paused: v.paused, readyState: v.readyState };
      }, other.peerId);
      assert.fail(`${me.label}: the remote video of ${other.label} does not play (${e.message.split('\n')[0]}): ${JSON.stringify(state)}\n${await pageDiagnostics(me)}`);
    }
  }
}

async function bridgedPeers(node) {
  const text = await (await fetch(`${node.httpUrl}/metrics`)).text();
  const m = text.match(/^aerie_peers_bridged(?:\{[^}]*\})? (\d+)/m);
  assert.ok(m, `no aerie_peers_bridged in node ${node.id}'s /metrics`);
  return Number(m[1]);
}

async function closeAll(...pages) {
  for (const p of pages) if (p) await p.close().catch(() => {});
}

test('two pages whose API calls go to different nodes are steered to the room\'s node and see each other\'s video', STEP, async () => {
  const room = `steered-${process.pid}`;
  const [a, b] = cluster.nodes;
  const pageA = await openPage(context, pageUrls.a, 'A');
  const pageB = await openPage(context, pageUrls.b, 'B');
  try {
    await Promise.all([initAndJoin(pageA, a, room), initAndJoin(pageB, b, room)]);
    // Both sockets went to the room's node, which either node's API names.
    const owner = cluster.byPort((await getSession(a, cluster.app.appKey, room, { origin: 'https://127.0.0.1' })).httpsPortList[0]);
    assert.ok(owner, 'the API names one of the nodes');
    const landed = [await socketNode(pageA), await socketNode(pageB)];
    assert.deepEqual(landed.map((n) => n.id), [owner.id, owner.id], 'both pages signal through the room\'s node');
    const steered = [[pageA, a], [pageB, b]].filter(([, asked]) => asked !== owner);
    assert.equal(steered.length, 1, 'one page asked the node that does not hold the room');
    assert.notEqual(landed[[pageA, pageB].indexOf(steered[0][0])].id, steered[0][1].id,
      `${steered[0][0].label} was steered away from the node it asked`);
    for (const n of cluster.nodes) assert.equal(await bridgedPeers(n), 0, `node ${n.id} bridges nobody: both were steered`);
    await seeEachOther(pageA, pageB);
  } finally {
    await closeAll(pageA, pageB);
  }
});

test('a page that ignores the API reply reaches the other node, is bridged, and the two see each other\'s video', STEP, async () => {
  const room = `bridged-${process.pid}`;
  // Place the room first, so the test knows which node is the owner and which the edge.
  const placed = await getSession(cluster.nodes[0], cluster.app.appKey, room, { origin: 'https://127.0.0.1' });
  const owner = cluster.byPort(placed.httpsPortList[0]);
  const edge = cluster.nodes.find((n) => n !== owner);
  const pageO = await openPage(context, pageUrls[owner.id], 'O');
  const pageE = await openPage(context, pageUrls[edge.id], 'E');
  try {
    // E's API call goes to the edge, which names the owner; the page is handed the edge instead,
    // so its socket reaches a node that does not hold the room.
    const named = []; // the ports the edge's API replies named, before the rewrite
    await pageE.route((url) => url.port === String(edge.port) && url.pathname.startsWith('/api/'), async (route) => {
      const response = await route.fetch();
      const json = await response.json();
      named.push(json.httpsPortList && json.httpsPortList[0]);
      json.httpsPortList = [edge.port];
      json.httpPortList = [edge.port];
      await route.fulfill({ response, json });
    });
    await initAndJoin(pageO, owner, room);
    await initAndJoin(pageE, edge, room);
    // 0.6.37 asks the API in init() and again in joinRoom(): every reply named the owner.
    assert.ok(named.length > 0 && named.every((port) => port === owner.port), `the edge's API named ${named}, not the owner ${owner.port}`);
    assert.equal((await socketNode(pageO)).id, owner.id);
    assert.equal((await socketNode(pageE)).id, edge.id, 'E\'s socket reached the edge');
    assert.equal(await bridgedPeers(edge), 1, 'the edge bridges E to the owner');
    await seeEachOther(pageO, pageE);
    for (const p of [pageO, pageE]) {
      const bad = (await events(p)).filter((e) => ['channelError', 'channelClose', 'socketError', 'systemAction'].includes(e.name));
      assert.deepEqual(bad, [], `${p.label}: no socket trouble, no redirect\n${await pageDiagnostics(p)}`);
    }
    // E leaves: O hears it once, through the bridge.
    await pageE.close();
    await waitForEvent(pageO, (e, id) => e.name === 'peerLeft' && e.peerId === id, pageE.peerId,
      { what: 'peerLeft for E', timeoutMs: 30000 });
    assert.equal((await events(pageO, 'peerLeft')).filter((e) => e.peerId === pageE.peerId).length, 1);
  } finally {
    await closeAll(pageO, pageE);
  }
});
