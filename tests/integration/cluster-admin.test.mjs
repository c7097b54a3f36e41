// The admin API across nodes (issue 17: "the admin API lists rooms and peers of the whole
// cluster"): Redis, PostgreSQL and two nodes started here on loopback. Whichever node is asked,
// the room list holds every node's rooms with their peers (bridged ones among their room's);
// removing a peer and locking a room work through any node, acted on by the node that holds
// the peer or the room; a node that does not answer is named, not waited for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { joinRoom, getSession, openSocket, joinRoomMessage, Peer, sleep } from '../lib/server.mjs';
import { havePostgres, startPostgres } from '../lib/postgres.mjs';
import { haveRedis } from '../lib/redis.mjs';
import { startCluster } from '../lib/cluster.mjs';
import { admin, adminRequest, adminToken } from '../lib/admin.mjs';

const skip = !havePostgres() ? 'no PostgreSQL binaries (scripts/setup.sh --test)'
  : !haveRedis() ? 'no redis-server (scripts/setup.sh --test)' : false;
const T = { timeout: 60000, skip };
const ORIGIN = { origin: 'http://127.0.0.1' };
let pg;
let c;
let token;

before(async () => {
  if (skip) return;
  pg = await startPostgres();
  c = await startCluster(pg, 2);
  token = await adminToken(c.nodes[0]);
});
after(async () => {
  if (c) await c.stop();
  if (pg) await pg.stop();
});

// A fresh room the API places on `node` (rooms are placed by the registry: try names).
async function roomOn(node, prefix) {
  for (let r = 0; r < 60; r++) {
    const room = `${prefix}${r}`;
    const s = await getSession(c.nodes[0], c.app.appKey, room, ORIGIN);
    if (s.httpPortList[0] === node.port) return room;
  }
  throw new Error(`no room placed on node ${node.id} in 60 tries`);
}

// A peer whose socket reaches `node` whatever the API names: bridged when `node` is not the owner.
async function joinAt(node, room) {
  const session = await getSession(node, c.app.appKey, room, ORIGIN);
  const sock = await openSocket(`http://127.0.0.1:${node.port}`);
  sock.send(joinRoomMessage(session, c.app.appKey));
  const reply = await sock.waitFor((m) => m.type === 'inRoom' || m.type === 'redirect', { what: `inRoom at ${node.id}` });
  assert.equal(reply.type, 'inRoom', JSON.stringify(reply));
  const peer = new Peer(sock, session, c.app, room);
  peer.inRoom = reply;
  peer.sid = reply.sid;
  return peer;
}

const roomsPath = () => `/apps/${c.app.appKey}/rooms`;
const byName = (list, name) => list.rooms.filter((r) => r.name === name);

test('every node lists the rooms and peers of both nodes, bridged peers in their room\'s node', T, async () => {
  const [a, b] = c.nodes;
  const roomA = await roomOn(a, 'list-a');
  const roomB = await roomOn(b, 'list-b');
  const steeredA = await joinRoom(a, { app: c.app, room: roomA });
  const bridgedA = await joinAt(b, roomA); // socket on b, member of a's room
  const steeredB = await joinRoom(b, { app: c.app, room: roomB });
  try {
    for (const via of c.nodes) {
      const list = await admin(via, token, 'GET', roomsPath());
      const [ra] = byName(list, roomA);
      const [rb] = byName(list, roomB);
      assert.ok(ra && rb, `via ${via.id}: ${JSON.stringify(list)}`);
      assert.equal(byName(list, roomA).length, 1, `via ${via.id}: ${roomA} listed once`);
      assert.equal(ra.node, 'a');
      assert.equal(rb.node, 'b');
      assert.deepEqual(ra.peers.sort(), [steeredA.sid, bridgedA.sid].sort());
      assert.deepEqual(rb.peers, [steeredB.sid]);
      assert.equal(ra.peerCount, 2);
      assert.equal(list.peerCount, list.rooms.reduce((n, r) => n + r.peerCount, 0));
      assert.deepEqual(list.nodes.map((n) => [n.node, n.ok]).sort(), [['a', true], ['b', true]]);
    }
    // One node's own part.
    const onlyB = await admin(b, token, 'GET', `${roomsPath()}?local=1`);
    assert.deepEqual(byName(onlyB, roomA), []);
    assert.equal(byName(onlyB, roomB).length, 1);
  } finally {
    for (const p of [steeredA, bridgedA, steeredB]) p.close();
  }
});

test('removing a peer through a node that does not hold it: the holder removes it', T, async () => {
  const [a, b] = c.nodes;
  const roomB = await roomOn(b, 'kick-b');
  const roomA = await roomOn(a, 'kick-a');
  const p1 = await joinRoom(b, { app: c.app, room: roomB });
  const p2 = await joinRoom(b, { app: c.app, room: roomB });
  const owner = await joinRoom(a, { app: c.app, room: roomA });
  const bridged = await joinAt(b, roomA); // its socket is on b, its room on a
  try {
    // Asked of a, the peer of b's room.
    const removed = await admin(a, token, 'DELETE', `/apps/${c.app.appKey}/peers/${p2.sid}`);
    assert.deepEqual(removed, { removed: p2.sid, node: 'b' });
    const told = await p2.waitFor((m) => m.type === 'redirect', { what: 'the removed peer\'s redirect' });
    assert.equal(told.action, 'reject');
    await p1.waitFor((m) => m.type === 'bye' && m.mid === p2.sid, { what: 'bye for the removed peer' });
    // Asked of b, where its socket is, the bridged member of a's room: a removes it.
    const viaEdge = await admin(b, token, 'DELETE', `/apps/${c.app.appKey}/peers/${bridged.sid}`);
    assert.deepEqual(viaEdge, { removed: bridged.sid, node: 'a' });
    await owner.waitFor((m) => m.type === 'bye' && m.mid === bridged.sid, { what: 'bye for the bridged peer' });
    await bridged.waitFor((m) => m.type === 'redirect', { what: 'the bridged peer\'s redirect' });
    // Asked of the holder itself, it answers alone.
    assert.deepEqual(await admin(a, token, 'DELETE', `/apps/${c.app.appKey}/peers/${owner.sid}`), { removed: owner.sid, node: 'a' });
    // A sid no node holds.
    const none = await adminRequest(b, token, 'DELETE', `/apps/${c.app.appKey}/peers/nosuchpeer`);
    assert.equal(none.status, 404);
    assert.equal(none.json.error, 'not_found');
    for (const via of c.nodes) {
      const list = await admin(via, token, 'GET', roomsPath());
      const peers = list.rooms.flatMap((r) => r.peers);
      assert.ok(!peers.includes(p2.sid) && !peers.includes(bridged.sid) && !peers.includes(owner.sid), JSON.stringify(list));
      assert.ok(peers.includes(p1.sid));
    }
  } finally {
    for (const p of [p1, p2, owner, bridged]) p.close();
  }
});

test('locking a room through a node that does not hold it: the holder locks it', T, async () => {
  const [a, b] = c.nodes;
  const room = await roomOn(b, 'lock-b');
  const member = await joinRoom(b, { app: c.app, room });
  try {
    const path = `/apps/${c.app.appKey}/rooms/${encodeURIComponent(room)}/lock`;
    const locked = await admin(a, token, 'POST', path, { locked: true });
    assert.equal(locked.locked, true);
    assert.equal(locked.node, 'b');
    await member.waitFor((m) => m.type === 'roomLockEvent' && m.lock === true, { what: 'roomLockEvent' });
    const refused = await joinRoom(a, { app: c.app, room, expectReject: true });
    assert.equal(refused.redirect.reason, 'locked');
    refused.close();
    assert.equal((await admin(a, token, 'POST', path, { locked: false })).node, 'b');
    await member.waitFor((m) => m.type === 'roomLockEvent' && m.lock === false, { what: 'unlock event' });
    const none = await adminRequest(a, token, 'POST', `/apps/${c.app.appKey}/rooms/no-such-room/lock`, { locked: true });
    assert.equal(none.status, 404);
  } finally {
    member.close();
  }
});

test('a node that does not answer is named in the list, which still holds the others\' rooms', T, async () => {
  const [a, b] = c.nodes;
  const room = await roomOn(a, 'hung');
  const member = await joinRoom(a, { app: c.app, room });
  process.kill(b.child.pid, 'SIGSTOP');
  try {
    const list = await admin(a, token, 'GET', roomsPath());
    assert.equal(byName(list, room).length, 1);
    const entry = list.nodes.find((n) => n.node === 'b');
    // b's heartbeat key may lapse first (3 s): then b is no longer a live node and not asked.
    if (entry) {
      assert.equal(entry.ok, false);
      assert.match(entry.error, /timed out/);
    }
    const none = await adminRequest(a, token, 'DELETE', `/apps/${c.app.appKey}/peers/nosuchpeer`);
    assert.equal(none.status, 404);
    if (entry) assert.match(none.json.message, /no answer from b \(timed out\)/);
  } finally {
    process.kill(b.child.pid, 'SIGCONT');
    member.close();
  }
  await sleep(100);
});
