// Rooms spread over the event loops (one Hub shard per loop): a peer joins through whichever
// loop accepted its socket and is handed to its room's loop (its WebSocket moves there). Four
// loops, real socket.io clients of both generations over WebSocket and polling: every peer
// meets every other, messages keep their order across the move, a rejoin elsewhere leaves
// once, and the admin API and metrics see the rooms of every loop.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie, joinRoom, getSession, openSocket, signalingUrl, joinRoomMessage, request, CLIENTS } from '../lib/server.mjs';
import { admin, adminToken } from '../lib/admin.mjs';

const T = { timeout: 30000 };
let server;
let token;
let roomCounter = 0;
const uniqueRoom = (base) => `${base}-${process.pid}-${++roomCounter}`;

before(async () => {
  server = await startAerie({ extraArgs: ['--threads', '4'] });
  token = await adminToken(server);
});

after(async () => {
  if (server) await server.stop();
});

async function metric(series) {
  const res = await request(server, '/metrics');
  for (const line of res.body.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

function closeAll(t, peers) {
  t.after(() => { for (const p of peers) p.close(); });
}

describe('rooms over four loops', () => {
  test('peers of every client kind meet in rooms on every loop', T, async (t) => {
    const clients = Object.keys(CLIENTS);
    const peers = [];
    closeAll(t, peers);
    const rooms = [];
    for (let r = 0; r < 8; r++) {
      const room = uniqueRoom('spread');
      const a = await joinRoom(server, { room, client: clients[r % clients.length] });
      peers.push(a);
      const b = await joinRoom(server, { room, client: clients[(r + 1) % clients.length] });
      peers.push(b);
      rooms.push({ room, a, b });
    }
    for (const { a, b } of rooms) {
      b.enter();
      const enter = await a.waitFor((m) => m.type === 'enter' && m.mid === b.sid, { what: `enter at ${a.label}` });
      assert.equal(enter.rid, b.rid);
      a.welcome(b.sid);
      await b.waitFor((m) => m.type === 'welcome' && m.mid === a.sid, { what: `welcome at ${b.label}` });
    }
    // Nothing crossed rooms.
    for (const { a, b } of rooms) {
      for (const m of [...a.matching(() => true), ...b.matching(() => true)]) {
        if (m.mid) assert.ok(m.mid === a.sid || m.mid === b.sid, `${m.type} from another room`);
      }
    }
    assert.ok(await metric('aerie_join_handoffs_total') > 0, 'some joins were handed to another loop');
  });

  test('messages sent right behind joinRoom arrive after the join, in order', T, async (t) => {
    for (const client of ['sio1-websocket', 'sio4-websocket', 'sio1-websocket', 'sio4-websocket', 'sio1-websocket', 'sio4-websocket']) {
      const room = uniqueRoom('order');
      const elder = await joinRoom(server, { room, client: 'sio4-websocket' });
      const session = await getSession(server, server.app.appKey, room);
      const sock = await openSocket(signalingUrl(session), client);
      closeAll(t, [elder, { close: () => sock.close() }]);
      // joinRoom and 100 private messages in one burst: the join moves the socket to the
      // room's loop while the rest is already read.
      sock.send(joinRoomMessage(session, server.app.appKey));
      for (let i = 0; i < 100; i++) {
        sock.send({ type: 'private', rid: session.room_key, mid: 'x', target: elder.sid, data: String(i), cid: 'c', nick: 'n' });
      }
      const inRoom = await sock.waitFor((m) => m.type === 'inRoom', { what: 'inRoom' });
      try {
        await elder.waitFor((m) => m.type === 'private' && m.data === '99', { what: `100th message via ${client}` });
      } catch (e) {
        const got = elder.matching((m) => m.type === 'private').map((m) => m.data);
        throw new Error(`${e.message}\n got ${got.length}: ${got.join(',')}; to the sender: ${JSON.stringify(sock.matching((m) => m.type !== 'private').slice(0, 5))}`);
      }
      const got = elder.matching((m) => m.type === 'private' && m.mid === inRoom.sid).map((m) => Number(m.data));
      assert.deepEqual(got, [...Array(100).keys()], `${client}: all 100, in order`);
    }
  });

  test('a burst after inRoom keeps its order over every transport', T, async (t) => {
    for (const client of Object.keys(CLIENTS)) {
      const room = uniqueRoom('burst');
      const a = await joinRoom(server, { room, client });
      const b = await joinRoom(server, { room, client });
      closeAll(t, [a, b]);
      for (let i = 0; i < 200; i++) a.send({ type: 'private', target: b.sid, data: String(i), cid: 'c', nick: 'n' });
      await b.waitFor((m) => m.type === 'private' && m.data === '199', { what: `200th private via ${client}` });
      const got = b.matching((m) => m.type === 'private').map((m) => Number(m.data));
      assert.deepEqual(got, [...Array(200).keys()], `${client}: all 200, in order`);
    }
  });

  test('a rejoin into a room on another loop leaves the first room once', T, async (t) => {
    const first = uniqueRoom('rejoin-a');
    const a = await joinRoom(server, { room: first, client: 'sio4-websocket' });
    const b = await joinRoom(server, { room: first, client: 'sio1-websocket' });
    closeAll(t, [a, b]);
    const peersLater = [];
    closeAll(t, peersLater);
    // Several rooms: their loops differ from the first room's for most of them.
    for (let i = 0; i < 4; i++) {
      const next = uniqueRoom('rejoin-b');
      const session = await getSession(server, server.app.appKey, next);
      const c = await joinRoom(server, { room: next, client: 'sio1-polling' });
      peersLater.push(c);
      const before = a.sid;
      a.sock.send(joinRoomMessage(session, server.app.appKey));
      const inRoom = await a.waitFor((m) => m.type === 'inRoom' && m.rid === session.room_key, { what: 'inRoom of the new room' });
      a.sid = inRoom.sid;
      a.rid = session.room_key;
      if (i === 0) {
        await b.waitFor((m) => m.type === 'bye' && m.mid === before, { what: 'bye at B' });
      }
      a.enter();
      await c.waitFor((m) => m.type === 'enter' && m.mid === a.sid, { what: 'enter in the new room' });
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(b.matching((m) => m.type === 'bye').length, 1, 'one bye in the first room');
  });

  test('the admin API lists, locks and empties rooms on every loop', T, async (t) => {
    const peers = [];
    closeAll(t, peers);
    const names = [];
    for (let i = 0; i < 6; i++) {
      const room = uniqueRoom('admin');
      names.push(room);
      peers.push(await joinRoom(server, { room, client: 'sio4-websocket' }));
    }
    const live = await admin(server, token, 'GET', `/apps/${server.app.appKey}/rooms`);
    for (const name of names) assert.ok(live.rooms.find((r) => r.name === name), `${name} listed`);
    const keys = live.rooms.map((r) => r.roomKey);
    assert.deepEqual(keys, [...keys].sort(), 'rooms sorted by key across loops');
    for (let i = 0; i < names.length; i++) {
      await admin(server, token, 'POST', `/apps/${server.app.appKey}/rooms/${encodeURIComponent(names[i])}/lock`, { locked: true });
      await peers[i].waitFor((m) => m.type === 'roomLockEvent' && m.lock === true, { what: `lock of ${names[i]}` });
      await admin(server, token, 'DELETE', `/apps/${server.app.appKey}/peers/${peers[i].sid}`);
      await peers[i].waitFor((m) => m.type === 'redirect' && m.action === 'reject', { what: `removal from ${names[i]}` });
    }
    // The metrics add up the loops: the rooms' peers left, on whichever loop they were.
    const deadline = Date.now() + 5000;
    let after = await admin(server, token, 'GET', `/apps/${server.app.appKey}/rooms`);
    while (names.some((n) => after.rooms.find((r) => r.name === n)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      after = await admin(server, token, 'GET', `/apps/${server.app.appKey}/rooms`);
    }
    for (const name of names) assert.ok(!after.rooms.find((r) => r.name === name), `${name} is gone`);
    assert.equal(await metric('aerie_rooms'), after.rooms.length, 'aerie_rooms counts every loop');
  });
});
