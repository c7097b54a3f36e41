// What other SkylinkJS releases send and need, over real sockets:
//   0.5.x sends its bundled `group` (and may send any message) as an object argument of the
//     socket.io `message` event, not a JSON string: `socket.send({type:'group', lists, mid, rid})`.
//   0.9.x needs socket.io-client 1.x loaded by the page: aerie serves it at /socket.io/socket.io.js.
//   2.x reads ipSigserver as its whole host:port and never reads httpPortList.
//   Two peers joining at once: an untargeted `enter` reaches only the elder members.
// Events aerie cannot use are counted in /metrics and leave the socket working.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startAerie, joinRoom, request, apiPath, repoRoot } from '../lib/server.mjs';

const T = { timeout: 20000 };
const QUIET_MS = 400;
let server;
let roomCounter = 0;
const uniqueRoom = (base) => `${base}-${process.pid}-${++roomCounter}`;

before(async () => {
  server = await startAerie();
});

after(async () => {
  if (server) await server.stop();
});

function peersFor(t) {
  const peers = [];
  t.after(() => { for (const p of peers) p.sock.close(); });
  return async (room, client) => {
    const p = await joinRoom(server, { room, client });
    peers.push(p);
    return p;
  };
}

// The object form 0.5.10 sends: the socket.io argument is the message object itself.
function sendObject(peer, msg) {
  peer.sock.raw.send({ mid: peer.sid, rid: peer.rid, ...msg });
}

async function scrape() {
  const res = await request(server, '/metrics');
  assert.equal(res.status, 200);
  return res.body;
}

function value(text, series) {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return 0;
}

for (const client of ['sio1-websocket', 'sio1-polling']) {
  describe(`messages as objects (SkylinkJS 0.5.x) over ${client}`, () => {
    test('a group sent as an object delivers every entry, in order, to every other peer', T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom('group-object');
      const a = await join(room, client);
      const b = await join(room, client);
      const c = await join(room, client);
      const lists = [
        JSON.stringify({ type: 'public', mid: a.sid, rid: a.rid, data: 'first', cid: 'x' }),
        JSON.stringify({ type: 'muteAudioEvent', mid: a.sid, rid: a.rid, muted: true, stamp: 1 }),
        JSON.stringify({ type: 'updateUserEvent', mid: a.sid, rid: a.rid, userData: { name: 'A' }, stamp: 2 }),
        JSON.stringify({ type: 'public', mid: a.sid, rid: a.rid, data: 'last', cid: 'x' }),
      ];
      sendObject(a, { type: 'group', lists });
      for (const peer of [b, c]) {
        const got = [];
        for (let i = 0; i < lists.length; i++) {
          got.push(await peer.sock.waitFor((m) => m._group && m.mid === a.sid, { what: `group entry ${i}` }));
        }
        assert.deepEqual(got.map((m) => m.type), ['public', 'muteAudioEvent', 'updateUserEvent', 'public']);
        assert.deepEqual([got[0].data, got[3].data], ['first', 'last']);
        assert.equal(got[1].muted, true);
        assert.deepEqual(got[2].userData, { name: 'A' });
      }
      assert.deepEqual(a.sock.matching((m) => m._group), [], 'the sender does not get its own group back');
    });

    test('a group sent as a JSON string, and entries that are objects, arrive the same way', T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom('group-string');
      const a = await join(room, client);
      const b = await join(room, client);
      a.send({ type: 'group', lists: [JSON.stringify({ type: 'public', data: 'as string' })] });
      sendObject(a, { type: 'group', lists: [{ type: 'public', data: 'object entry' }] });
      const first = await b.sock.waitFor((m) => m._group && m.type === 'public');
      const second = await b.sock.waitFor((m) => m._group && m.type === 'public');
      assert.deepEqual([first.data, second.data], ['as string', 'object entry']);
      assert.equal(second.mid, a.sid);
    });

    test('a single message sent as an object is relayed like its string form', T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom('single-object');
      const a = await join(room, client);
      const b = await join(room, client);
      sendObject(a, { type: 'public', data: 'hello as object', cid: 'x' });
      sendObject(a, { type: 'private', target: b.sid, data: 'just for b', cid: 'x' });
      const pub = await b.sock.waitFor((m) => m.type === 'public');
      const priv = await b.sock.waitFor((m) => m.type === 'private');
      assert.equal(pub.data, 'hello as object');
      assert.equal(pub.mid, a.sid);
      assert.equal(priv.data, 'just for b');
    });

    test('a burst of mute, chat and lock within a second, as 0.5.10 bundles it, arrives whole and locks the room', T, async (t) => {
      const join = peersFor(t);
      const room = uniqueRoom('burst');
      const a = await join(room, client);
      const b = await join(room, client);
      const c = await join(room, client);
      // 0.5.10 sends the first status message alone and queues the ones that follow within a
      // second, then sends them as one group object.
      a.send({ type: 'public', data: 'chat 1', cid: 'x' });
      const queued = [
        { type: 'muteAudioEvent', muted: true, stamp: 1 },
        { type: 'public', data: 'chat 2', cid: 'x' },
        { type: 'muteVideoEvent', muted: true, stamp: 2 },
        { type: 'roomLockEvent', lock: true },
        { type: 'public', data: 'chat 3', cid: 'x' },
      ].map((m) => JSON.stringify({ mid: a.sid, rid: a.rid, ...m }));
      sendObject(a, { type: 'group', lists: queued });
      for (const peer of [b, c]) {
        const chats = [];
        for (let i = 0; i < 3; i++) chats.push((await peer.sock.waitFor((m) => m.type === 'public')).data);
        assert.deepEqual(chats, ['chat 1', 'chat 2', 'chat 3']);
        assert.equal((await peer.sock.waitFor('muteAudioEvent')).muted, true);
        assert.equal((await peer.sock.waitFor('muteVideoEvent')).muted, true);
        assert.equal((await peer.sock.waitFor('roomLockEvent')).lock, true);
      }
      const late = await joinRoom(server, { room, client, expectReject: true });
      t.after(() => late.sock.close());
      assert.equal(late.redirect && late.redirect.reason, 'locked', 'the lock in the group locked the room');
    });
  });
}

describe('events aerie cannot use', () => {
  test('are counted in /metrics and the socket keeps working', T, async (t) => {
    const join = peersFor(t);
    const room = uniqueRoom('unusable');
    const a = await join(room, 'sio1-websocket');
    const b = await join(room, 'sio4-websocket');
    const before = await scrape();
    a.sock.raw.emit('chat', 'not a skylink event');
    a.sock.raw.send(42);
    a.sock.raw.send(['an', 'array']);
    b.sock.raw.emit('hello');
    a.send({ type: 'public', data: 'still here', cid: 'x' });
    assert.equal((await b.sock.waitFor('public')).data, 'still here');
    const after = await scrape();
    const delta = (s) => value(after, s) - value(before, s);
    assert.equal(delta('aerie_messages_dropped_total{reason="otherEvent"}'), 2);
    assert.equal(delta('aerie_messages_dropped_total{reason="badEventArgument"}'), 2);
    assert.ok(a.sock.isConnected && b.sock.isConnected);
  });
});

describe('simultaneous joins', () => {
  test('an enter goes only to the members who joined before its sender', T, async (t) => {
    const join = peersFor(t);
    const room = uniqueRoom('enter-order');
    const a = await join(room, 'sio1-websocket');
    const b = await join(room, 'sio4-websocket');
    const c = await join(room, 'sio1-polling');
    // All three enter at once, as pages that joined together would.
    for (const p of [c, b, a]) p.send({ type: 'enter', ...p.enterFields() });
    const atA = [await a.sock.waitFor('enter'), await a.sock.waitFor('enter')].map((m) => m.mid).sort();
    assert.deepEqual(atA, [b.sid, c.sid].sort());
    assert.equal((await b.sock.waitFor('enter')).mid, c.sid);
    await new Promise((r) => setTimeout(r, QUIET_MS));
    assert.equal(b.sock.matching('enter').length, 1, 'b hears c only, not a (its elder)');
    assert.deepEqual(c.sock.matching('enter'), [], 'the youngest hears no enter: it is the one that offers');
    // The elder answers; its welcome reaches the newcomer, which then offers.
    a.send({ type: 'welcome', target: c.sid, ...a.enterFields() });
    assert.equal((await c.sock.waitFor('welcome')).mid, a.sid);
  });
});

describe('SkylinkJS 2.x and 0.9.x on the API', () => {
  test('2.x (its Skylink_API_version and X-Server-Select headers) gets ipSigserver as host:port', T, async () => {
    const headers2 = { Skylink_SDK_type: 'Web SDK', Skylink_SDK_version: '2.7.2', Skylink_API_version: '9.0.0', 'X-Server-Select': 'sig-v2' };
    const v2 = await request(server, apiPath(server.app.appKey, 'v2room'), { headers: headers2 });
    assert.equal(v2.status, 200, v2.body);
    assert.equal(v2.json.ipSigserver, `127.0.0.1:${server.port}`);
    const v2s = await request(server, apiPath(server.app.appKey, 'v2room'), { headers: headers2, https: true });
    assert.equal(v2s.json.ipSigserver, `127.0.0.1:${server.port}`, 'over https: the same port');
    // 0.9.3 sends Skylink_SDK_version alone; 0.6 and 0.5 nothing: they add a port from the lists.
    for (const headers of [{ Skylink_SDK_version: '0.9.3', Skylink_SDK_type: 'WEB_SDK' }, {}]) {
      const old = await request(server, apiPath(server.app.appKey, 'v2room'), { headers });
      assert.equal(old.json.ipSigserver, '127.0.0.1');
      assert.deepEqual(old.json.httpPortList, [server.port]);
    }
    // Its stats posts (always https) get a JSON reply, which it parses.
    const stats = await request(server, '/rest/stats/client/signaling', {
      method: 'POST', https: true, headers: { 'Content-type': 'application/json', Origin: 'http://127.0.0.1' }, body: '{"client_id":"x"}',
    });
    assert.equal(stats.status, 200);
    assert.deepEqual(stats.json, { success: true });
  });

  test('/socket.io/socket.io.js is socket.io-client 1.4.8, which SkylinkJS 0.9.x needs loaded first', T, async () => {
    const res = await request(server, '/socket.io/socket.io.js');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /javascript/);
    const expected = await readFile(path.join(repoRoot, 'node_modules', 'socket.io-client', 'socket.io.js'), 'utf8');
    assert.equal(res.body, expected);
    const pkg = JSON.parse(await readFile(path.join(repoRoot, 'node_modules', 'socket.io-client', 'package.json'), 'utf8'));
    assert.equal(pkg.version, '1.4.8');
    // And socket.io itself still answers on the same prefix.
    const handshake = await request(server, '/socket.io/?EIO=3&transport=polling');
    assert.equal(handshake.status, 200);
    assert.match(handshake.body, /"sid"/);
  });
});
