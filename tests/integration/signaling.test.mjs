// Skylink signaling (protocol spec sections 3–5) through real socket.io clients:
// socket.io-client 1.4.8 (as bundled by SkylinkJS 0.6.x, Engine.IO 3) and socket.io-client 4
// (Engine.IO 4), each over websocket and over polling.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startAerie, joinRoom, getSession, openSocket, signalingUrl, joinRoomMessage, request, CLIENTS } from '../lib/server.mjs';

const T = { timeout: 20000 };
// How long we listen for a message that must NOT arrive.
const QUIET_MS = 400;

// Engine.IO polling payload → packets: EIO 3 `<len>:<packet>` (len in UTF-16 units), EIO 4 \x1e-separated.
function decodePayload(body, eio) {
  if (eio === 4) return body.split('\x1e');
  const out = [];
  let i = 0;
  while (i < body.length) {
    const colon = body.indexOf(':', i);
    if (colon < 0) break;
    const len = Number(body.slice(i, colon));
    out.push(body.slice(colon + 1, colon + 1 + len));
    i = colon + 1 + len;
  }
  return out;
}

// The Skylink message inside a `42["message","..."]` packet, or null.
function skylinkMessage(packet) {
  if (!packet.startsWith('42')) return null;
  try {
    const [ev, arg] = JSON.parse(packet.slice(2));
    return ev === 'message' ? JSON.parse(arg) : null;
  } catch { return null; }
}

let server;
let realmA;
let realmB;
let roomCounter = 0;
const uniqueRoom = (base) => `${base}-${process.pid}-${++roomCounter}`;

before(async () => {
  server = await startAerie({
    apps: [
      { name: 'realm-a', domains: ['127.0.0.1', 'localhost'] },
      { name: 'realm-b', domains: ['127.0.0.1', 'localhost'] },
    ],
  });
  [realmA, realmB] = server.apps;
});

after(async () => {
  if (server) await server.stop();
});

// Joins peers in order and closes them when the test ends; asserts no protocol violation was seen.
function peersFor(t) {
  const peers = [];
  t.after(() => {
    for (const p of peers) p.close();
  });
  const join = async (opts) => {
    const p = await joinRoom(server, opts);
    peers.push(p);
    return p;
  };
  join.checkClean = () => {
    for (const p of peers) {
      assert.deepEqual(p.sock.violations, [], `${p.label}: every message must be one JSON string argument`);
    }
  };
  return join;
}

function assertInRoomShape(peer) {
  const m = peer.inRoom;
  assert.equal(m.type, 'inRoom');
  assert.equal(typeof m.sid, 'string', 'sid must be a string');
  assert.ok(m.sid.length > 0, 'sid must not be empty');
  if ('mid' in m) assert.equal(m.mid, m.sid, 'inRoom.mid is the sid');
  assert.equal(m.rid, peer.rid, 'inRoom.rid is the room_key of the API reply');
  assert.equal(typeof m.tieBreaker, 'number', 'tieBreaker must be a number');
  assert.ok(Number.isFinite(m.tieBreaker), 'tieBreaker must be finite');
  assert.ok(Math.abs(m.tieBreaker) < 2 ** 52, 'tieBreaker + ±2e15 must stay exact (below 2^52)');
  assert.ok(m.pc_config && Array.isArray(m.pc_config.iceServers), 'pc_config.iceServers must be an array');
  for (const s of m.pc_config.iceServers) {
    // SkylinkJS 0.6.x reads server.url.indexOf(...) on every entry: an entry without url throws.
    assert.equal(typeof s.url, 'string', `every iceServers entry needs a string url (0.6.x throws otherwise): ${JSON.stringify(s)}`);
  }
  const turn = m.pc_config.iceServers.find((s) => s.url.startsWith('turn:') && s.url.indexOf('@') > 0 && s.credential);
  assert.ok(turn, `0.6.x needs one {url:"turn:USER@HOST:3478?transport=udp", credential} entry, got ${JSON.stringify(m.pc_config.iceServers)}`);
  const user = turn.url.slice('turn:'.length).split('@')[0];
  assert.ok(user.length > 0, 'TURN user must not be empty');
  assert.ok(!user.includes(':'), `TURN user "${user}" must not contain ":" (0.6.x splits the url on ":")`);
  const hostPart = turn.url.split('@')[1].split('?')[0];
  assert.ok(hostPart.length > 0, 'TURN host must not be empty');
  assert.equal(typeof turn.credential, 'string');
}

for (const client of Object.keys(CLIENTS)) {
  describe(`signaling with ${client}`, () => {
    test('joinRoom → inRoom with sid, tieBreaker and a 0.6.x TURN entry', T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom('join');
      const a = await join({ app: realmA, room, client });
      const b = await join({ app: realmA, room, client });
      assertInRoomShape(a);
      assertInRoomShape(b);
      assert.notEqual(a.sid, b.sid, 'sids are unique');
      assert.notEqual(a.inRoom.tieBreaker, b.inRoom.tieBreaker, 'tieBreakers are unique per peer');
      join.checkClean();
    });

    test('enter is relayed to the members already in the room, not echoed to the sender', T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom('enter');
      const a = await join({ app: realmA, room, client });
      const b = await join({ app: realmA, room, client });
      const c = await join({ app: realmA, room, client });
      c.enter();  // the newcomer announces itself; the elders answer with welcome
      for (const p of [a, b]) {
        const m = await p.waitFor((x) => x.type === 'enter', { what: 'enter from C' });
        assert.equal(m.mid, c.sid, 'enter.mid is the sender');
        assert.equal(m.rid, c.rid);
        assert.equal(m.userInfo.userData.name, c.label, 'enter fields are relayed intact');
        assert.equal(typeof m.weight, 'number');
      }
      const echoed = await c.sock.collect((x) => x.type === 'enter', QUIET_MS);
      assert.equal(echoed.length, 0, 'the sender must not get its own enter');
      join.checkClean();
    });

    test('welcome, offer, answer and candidate reach only their target', T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom('target');
      const a = await join({ app: realmA, room, client });
      const b = await join({ app: realmA, room, client });
      const c = await join({ app: realmA, room, client });
      a.enter();
      b.welcome(a.sid);
      const w = await a.waitFor((x) => x.type === 'welcome', { what: 'welcome from B' });
      assert.equal(w.mid, b.sid);
      assert.equal(w.target, a.sid);
      // An SDP of realistic size (a few m-lines, many codecs: ~30 KiB).
      const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' + 'a=rtpmap:96 VP8/90000 ✓\r\n'.repeat(1200);
      a.send({ type: 'offer', target: b.sid, sdp, userInfo: {} });
      const o = await b.waitFor((x) => x.type === 'offer', { what: 'offer from A' });
      assert.equal(o.mid, a.sid);
      assert.equal(o.sdp, sdp, 'sdp relayed byte for byte');
      b.send({ type: 'answer', target: a.sid, sdp: 'v=0\r\nanswer\r\n', userInfo: {} });
      await a.waitFor((x) => x.type === 'answer' && x.mid === b.sid, { what: 'answer from B' });
      b.send({ type: 'candidate', target: a.sid, label: 0, id: '0', candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host' });
      const cand = await a.waitFor((x) => x.type === 'candidate', { what: 'candidate from B' });
      assert.equal(cand.label, 0);
      assert.equal(cand.id, '0');
      a.send({ type: 'endOfCandidates', target: b.sid, noOfExpectedCandidates: 1 });
      await b.waitFor((x) => x.type === 'endOfCandidates' && x.mid === a.sid, { what: 'endOfCandidates from A' });
      a.send({ type: 'private', target: b.sid, cid: realmA.appKey, data: 'psst' });
      await b.waitFor((x) => x.type === 'private' && x.data === 'psst', { what: 'private from A' });

      const leaked = await c.sock.collect((x) => ['welcome', 'offer', 'answer', 'candidate', 'endOfCandidates', 'private'].includes(x.type), QUIET_MS);
      assert.deepEqual(leaked.map((x) => x.type), [], 'a third peer must not see messages addressed to others');
      const backToSender = b.matching((x) => x.type === 'welcome');
      assert.equal(backToSender.length, 0, 'the sender of welcome must not get it back');
      join.checkClean();
    });

    test('forged mid and rid are overwritten with the sender\'s own', T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom('forge');
      const a = await join({ app: realmA, room, client });
      const b = await join({ app: realmA, room, client });
      const c = await join({ app: realmA, room, client });
      b.sock.send({ type: 'public', mid: c.sid, rid: 'some-other-room', cid: realmA.appKey, data: 'forged' });
      const m = await a.waitFor((x) => x.type === 'public' && x.data === 'forged', { what: 'the forged public' });
      assert.equal(m.mid, b.sid, 'mid must be replaced by the sender\'s sid');
      assert.equal(m.rid, a.rid, 'rid must be replaced by the sender\'s room');
      // A targeted message with a forged mid as well.
      b.sock.send({ type: 'offer', mid: c.sid, rid: a.rid, target: a.sid, sdp: 'x', userInfo: {} });
      const o = await a.waitFor((x) => x.type === 'offer', { what: 'the forged offer' });
      assert.equal(o.mid, b.sid, 'offer.mid must be replaced by the sender\'s sid');
      // C received the public too, with B as sender. It may have dropped it as its "own" if the mid
      // were kept, which is exactly the impersonation this rule prevents.
      const mc = await c.waitFor((x) => x.type === 'public' && x.data === 'forged', { what: 'the forged public at C' });
      assert.equal(mc.mid, b.sid);
      join.checkClean();
    });

    test('public chat is broadcast to the room, not to the sender', T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom('chat');
      const a = await join({ app: realmA, room, client });
      const b = await join({ app: realmA, room, client });
      const c = await join({ app: realmA, room, client });
      // Non-BMP characters count 2 in Engine.IO 3 polling lengths (UTF-16 units), 4 in UTF-8.
      const text = 'hello, room — ünïcødé ☕ 😀🎉 "quoted" \\ back\nslash \u2028 \u0000 end';
      a.send({ type: 'public', cid: realmA.appKey, data: text });
      for (const p of [b, c]) {
        const m = await p.waitFor((x) => x.type === 'public', { what: 'public from A' });
        assert.equal(m.data, text, 'payload relayed intact');
        assert.equal(m.mid, a.sid);
      }
      const own = await a.sock.collect((x) => x.type === 'public', QUIET_MS);
      assert.equal(own.length, 0, 'the sender must not get its own public message');
      join.checkClean();
    });

    test('roomLockEvent locks the room: a third peer is rejected with reason locked', T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom('lock');
      const a = await join({ app: realmA, room, client });
      const b = await join({ app: realmA, room, client });
      a.send({ type: 'roomLockEvent', lock: true });
      const ev = await b.waitFor((x) => x.type === 'roomLockEvent', { what: 'roomLockEvent broadcast' });
      assert.equal(ev.lock, true);
      assert.equal(ev.mid, a.sid);
      const c = await join({ app: realmA, room, client, expectReject: true });
      assert.ok(c.redirect, `a joinRoom into a locked room must be refused, got ${JSON.stringify(c.inRoom)}`);
      assert.equal(c.redirect.action, 'reject');
      assert.equal(c.redirect.reason, 'locked');
      assert.equal(typeof c.redirect.info, 'string');
      // The room members hear nothing of the refused peer.
      const noise = await a.sock.collect((x) => x.type === 'enter' || x.type === 'bye', QUIET_MS);
      assert.deepEqual(noise, []);
      // Unlock: a new peer gets in.
      a.send({ type: 'roomLockEvent', lock: false });
      await b.waitFor((x) => x.type === 'roomLockEvent' && x.lock === false, { what: 'unlock broadcast' });
      const d = await join({ app: realmA, room, client });
      assert.ok(d.sid);
      join.checkClean();
    });

    test('a closed socket makes the room hear bye exactly once', T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom('bye');
      const a = await join({ app: realmA, room, client });
      const b = await join({ app: realmA, room, client });
      const c = await join({ app: realmA, room, client });
      b.close();
      for (const p of [a, c]) {
        const m = await p.waitFor((x) => x.type === 'bye', { what: 'bye for B', timeoutMs: 8000 });
        assert.equal(m.mid, b.sid, 'bye.mid is the leaver');
        assert.equal(m.rid, a.rid);
      }
      const byes = await a.sock.collect((x) => x.type === 'bye', 700);
      assert.equal(byes.length, 1, `exactly one bye, got ${byes.length}`);
      join.checkClean();
    });

    test('a bye message then a close still gives exactly one bye', T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom('bye2');
      const a = await join({ app: realmA, room, client });
      const b = await join({ app: realmA, room, client });
      b.send({ type: 'bye' });
      const m = await a.waitFor((x) => x.type === 'bye', { what: 'bye for B' });
      assert.equal(m.mid, b.sid);
      await new Promise((r) => setTimeout(r, 100));
      b.close();
      const byes = await a.sock.collect((x) => x.type === 'bye', 700);
      assert.equal(byes.length, 1, `exactly one bye, got ${byes.length}`);
      join.checkClean();
    });

    test('two realms with the same room name stay apart', T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom('lobby');
      const a1 = await join({ app: realmA, room, client });
      const a2 = await join({ app: realmA, room, client });
      const b1 = await join({ app: realmB, room, client });
      assert.notEqual(a1.rid, b1.rid, 'room_key differs between realms');
      a1.enter();
      a1.send({ type: 'public', cid: realmA.appKey, data: 'realm A only' });
      await a2.waitFor((x) => x.type === 'public', { what: 'public within realm A' });
      a1.send({ type: 'roomLockEvent', lock: true });
      await a2.waitFor((x) => x.type === 'roomLockEvent', { what: 'lock within realm A' });
      const leaked = await b1.sock.collect(() => true, QUIET_MS);
      assert.deepEqual(leaked.filter((x) => x.type !== 'inRoom').map((x) => x.type), [],
        'nothing from realm A reaches realm B');
      // The lock of realm A's room does not lock realm B's room of the same name.
      const b2 = await join({ app: realmB, room, client });
      assert.ok(b2.sid, 'realm B room is not locked');
      // Realm B traffic does not reach realm A.
      b2.enter();
      await b1.waitFor((x) => x.type === 'enter', { what: 'enter within realm B' });
      const back = await a1.sock.collect((x) => x.type === 'enter', QUIET_MS);
      assert.deepEqual(back, []);
      join.checkClean();
    });
  });
}

describe('signaling across client versions and rules', () => {
  test('socket.io 1.4.8 and 4 clients over different transports share one room', T, async (t) => {
    const join = peersFor(t);
    const room = uniqueRoom('mixed');
    const peers = [];
    for (const client of Object.keys(CLIENTS)) peers.push(await join({ app: realmA, room, client }));
    peers[0].send({ type: 'public', cid: realmA.appKey, data: 'to all transports' });
    for (const p of peers.slice(1)) {
      const m = await p.waitFor((x) => x.type === 'public', { what: `public at ${p.label}` });
      assert.equal(m.mid, peers[0].sid);
    }
    peers[3].send({ type: 'offer', target: peers[0].sid, sdp: 'x', userInfo: {} });
    await peers[0].waitFor((x) => x.type === 'offer' && x.mid === peers[3].sid, { what: 'offer from sio4-polling' });
    join.checkClean();
  });

  test('the same session over HTTPS on the same port (wss and polling over TLS, socket.io-client 1.4.8 and 4)', T, async (t) => {
    const join = peersFor(t);
    const room = uniqueRoom('tls');
    const peers = [];
    for (const client of ['sio1-websocket', 'sio1-polling', 'sio4-websocket', 'sio4-polling']) {
      peers.push(await join({ app: realmA, room, client, secure: true }));
    }
    // Every peer reaches every other over TLS: a chat from each, a targeted offer around the ring.
    for (const [i, p] of peers.entries()) {
      p.send({ type: 'public', cid: realmA.appKey, data: `over tls ${i}` });
      const next = peers[(i + 1) % peers.length];
      p.send({ type: 'offer', target: next.sid, sdp: 'v=0 '.repeat(2000), userInfo: {} });
    }
    for (const [i, p] of peers.entries()) {
      for (const [j, q] of peers.entries()) {
        if (i === j) continue;
        await q.waitFor((x) => x.type === 'public' && x.data === `over tls ${i}`, { what: `public ${i} over TLS at ${q.label}` });
      }
      const next = peers[(i + 1) % peers.length];
      const offer = await next.waitFor((x) => x.type === 'offer' && x.mid === p.sid, { what: `offer over TLS from ${p.label}` });
      assert.equal(offer.sdp.length, 8000, 'an 8 KB SDP arrives whole over TLS records');
    }
    join.checkClean();
  });

  test('group entries are delivered and get the sender\'s mid', T, async (t) => {
    const join = peersFor(t);
    const room = uniqueRoom('group');
    const a = await join({ app: realmA, room });
    const b = await join({ app: realmA, room });
    const c = await join({ app: realmA, room });
    const entries = [
      { type: 'public', mid: c.sid, rid: a.rid, cid: realmA.appKey, data: 'g1' },
      { type: 'updateUserEvent', mid: c.sid, rid: a.rid, userData: { n: 1 }, stamp: Date.now() },
    ];
    b.sock.send({ type: 'group', mid: c.sid, rid: a.rid, lists: entries.map((e) => JSON.stringify(e)) });
    const pub = await a.waitFor((x) => x.type === 'public' && x.data === 'g1', { what: 'group entry public' });
    const upd = await a.waitFor((x) => x.type === 'updateUserEvent', { what: 'group entry updateUserEvent' });
    assert.equal(pub.mid, b.sid, 'group entry public: mid must be the sender');
    assert.equal(upd.mid, b.sid, 'group entry updateUserEvent: mid must be the sender');
    assert.deepEqual(upd.userData, { n: 1 });
    join.checkClean();
  });

  // Rate limits at Aerie's defaults (spec section 4): room-wide burst 20 then 5/s, targeted burst
  // 500 then 100/s, over-budget messages dropped and answered by one fastmsg warning per second.
  test('room-wide messages over the burst are dropped with a fastmsg warning', T, async (t) => {
    const join = peersFor(t);
    const room = uniqueRoom('rate');
    const a = await join({ app: realmA, room, client: 'sio1-websocket' });
    const b = await join({ app: realmA, room, client: 'sio1-websocket' });
    for (let i = 0; i < 40; i++) a.send({ type: 'public', cid: realmA.appKey, data: `burst-${i}` });
    const warning = await a.waitFor((x) => x.type === 'redirect', { what: 'fastmsg warning' });
    assert.equal(warning.action, 'warning', JSON.stringify(warning));
    assert.equal(warning.reason, 'fastmsg', JSON.stringify(warning));
    const got = await b.sock.collect((x) => x.type === 'public', 500);
    assert.ok(got.length >= 18 && got.length <= 25, `about 20 of 40 burst messages pass, got ${got.length}`);
    const warnings = a.matching((x) => x.type === 'redirect' && x.reason === 'fastmsg');
    assert.ok(warnings.length <= 2, `at most one fastmsg warning per second, got ${warnings.length}`);
    assert.ok(a.sock.isConnected, 'a short burst must not disconnect');
    // Tokens come back at 5/s.
    await new Promise((r) => setTimeout(r, 1200));
    a.send({ type: 'public', cid: realmA.appKey, data: 'after-refill' });
    await b.waitFor((x) => x.type === 'public' && x.data === 'after-refill', { what: 'public after the bucket refilled' });
    join.checkClean();
  });

  test('an ICE-restart-sized burst of targeted messages all pass', T, async (t) => {
    const join = peersFor(t);
    const room = uniqueRoom('burst');
    const a = await join({ app: realmA, room, client: 'sio4-websocket' });
    const b = await join({ app: realmA, room, client: 'sio4-websocket' });
    const n = 300;
    for (let i = 0; i < n; i++) {
      a.send({ type: 'candidate', target: b.sid, label: 0, id: '0', candidate: `candidate:${i} 1 udp 2122260223 127.0.0.1 ${40000 + i} typ host` });
    }
    const deadline = Date.now() + 5000;
    while (b.matching('candidate').length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(b.matching('candidate').length, n, 'every candidate of the burst arrives');
    assert.deepEqual(a.matching('redirect'), [], 'no fastmsg warning for 300 targeted messages');
    join.checkClean();
  });

  // A browser tab on long-polling that is closed aborts its pending GET; Engine.IO servers
  // (socketio/engine.io lib/transports/polling.js: req.on('close') → "poll connection closed
  // prematurely") end the session at once, so the room hears bye without waiting for the
  // 45-second ping timeout.
  for (const eio of [3, 4]) {
    test(`EIO=${eio}: an aborted pending poll (tab closed) ends the session promptly`, T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom(`abort${eio}`);
      const a = await join({ app: realmA, room, client: 'sio1-websocket' });
      const session = await getSession(server, realmA.appKey, room);
      const base = `/socket.io/?EIO=${eio}&transport=polling`;
      const hs = await request(server, `${base}&t=1`);
      assert.equal(hs.status, 200, hs.body);
      const sid = JSON.parse(hs.body.match(/0(\{[^}]*\})/)[1]).sid;
      const q = `${base}&sid=${encodeURIComponent(sid)}`;
      const post = (packets) => request(server, q, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        body: eio === 3 ? packets.map((p) => `${p.length}:${p}`).join('') : packets.join('\x1e'),
      });
      const join42 = '42' + JSON.stringify(['message', JSON.stringify(joinRoomMessage(session, realmA.appKey))]);
      const poll = async () => decodePayload((await request(server, `${q}&t=${Date.now()}`)).body, eio);
      if (eio === 4) {
        // As socket.io-client 4 does: connect the namespace, wait for 40{sid}, then emit.
        assert.equal((await post(['40'])).status, 200);
        const packets = await poll();
        assert.ok(packets.some((p) => p.startsWith('40')), `40{sid} expected, got ${JSON.stringify(packets)}`);
      }
      assert.equal((await post([join42])).status, 200);
      let inRoom = null;
      for (let i = 0; i < 5 && !inRoom; i++) {
        inRoom = (await poll()).map(skylinkMessage).find((m) => m && m.type === 'inRoom') || null;
      }
      assert.ok(inRoom, 'joinRoom over raw polling gets inRoom');
      const sidInRoom = inRoom.sid;
      // A pending poll on its own connection, then the tab goes away.
      const raw = net.connect(server.port, '127.0.0.1', () => {
        raw.write(`GET ${q}&t=${Date.now()} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
      });
      raw.on('error', () => {});
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      raw.destroy();
      const bye = await a.waitFor((x) => x.type === 'bye', { what: 'bye after the pending poll was aborted', timeoutMs: 5000 })
        .catch((e) => { throw new Error(`${e.message.split(';')[0]} (a reference Engine.IO server closes the session when its pending poll's connection closes)`); });
      assert.equal(bye.mid, sidInRoom);
      t.diagnostic(`bye ${Date.now() - t0} ms after the abort`);
    });
  }

  test('joinRoom with a forged userCred is rejected (credentialError)', T, async (t) => {
    const room = uniqueRoom('cred');
    const session = await getSession(server, realmA.appKey, room);
    const sock = await openSocket(signalingUrl(session), 'sio1-websocket');
    t.after(() => sock.close());
    const msg = joinRoomMessage(session, realmA.appKey);
    msg.userCred = msg.userCred.slice(0, -4) + (msg.userCred.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    sock.send(msg);
    const m = await sock.waitFor((x) => x.type === 'redirect' || x.type === 'inRoom', { what: 'reply to a forged joinRoom' });
    assert.equal(m.type, 'redirect', `forged userCred must not get inRoom: ${JSON.stringify(m)}`);
    assert.equal(m.action, 'reject');
    assert.equal(m.reason, 'credentialError');
  });

  test('joinRoom credentials of one realm cannot enter another realm\'s room', T, async (t) => {
    const join = peersFor(t);
    const room = uniqueRoom('cross');
    const b1 = await join({ app: realmB, room });
    const sessionA = await getSession(server, realmA.appKey, room);
    const sock = await openSocket(signalingUrl(sessionA), 'sio1-websocket');
    t.after(() => sock.close());
    const msg = joinRoomMessage(sessionA, realmA.appKey);
    msg.rid = b1.rid;
    sock.send(msg);
    const m = await sock.waitFor((x) => x.type === 'redirect' || x.type === 'inRoom', { what: 'reply to a joinRoom with a foreign rid' });
    if (m.type === 'inRoom') {
      assert.notEqual(m.rid, b1.rid, 'must not be admitted into realm B\'s room');
    } else {
      assert.equal(m.action, 'reject');
    }
    const leaked = await b1.sock.collect((x) => x.type !== 'inRoom', QUIET_MS);
    assert.deepEqual(leaked, []);
  });

  test('messages before joinRoom are not relayed', T, async (t) => {
    const join = peersFor(t);
    const room = uniqueRoom('prejoin');
    const a = await join({ app: realmA, room });
    const sock = await openSocket(signalingUrl(a.session), 'sio4-websocket');
    t.after(() => sock.close());
    sock.send({ type: 'public', mid: 'x', rid: a.rid, cid: realmA.appKey, data: 'sneaky' });
    sock.send({ type: 'enter', mid: 'x', rid: a.rid });
    sock.send({ type: 'offer', mid: 'x', rid: a.rid, target: a.sid, sdp: 'x' });
    const got = await a.sock.collect((x) => x.type !== 'inRoom', QUIET_MS);
    assert.deepEqual(got, []);
  });

  test('an emptied room is dropped: its lock is cleared', T, async (t) => {
    const join = peersFor(t);
    const room = uniqueRoom('drop');
    const a = await join({ app: realmA, room });
    const b = await join({ app: realmA, room });
    a.send({ type: 'roomLockEvent', lock: true });
    await b.waitFor('roomLockEvent');
    a.close();
    await b.waitFor('bye', { timeoutMs: 8000 });
    b.close();
    await new Promise((r) => setTimeout(r, 300));
    const c = await join({ app: realmA, room });
    assert.ok(c.sid, 'a fresh room after everyone left is not locked');
  });
});
