// Bridging (issue 17): a peer whose socket reaches a node that does not own its room is bridged
// to the owner and sees no difference. Redis, PostgreSQL and the nodes are started here, on
// loopback. In each room one peer is steered (on the owner) and one bridged (on another node):
// every message type, in order, both ways; lock and peer limit hold across the bridge with the
// redirect a local join gets; `bye` exactly once whichever way a peer leaves; an edge node
// killed: the owner's room hears one `bye` per bridged peer; the owner killed: bridged peers
// are told `toclose` at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { joinRoom, getSession, openSocket, joinRoomMessage, Peer, sleep } from '../lib/server.mjs';
import { havePostgres, startPostgres } from '../lib/postgres.mjs';
import { haveRedis } from '../lib/redis.mjs';
import { startCluster } from '../lib/cluster.mjs';
import { admin, adminToken } from '../lib/admin.mjs';

const skip = !havePostgres() ? 'no PostgreSQL binaries (scripts/setup.sh --test)'
  : !haveRedis() ? 'no redis-server (scripts/setup.sh --test)' : false;
const T = { timeout: 30000, skip };
const ORIGIN = { origin: 'http://127.0.0.1' };
let pg;
let c; // two nodes, an app with at most 3 peers per room

before(async () => {
  if (skip) return;
  pg = await startPostgres();
  c = await startCluster(pg, 2, { app: { extraArgs: ['--max-peers', '3'] } });
});
after(async () => {
  if (c) await c.stop();
  if (pg) await pg.stop();
});

// The room's owner and a node that is not, as the API names them.
async function placed(cl, room) {
  const s = await getSession(cl.nodes[0], cl.app.appKey, room, ORIGIN);
  const owner = cl.byPort(s.httpPortList[0]);
  return { owner, others: cl.nodes.filter((n) => n !== owner) };
}

// An API call (to `node`), then the socket to `node` itself whatever the reply names: a
// bridged peer when `node` is not the owner. Resolves with the Peer (peer.redirect if refused).
async function joinAt(cl, node, room) {
  const session = await getSession(node, cl.app.appKey, room, ORIGIN);
  const sock = await openSocket(`http://127.0.0.1:${node.port}`);
  sock.send(joinRoomMessage(session, cl.app.appKey));
  const reply = await sock.waitFor((m) => m.type === 'inRoom' || m.type === 'redirect',
    { what: `inRoom or redirect at ${node.id}` });
  const peer = new Peer(sock, session, cl.app, room);
  if (reply.type === 'redirect') peer.redirect = reply;
  else { peer.inRoom = reply; peer.sid = reply.sid; }
  return peer;
}

async function meet(a, b) {
  b.enter();
  await a.waitFor((m) => m.type === 'enter' && m.mid === b.sid, { what: 'enter' });
  a.welcome(b.sid);
  await b.waitFor((m) => m.type === 'welcome' && m.mid === a.sid, { what: 'welcome' });
}

const without = (m, ...keys) => Object.fromEntries(Object.entries(m).filter(([k]) => !keys.includes(k)));

test('a steered and a bridged peer exchange every message type, in order, both ways', T, async () => {
  const { owner, others } = await placed(c, 'all-types');
  const steered = await joinRoom(owner, { app: c.app, room: 'all-types' });
  const bridged = await joinAt(c, others[0], 'all-types');
  assert.ok(bridged.sid, `bridged join refused: ${JSON.stringify(bridged.redirect)}`);
  // The bridged inRoom is the owner's: same room key, ICE servers and fields as a local one.
  assert.deepEqual(Object.keys(bridged.inRoom).sort(), Object.keys(steered.inRoom).sort());
  assert.equal(bridged.inRoom.rid, steered.inRoom.rid);
  await meet(steered, bridged);

  const pairs = [[steered, bridged], [bridged, steered]];
  for (const [from, to] of pairs) {
    const sent = [
      { type: 'offer', target: to.sid, sdp: 'v=0 offer' },
      { type: 'answer', target: to.sid, sdp: 'v=0 answer' },
      { type: 'candidate', target: to.sid, candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', label: 0, id: '0' },
      { type: 'endOfCandidates', target: to.sid, noOfExpectedCandidates: 1 },
      { type: 'restart', target: to.sid, weight: 1 },
      { type: 'private', target: to.sid, data: { n: 1 } },
      { type: 'public', data: 'hello' },
      { type: 'updateUserEvent', userData: { name: 'x' }, stamp: 1 },
      { type: 'muteAudioEvent', muted: true, stamp: 2 },
      { type: 'muteVideoEvent', muted: false, stamp: 3 },
      { type: 'stream', streamId: 's', status: 'check' },
      { type: 'roomLockEvent', lock: true },
      { type: 'roomLockEvent', lock: false },
      { type: 'group', lists: [JSON.stringify({ type: 'muteAudioEvent', muted: false, stamp: 4 })] },
      ...Array.from({ length: 8 }, (_, i) => ({ type: 'public', data: `seq${i}` })),
    ];
    for (const m of sent) from.send(m);
    await to.waitFor((m) => m.type === 'public' && m.data === 'seq7', { what: 'the last of the series' });
    const got = to.matching((m) => m.mid === from.sid && m.type !== 'enter' && m.type !== 'welcome');
    // What arrives is what a local peer gets: in the order sent, stamped with the sender.
    const expected = sent.map((m) => (m.type === 'group' ? { ...JSON.parse(m.lists[0]), _group: true } : m));
    assert.deepEqual(got.map((m) => without(m, 'mid', 'rid')), expected.map((m) => without(m, 'mid', 'rid')));
    for (const m of got) assert.equal(m.rid, steered.rid);
  }
  // Both saw each roomLockEvent of the other and the lock is off again.
  bridged.send({ type: 'bye' });
  await steered.waitFor((m) => m.type === 'bye' && m.mid === bridged.sid, { what: 'bye' });
  bridged.close();
  await sleep(300);
  assert.equal(steered.matching((m) => m.type === 'bye').length, 1);
  steered.close();
});

test('the lock holds across the bridge, either side locking; refused joins get a local join\'s redirect', T, async () => {
  const { owner, others } = await placed(c, 'locked');
  const steered = await joinRoom(owner, { app: c.app, room: 'locked' });
  const bridged = await joinAt(c, others[0], 'locked');
  assert.ok(bridged.sid);
  steered.send({ type: 'roomLockEvent', lock: true });
  await bridged.waitFor((m) => m.type === 'roomLockEvent' && m.lock === true, { what: 'lock event' });
  const localRefused = await joinAt(c, owner, 'locked');
  const bridgedRefused = await joinAt(c, others[0], 'locked');
  assert.equal(localRefused.redirect.reason, 'locked');
  assert.deepEqual(bridgedRefused.redirect, localRefused.redirect);
  localRefused.close();
  bridgedRefused.close();
  // The bridged peer unlocks; a bridged and a local join are let in.
  bridged.send({ type: 'roomLockEvent', lock: false });
  await steered.waitFor((m) => m.type === 'roomLockEvent' && m.lock === false, { what: 'unlock event' });
  const third = await joinAt(c, others[0], 'locked');
  assert.ok(third.sid, JSON.stringify(third.redirect));
  for (const p of [steered, bridged, third]) p.close();
});

test('the peer limit counts bridged peers; a bridged join over it gets the local redirect; admin lists across nodes', T, async () => {
  const { owner, others } = await placed(c, 'full');
  const members = [
    await joinRoom(owner, { app: c.app, room: 'full' }),
    await joinAt(c, others[0], 'full'),
    await joinAt(c, others[0], 'full'),
  ];
  for (const p of members) assert.ok(p.sid, JSON.stringify(p.redirect));
  const localRefused = await joinAt(c, owner, 'full');
  const bridgedRefused = await joinAt(c, others[0], 'full');
  assert.match(localRefused.redirect.info, /full \(3 peers\)/);
  assert.deepEqual(bridgedRefused.redirect, localRefused.redirect);
  // The room, with its bridged members, is the owner's alone; the admin API of either node
  // lists it with its node (the other node asks the owner), of the owner only its own.
  const token = await adminToken(owner);
  const path = `/apps/${c.app.appKey}/rooms`;
  for (const via of c.nodes) {
    const rooms = await admin(via, token, 'GET', path);
    const full = rooms.rooms.filter((r) => r.name === 'full');
    assert.equal(full.length, 1, `via ${via.id}: ${JSON.stringify(rooms)}`);
    assert.equal(full[0].node, owner.id);
    assert.equal(full[0].peerCount, 3);
    assert.deepEqual(full[0].peers.sort(), members.map((p) => p.sid).sort());
    assert.deepEqual(rooms.nodes.map((n) => n.ok), [true, true]);
    assert.ok(rooms.peerCount >= 3);
  }
  const ownOnly = await admin(others[0], token, 'GET', `${path}?local=1`);
  assert.equal(ownOnly.rooms.filter((r) => r.name === 'full').length, 0);
  for (const p of [...members, localRefused, bridgedRefused]) p.close();
});

test('bye exactly once: a bridged socket that drops, a steered one that drops, a kick', T, async () => {
  const { owner, others } = await placed(c, 'byes');
  const steered = await joinRoom(owner, { app: c.app, room: 'byes' });
  const b1 = await joinAt(c, others[0], 'byes');
  const b2 = await joinAt(c, others[0], 'byes');
  await meet(steered, b1);
  b1.close(); // no bye sent: the socket just goes
  await steered.waitFor((m) => m.type === 'bye' && m.mid === b1.sid, { what: 'bye for the dropped bridged peer' });
  await b2.waitFor((m) => m.type === 'bye' && m.mid === b1.sid, { what: 'bye at the other bridged peer' });
  steered.close();
  await b2.waitFor((m) => m.type === 'bye' && m.mid === steered.sid, { what: 'bye for the steered peer' });
  await sleep(300);
  assert.equal(b2.matching((m) => m.type === 'bye' && m.mid === b1.sid).length, 1);
  assert.equal(b2.matching((m) => m.type === 'bye' && m.mid === steered.sid).length, 1);
  assert.equal(steered.matching((m) => m.type === 'bye').length, 1);
  // A kick on the owner: the bridged peer hears the owner's redirect alone, then its socket closes.
  const token = await adminToken(owner);
  await admin(owner, token, 'DELETE', `/apps/${c.app.appKey}/peers/${b2.sid}`);
  const kicked = await b2.waitFor((m) => m.type === 'redirect', { what: 'kick redirect' });
  assert.equal(kicked.reason, 'roomclose');
  await b2.sock.disconnected();
  assert.equal(b2.matching((m) => m.type === 'redirect').length, 1);
  b2.close();
});

test('an edge node killed: one bye per bridged peer; the owner killed: bridged peers told toclose', T, async (t) => {
  const c3 = await startCluster(pg, 3);
  try {
    const { owner, others } = await placed(c3, 'doom');
    const steered = await joinRoom(owner, { app: c3.app, room: 'doom' });
    const viaDoomed = await joinAt(c3, others[0], 'doom');
    const viaLive = await joinAt(c3, others[1], 'doom');
    assert.ok(viaDoomed.sid && viaLive.sid);
    process.kill(others[0].child.pid, 'SIGKILL');
    const edgeKilled = performance.now();
    await steered.waitFor((m) => m.type === 'bye' && m.mid === viaDoomed.sid, { what: 'bye after the edge died' });
    await viaLive.waitFor((m) => m.type === 'bye' && m.mid === viaDoomed.sid, { what: 'bye at the bridged peer' });
    t.diagnostic(`edge kill -9 -> bye at the owner's peers after ${(performance.now() - edgeKilled).toFixed(0)} ms`);
    await sleep(300);
    assert.equal(steered.matching((m) => m.type === 'bye').length, 1);
    assert.equal(viaLive.matching((m) => m.type === 'bye').length, 1);

    process.kill(owner.child.pid, 'SIGKILL');
    const ownerKilled = performance.now();
    const told = await viaLive.waitFor((m) => m.type === 'redirect', { what: 'toclose after the owner died' });
    assert.equal(told.action, 'warning');
    assert.equal(told.reason, 'toclose');
    assert.equal(told.rid, viaLive.rid);
    await viaLive.sock.disconnected();
    t.diagnostic(`owner kill -9 -> toclose at the bridged peer after ${(performance.now() - ownerKilled).toFixed(0)} ms`);
    steered.close();
  } finally {
    await c3.stop();
  }
});
