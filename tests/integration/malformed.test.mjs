// Hostile and malformed input: raw Engine.IO frames over `ws`, raw HTTP and TCP. Each bad
// connection must be closed or its input ignored, while a healthy room on the same server keeps
// working and the process stays up.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import WebSocket from 'ws';
import { startAerie, joinRoom, request, sleep, getSession, joinRoomMessage } from '../lib/server.mjs';

const T = { timeout: 30000 };
let server;
let healthy; // {a, b}: two peers in a room that must keep working
let probeCount = 0;

before(async () => {
  server = await startAerie();
  const a = await joinRoom(server, { room: 'healthy-room', client: 'sio1-websocket' });
  const b = await joinRoom(server, { room: 'healthy-room', client: 'sio4-polling' });
  healthy = { a, b };
});

after(async () => {
  if (healthy) { healthy.a.close(); healthy.b.close(); }
  if (server) await server.stop();
});

async function assertHealthyRoomWorks(label) {
  assert.ok(server.alive(), `${label}: the server process died: ${JSON.stringify(server.exitInfo())}\n${server.logTail()}`);
  const data = `probe-${++probeCount}`;
  healthy.a.send({ type: 'public', cid: server.app.appKey, data });
  await healthy.b.waitFor((x) => x.type === 'public' && x.data === data, { what: `${label}: public in the healthy room` });
  healthy.b.send({ type: 'public', cid: server.app.appKey, data: data + 'b' });
  await healthy.a.waitFor((x) => x.type === 'public' && x.data === data + 'b', { what: `${label}: public in the healthy room (reverse)` });
}

// A raw WebSocket to the socket.io endpoint; collects text frames; resolves once open.
function rawWs(eio) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/socket.io/?EIO=${eio}&transport=websocket`, { maxPayload: 64 << 20 });
  const frames = [];
  const waiters = [];
  let closed = null;
  ws.on('message', (data, isBinary) => {
    const f = isBinary ? data : data.toString();
    frames.push(f);
    for (const w of [...waiters]) if (w.pred(f)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(f); }
  });
  const closedP = new Promise((resolve) => {
    ws.on('close', (code, reason) => { closed = { code, reason: reason.toString() }; resolve(closed); });
    ws.on('error', () => {});
  });
  const api = {
    ws,
    frames,
    closedP,
    isClosed: () => closed !== null,
    frame(pred, ms = 3000) {
      const hit = frames.find(pred);
      if (hit !== undefined) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve: (f) => { clearTimeout(timer); resolve(f); } };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no matching frame within ${ms} ms; frames: ${JSON.stringify(frames).slice(0, 500)}`));
        }, ms);
        waiters.push(w);
      });
    },
    send(x) { if (ws.readyState === WebSocket.OPEN) ws.send(x); },
    close() { try { ws.terminate(); } catch { /* gone */ } },
  };
  const opened = new Promise((resolve, reject) => {
    ws.on('open', () => resolve(api));
    ws.on('unexpected-response', (req, res) => reject(new Error(`websocket upgrade refused: HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
  return opened;
}

// After bad input the connection must either be closed by the server, or still be a working
// session that ignored the input: a valid joinRoom on it must then get inRoom.
// Returns 'closed' or 'ignored'.
let probeRoom = 0;
async function closedOrIgnored(conn) {
  const settle = await Promise.race([conn.closedP.then(() => 'closed'), sleep(150).then(() => 'open')]);
  if (settle === 'closed' || conn.isClosed()) return 'closed';
  const session = await getSession(server, server.app.appKey, `garbage-probe-${++probeRoom}`);
  const frame = '42' + JSON.stringify(['message', JSON.stringify(joinRoomMessage(session, server.app.appKey))]);
  conn.send(frame);
  const isInRoom = (f) => {
    if (typeof f !== 'string' || !f.startsWith('42')) return false;
    try {
      const [ev, arg] = JSON.parse(f.slice(2));
      return ev === 'message' && JSON.parse(arg).type === 'inRoom';
    } catch { return false; }
  };
  const r = await Promise.race([
    conn.closedP.then(() => 'closed'),
    conn.frame(isInRoom, 3000).then(() => 'ignored', () => 'stuck'),
  ]);
  assert.notEqual(r, 'stuck', `the connection neither closed nor answered a valid joinRoom after bad input; frames: ${JSON.stringify(conn.frames).slice(0, 400)}`);
  return r;
}

describe('Engine.IO handshakes on the wire', () => {
  test('EIO=3 websocket: open packet with sid, then the socket.io connect 40', T, async () => {
    const c = await rawWs(3);
    try {
      const open = await c.frame((f) => typeof f === 'string' && f.startsWith('0'));
      const o = JSON.parse(open.slice(1));
      assert.equal(typeof o.sid, 'string');
      assert.equal(typeof o.pingInterval, 'number');
      assert.equal(typeof o.pingTimeout, 'number');
      await c.frame((f) => f === '40');
      c.send('2');
      await c.frame((f) => f === '3');
    } finally { c.close(); }
  });

  test('EIO=4 websocket: open packet, client connect 40 → 40{sid}', T, async () => {
    const c = await rawWs(4);
    try {
      const open = await c.frame((f) => typeof f === 'string' && f.startsWith('0'));
      const o = JSON.parse(open.slice(1));
      assert.equal(typeof o.sid, 'string');
      assert.equal(typeof o.maxPayload, 'number', 'Engine.IO 4 announces maxPayload');
      c.send('40');
      const ack = await c.frame((f) => typeof f === 'string' && f.startsWith('40'));
      assert.equal(typeof JSON.parse(ack.slice(2)).sid, 'string');
    } finally { c.close(); }
  });

  test('EIO=3 polling handshake: length-prefixed payload with open and 40', T, async () => {
    const res = await request(server, `/socket.io/?EIO=3&transport=polling&t=${Date.now()}`);
    assert.equal(res.status, 200, res.body);
    assert.match(res.body, /^\d+:0\{/, `payload must start with <len>:0{...}, got ${JSON.stringify(res.body.slice(0, 120))}`);
    const len = Number(res.body.slice(0, res.body.indexOf(':')));
    const first = res.body.slice(res.body.indexOf(':') + 1, res.body.indexOf(':') + 1 + len);
    assert.equal(typeof JSON.parse(first.slice(1)).sid, 'string', 'the length prefix counts the open packet exactly');
    // socket.io 2 sends `2:40` in the same reply; a later poll is fine for the client too.
    let rest = res.body.slice(res.body.indexOf(':') + 1 + len);
    if (!rest.includes('40')) {
      const sid = JSON.parse(first.slice(1)).sid;
      const next = await request(server, `/socket.io/?EIO=3&transport=polling&sid=${encodeURIComponent(sid)}&t=${Date.now()}`);
      assert.equal(next.status, 200, next.body);
      rest = next.body;
    }
    assert.ok(/(^|\D)2:40/.test(rest), `the server pushes the connect packet 40 (as 2:40) by itself, got ${JSON.stringify(rest)}`);
  });

  test('EIO=4 polling handshake: open packet, then 40 → 40{sid}', T, async () => {
    const res = await request(server, `/socket.io/?EIO=4&transport=polling&t=${Date.now()}`);
    assert.equal(res.status, 200, res.body);
    assert.ok(res.body.startsWith('0{'), `got ${JSON.stringify(res.body.slice(0, 120))}`);
    const sid = JSON.parse(res.body.slice(1).split('\x1e')[0]).sid;
    const post = await request(server, `/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`,
      { method: 'POST', body: '40', headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
    assert.equal(post.status, 200, post.body);
    const get = await request(server, `/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}&t=${Date.now()}`);
    assert.equal(get.status, 200, get.body);
    assert.ok(get.body.split('\x1e').some((p) => p.startsWith('40{')), `expected 40{sid}, got ${JSON.stringify(get.body)}`);
    await request(server, `/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`,
      { method: 'POST', body: '1', headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
  });

  test('polling with an unknown sid → 400', T, async () => {
    for (const eio of [3, 4]) {
      const res = await request(server, `/socket.io/?EIO=${eio}&transport=polling&sid=nonexistent-sid&t=1`);
      assert.equal(res.status, 400, `EIO=${eio}: ${res.status} ${res.body}`);
    }
  });
});

describe('malformed input', () => {
  const garbage = [
    ['plain text', 'hello world'],
    ['empty frame', ''],
    ['unknown engine.io type', '9xyz'],
    ['socket.io packet with broken JSON', '42["message","{\\"type\\":'],
    ['socket.io event that is not an array', '42{"type":"joinRoom"}'],
    ['message with an object instead of a string', '42["message",{"type":"public","data":"x"}]'],
    ['message with a non-JSON string', '42["message","not json at all"]'],
    ['message with JSON that is not an object', '42["message","[1,2,3]"]'],
    ['unknown event name', '42["hack",{"a":1}]'],
    ['binary event packet without attachments', '451-["message",{"_placeholder":true,"num":0}]'],
    ['deeply nested JSON', '42["message",' + JSON.stringify('{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}') + ']'],
    ['joinRoom with missing fields', '42["message","{\\"type\\":\\"joinRoom\\"}"]'],
    ['joinRoom with wrong types', '42["message",' + JSON.stringify(JSON.stringify({ type: 'joinRoom', uid: 1, cid: [], rid: {}, userCred: null, timeStamp: 5, roomCred: true, start: 1, len: 'x' })) + ']'],
    ['invalid UTF-16 escape', '42["message","\\ud800"]'],
  ];

  for (const eio of [3, 4]) {
    test(`EIO=${eio} websocket garbage is ignored or closes the socket, others unaffected`, T, async (t) => {
      const outcomes = {};
      for (const [label, frame] of garbage) {
        const c = await rawWs(eio);
        try {
          await c.frame((f) => typeof f === 'string' && f.startsWith('0'));
          if (eio === 4) {
            c.send('40');
            await c.frame((f) => typeof f === 'string' && f.startsWith('40'));
          } else {
            await c.frame((f) => f === '40');
          }
          c.send(frame);
          outcomes[label] = await closedOrIgnored(c);
        } finally {
          c.close();
        }
      }
      // A binary frame, too.
      const c = await rawWs(eio);
      try {
        await c.frame((f) => typeof f === 'string' && f.startsWith('0'));
        c.ws.send(Buffer.from([0x04, 0xff, 0x00, 0x13, 0x37]));
        outcomes['binary frame'] = await closedOrIgnored(c);
      } finally { c.close(); }
      t.diagnostic(JSON.stringify(outcomes));
      await assertHealthyRoomWorks(`after EIO=${eio} garbage`);
    });
  }

  test('an oversized websocket frame (4 MiB) is refused with a close; others unaffected', T, async () => {
    const c = await rawWs(3);
    try {
      await c.frame((f) => f === '40');
      const huge = '42["message",' + JSON.stringify(JSON.stringify({ type: 'public', data: 'x'.repeat(4 << 20) })) + ']';
      c.send(huge);
      const r = await Promise.race([c.closedP, sleep(5000).then(() => null)]);
      assert.ok(r, 'the server must close a connection that sends a frame over its limit');
    } finally { c.close(); }
    await assertHealthyRoomWorks('after an oversized frame');
  });

  test('an oversized frame from a joined peer does not reach the room', T, async () => {
    const a = await joinRoom(server, { room: 'big-frame-room', client: 'sio4-websocket' });
    const b = await joinRoom(server, { room: 'big-frame-room', client: 'sio4-websocket' });
    try {
      a.send({ type: 'public', cid: server.app.appKey, data: 'y'.repeat(2 << 20) });
      const got = await b.sock.collect((x) => x.type === 'public', 1000);
      assert.equal(got.length, 0, 'a 2 MiB message must not be relayed');
    } finally { a.close(); b.close(); }
    await assertHealthyRoomWorks('after an oversized frame from a member');
  });

  test('an oversized polling POST is refused; others unaffected', T, async () => {
    const res = await request(server, `/socket.io/?EIO=3&transport=polling&t=${Date.now()}`);
    const sid = JSON.parse(res.body.slice(res.body.indexOf(':') + 1).match(/^0(\{[^}]*\})/)[1]).sid;
    const packet = '42["message",' + JSON.stringify(JSON.stringify({ type: 'public', data: 'z'.repeat(4 << 20) })) + ']';
    let status;
    try {
      const post = await request(server, `/socket.io/?EIO=3&transport=polling&sid=${encodeURIComponent(sid)}`,
        { method: 'POST', body: `${packet.length}:${packet}`, headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, timeoutMs: 10000 });
      status = post.status;
    } catch (e) {
      status = `connection error: ${e.code || e.message}`;
    }
    assert.notEqual(status, 200, 'a 4 MiB polling body must not be accepted');
    await assertHealthyRoomWorks('after an oversized polling POST');
  });

  test('a polling payload with a wrong length prefix does not crash the server', T, async () => {
    const res = await request(server, `/socket.io/?EIO=3&transport=polling&t=${Date.now()}`);
    const sid = JSON.parse(res.body.slice(res.body.indexOf(':') + 1).match(/^0(\{[^}]*\})/)[1]).sid;
    for (const body of ['999:42["message","x"]', '3:4', 'abc:def', ':::', '5:42["m']) {
      const post = await request(server, `/socket.io/?EIO=3&transport=polling&sid=${encodeURIComponent(sid)}`,
        { method: 'POST', body, headers: { 'Content-Type': 'text/plain;charset=UTF-8' } }).catch((e) => ({ status: e.code }));
      assert.ok(post.status !== 500, `payload ${JSON.stringify(body)} → ${post.status}`);
    }
    await assertHealthyRoomWorks('after bad polling payloads');
  });

  test('raw TCP garbage and a broken TLS hello are dropped', T, async () => {
    const inputs = [
      Buffer.from('GARBAGE\r\n\r\n'),
      Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n' + 'X-Long: ' + 'a'.repeat(64 * 1024) + '\r\n\r\n'),
      Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0xde, 0xad, 0xbe, 0xef, 0x00]),
      Buffer.from([0x16]),
      Buffer.alloc(0),
    ];
    for (const input of inputs) {
      await new Promise((resolve) => {
        const s = net.connect(server.port, '127.0.0.1', () => { if (input.length) s.write(input); else s.end(); });
        s.on('data', () => {});
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        setTimeout(() => { s.destroy(); resolve(); }, 1500);
      });
    }
    await assertHealthyRoomWorks('after raw TCP garbage');
  });

  test('many half-open connections do not block others', T, async () => {
    const sockets = [];
    for (let i = 0; i < 50; i++) {
      const s = net.connect(server.port, '127.0.0.1');
      s.on('error', () => {});
      s.on('connect', () => s.write('GET /socket.io/?EIO=3&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
      sockets.push(s);
    }
    await sleep(300);
    try {
      await assertHealthyRoomWorks('with 50 half-open connections');
      const res = await request(server, `/api/${server.app.appKey}/still-serving?rand=1`);
      assert.equal(res.status, 200, res.body);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });
});
