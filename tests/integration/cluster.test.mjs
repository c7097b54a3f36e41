// Several aerie nodes on one Redis (node registry, room ownership, liveness) and one PostgreSQL
// (app keys), all started by this file on loopback (issue 17): the API on any node names the
// room's node and its peers meet there (a socket that reaches another node is bridged:
// cluster-bridge.test.mjs); kill -9 or SIGSTOP of an owner moves only its rooms, within seconds; without Redis a
// node keeps its rooms and refuses new ones with a clear error, and after a Redis restart no
// room has two owners; SIGTERM drains.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { joinRoom, getApi, getSession, sleep } from '../lib/server.mjs';
import { havePostgres, startPostgres } from '../lib/postgres.mjs';
import { haveRedis } from '../lib/redis.mjs';
import { startCluster, redisCli } from '../lib/cluster.mjs';

const skip = !havePostgres() ? 'no PostgreSQL binaries (scripts/setup.sh --test)'
  : !haveRedis() ? 'no redis-server (scripts/setup.sh --test)' : false;
const T = { timeout: 30000, skip };
const ORIGIN = { origin: 'http://127.0.0.1' };
let pg;

before(async () => {
  if (!skip) pg = await startPostgres();
});
after(async () => {
  if (pg) await pg.stop();
});

// Redis, a database and `count` nodes named a, b, c...; the app made through the first.
const cluster = (count, opts) => startCluster(pg, count, opts);

// The node the API reply of `via` sends `room`'s peers to.
async function ownerPort(c, via, room) {
  const s = await getSession(via, c.app.appKey, room, ORIGIN);
  assert.equal(s.ipSigserver, '127.0.0.1');
  return s.httpPortList[0];
}

// Polls `via`'s API until `room` is placed on a node other than `deadPort` that takes a join.
async function replacedWithin(c, via, room, deadPort, ms) {
  const from = performance.now();
  while (performance.now() - from < ms) {
    const res = await getApi(via, c.app.appKey, room, ORIGIN);
    if (res.json && res.json.success && res.json.httpPortList[0] !== deadPort) {
      return { ms: performance.now() - from, port: res.json.httpPortList[0], session: res.json };
    }
    await sleep(50);
  }
  return null;
}

async function meet(c, room, viaA, viaB) {
  const p1 = await joinRoom(viaA, { app: c.app, room });
  const p2 = await joinRoom(viaB, { app: c.app, room });
  p2.enter();
  await p1.waitFor((m) => m.type === 'enter' && m.mid === p2.sid, { what: `enter in ${room}` });
  p1.welcome(p2.sid);
  await p2.waitFor((m) => m.type === 'welcome' && m.mid === p1.sid, { what: `welcome in ${room}` });
  return [p1, p2];
}

test('the API on every node names the room\'s node; peers steered there meet; bye once', T, async () => {
  const c = await cluster(3);
  try {
    const ports = new Set(c.nodes.map((n) => n.port));
    const owners = new Set();
    for (let r = 0; r < 8; r++) {
      const seen = new Set();
      for (const n of c.nodes) seen.add(await ownerPort(c, n, `room${r}`));
      assert.equal(seen.size, 1, `room${r} named ${[...seen]} by different nodes`);
      const [port] = seen;
      assert.ok(ports.has(port));
      owners.add(port);
    }
    assert.ok(owners.size >= 2, 'eight rooms all on one node of three');
    // The API calls went to a and c; both peers are on the owner.
    const [p1, p2] = await meet(c, 'room0', c.nodes[0], c.nodes[2]);
    p2.send({ type: 'private', target: p1.sid, data: { x: 1 } });
    await p1.waitFor((m) => m.type === 'private' && m.mid === p2.sid, { what: 'private' });
    p2.close();
    await p1.waitFor((m) => m.type === 'bye' && m.mid === p2.sid, { what: 'bye' });
    await sleep(300);
    assert.equal(p1.matching((m) => m.type === 'bye').length, 1);
    p1.close();
    // The room emptied: its key goes with it.
    await sleep(300);
    const keys = await redisCli(c.redis, 'KEYS', 'aerie:room:*');
    assert.ok(!keys.includes(p1.rid), `room key still there: ${keys}`);
  } finally {
    await c.stop();
  }
});

for (const how of ['SIGKILL', 'SIGSTOP']) {
  test(`${how} of a room's node: its rooms move to a live node within seconds, other rooms never notice`, T, async (t) => {
    const c = await cluster(3);
    try {
      // Two rooms on different nodes.
      const rooms = {};
      for (let r = 0; rooms.victim === undefined || rooms.bystander === undefined; r++) {
        assert.ok(r < 40, 'no two rooms on different nodes');
        const port = await ownerPort(c, c.nodes[0], `f${r}`);
        if (rooms.victim === undefined) rooms.victim = { room: `f${r}`, port };
        else if (port !== rooms.victim.port) rooms.bystander = { room: `f${r}`, port };
      }
      const victim = c.byPort(rooms.victim.port);
      const [v1, v2] = await meet(c, rooms.victim.room, c.nodes[0], c.nodes[1]);
      const [b1, b2] = await meet(c, rooms.bystander.room, c.nodes[0], c.nodes[1]);
      const via = c.nodes.find((n) => n !== victim);
      const killedAt = performance.now();
      process.kill(victim.child.pid, how);
      // Every peer of the lost room rejoins through the API on a live node.
      const moved = await replacedWithin(c, via, rooms.victim.room, victim.port, 8000);
      assert.ok(moved, `room still placed on the ${how === 'SIGKILL' ? 'dead' : 'stopped'} node after 8 s`);
      const newOwner = c.byPort(moved.port);
      assert.ok(newOwner && newOwner !== victim);
      const [n1, n2] = await meet(c, rooms.victim.room, via, via);
      const back = performance.now() - killedAt;
      t.diagnostic(`${how}: room placed on a live node after ${(moved.ms).toFixed(0)} ms, both peers in it after ${back.toFixed(0)} ms`);
      assert.ok(back < 5000, `failover took ${back.toFixed(0)} ms`);
      // The bystander room (on a live node) kept its peers and its order.
      b1.send({ type: 'private', target: b2.sid, data: 'still here' });
      await b2.waitFor((m) => m.type === 'private' && m.data === 'still here', { what: 'bystander relay' });
      assert.equal(b1.matching((m) => m.type === 'bye' || m.type === 'redirect').length, 0);
      for (const p of [v1, v2, b1, b2, n1, n2]) p.close();
    } finally {
      await c.stop();
    }
  });
}

test('without Redis: rooms held are served, new ones refused clearly; after a restart, no room has two nodes', T, async (t) => {
  const c = await cluster(2);
  try {
    const rooms = [];
    for (let r = 0; r < 6; r++) rooms.push({ room: `k${r}`, port: await ownerPort(c, c.nodes[r % 2], `k${r}`) });
    const peers = [];
    for (const { room, port } of rooms) peers.push(await joinRoom(c.byPort(port), { app: c.app, room }));
    await c.redis.down();
    await sleep(300);
    // Held rooms: the owner still answers for them and takes joins.
    for (const { room, port } of rooms.slice(0, 2)) {
      assert.equal(await ownerPort(c, c.byPort(port), room), port);
      peers.push(await joinRoom(c.byPort(port), { app: c.app, room }));
    }
    const refused = await getApi(c.nodes[0], c.app.appKey, 'brand-new', ORIGIN);
    assert.equal(refused.status, 503);
    assert.equal(refused.json.error, 5003);
    assert.match(refused.json.info, /registry is unreachable/);
    const started = performance.now();
    await c.redis.up();
    // Every node names the original owner again, within moments of Redis's return.
    for (const { room, port } of rooms) {
      let seen;
      for (let i = 0; i < 40; i++) {
        seen = new Set();
        for (const n of c.nodes) {
          const res = await getApi(n, c.app.appKey, room, ORIGIN);
          seen.add(res.json.success ? res.json.httpPortList[0] : 'refused');
        }
        if (seen.size === 1 && seen.has(port)) break;
        await sleep(50);
      }
      assert.deepEqual([...seen], [port], `${room} after the restart`);
    }
    t.diagnostic(`rooms re-asserted ${(performance.now() - started).toFixed(0)} ms after Redis came back`);
    assert.equal(peers.filter((p) => p.matching((m) => m.type === 'redirect').length).length, 0);
    for (const p of peers) p.close();
  } finally {
    await c.stop();
  }
});

test('SIGTERM drains: no new rooms there, its peers told toclose and placed elsewhere at once', T, async (t) => {
  const c = await cluster(2);
  try {
    let room;
    let port;
    for (let r = 0; ; r++) {
      port = await ownerPort(c, c.nodes[0], `d${r}`);
      if (port === c.nodes[1].port) { room = `d${r}`; break; }
      assert.ok(r < 40);
    }
    const peer = await joinRoom(c.nodes[1], { app: c.app, room });
    const exit = c.nodes[1].terminate();
    const warn = await peer.waitFor((m) => m.type === 'redirect', { what: 'toclose' });
    assert.equal(warn.reason, 'toclose');
    const moved = await replacedWithin(c, c.nodes[0], room, c.nodes[1].port, 1000);
    assert.ok(moved, 'drained node still named for its room');
    t.diagnostic(`room placed elsewhere ${moved.ms.toFixed(0)} ms after toclose`);
    assert.equal(moved.port, c.nodes[0].port);
    await exit;
    peer.close();
  } finally {
    await c.stop();
  }
});

async function metric(node, name) {
  const text = await (await fetch(`${node.httpUrl}/metrics`)).text();
  const m = text.match(new RegExp(`^${name}\\{node="${node.id}"\\} (\\d+)`, 'm'));
  assert.ok(m, `no ${name} in /metrics of ${node.id}`);
  return Number(m[1]);
}

test('a hung Redis (SIGSTOP) stalls no one else on the node while an API call waits for it', T, async () => {
  // One loop, so a wait on it would hold everything; a command timeout long enough that what
  // follows happens while the placement is still waiting, even on a loaded machine.
  const c = await cluster(1, { extraArgs: ['--limit', 'redis-command-timeout-ms=6000'] });
  const node = c.nodes[0];
  try {
    const [p1, p2] = await meet(c, 'held', node, node);
    const claims = await metric(node, 'aerie_cluster_claims_total');
    process.kill(c.redis.pid, 'SIGSTOP');
    let placed = null;
    const placing = getApi(node, c.app.appKey, 'brand-new', { ...ORIGIN, timeoutMs: 20000 }).then((r) => { placed = r; return r; });
    // The claim is on its way to the stopped Redis, and /metrics answers meanwhile.
    while (await metric(node, 'aerie_cluster_claims_total') === claims) await sleep(20);
    assert.equal(placed, null, 'the placement answered before Redis could');
    assert.equal((await fetch(`${node.httpUrl}/health`)).status, 200);
    p1.send({ type: 'private', target: p2.sid, data: 'while redis hangs' });
    await p2.waitFor((m) => m.type === 'private' && m.data === 'while redis hangs', { what: 'relay while Redis hangs' });
    assert.equal(placed, null, 'the placement answered before Redis could');
    // The client's command timeout ends the wait: the room is refused, as when Redis is down.
    const refused = await placing;
    assert.equal(refused.status, 503);
    assert.equal(refused.json.error, 5003);
    process.kill(c.redis.pid, 'SIGCONT');
    // Redis answers again: the node reconnects and places the room.
    for (let i = 0; ; i++) {
      const res = await getApi(node, c.app.appKey, 'brand-new', ORIGIN);
      if (res.status === 200) break;
      assert.ok(i < 100, `still refused after Redis resumed: ${res.body}`);
      await sleep(50);
    }
    p1.close();
    p2.close();
  } finally {
    try { process.kill(c.redis.pid, 'SIGCONT'); } catch { /* gone */ }
    await c.stop();
  }
});

test('/metrics names the node', T, async () => {
  const c = await cluster(1);
  try {
    const n = c.nodes[0];
    const res = await fetch(`${n.httpUrl}/metrics`);
    const text = await res.text();
    assert.match(text, /aerie_cluster_node_info\{node="a",epoch="[^"]+"\} 1/);
    assert.match(text, /aerie_cluster_redis_up\{node="a"\} 1/);
  } finally {
    await c.stop();
  }
});
