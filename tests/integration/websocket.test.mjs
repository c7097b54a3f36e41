// RFC 6455 at the frame level against aerie's own WebSocket (src/websocket, PlainWebSocket):
// raw TCP, hand-made frames. Each protocol error gets the close code the RFC asks for, pings get
// pongs, fragmented messages are reassembled, a close is answered, and bytes that arrive with the
// upgrade request are not lost. Other rooms keep working throughout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import crypto from 'node:crypto';
import { startAerie, getSession, joinRoom, joinRoomMessage } from '../lib/server.mjs';

const T = { timeout: 30000 };
let server;

before(async () => { server = await startAerie(); });
after(async () => { await server?.stop(); });

function frame(opcode, payload, { fin = true, mask = true, rsv = 0 } = {}) {
  const data = Buffer.from(payload);
  const head = [(fin ? 0x80 : 0) | rsv | opcode];
  const m = mask ? 0x80 : 0;
  if (data.length < 126) head.push(m | data.length);
  else if (data.length < 65536) head.push(m | 126, data.length >> 8, data.length & 0xff);
  else { head.push(m | 127, 0, 0, 0, 0); const b = Buffer.alloc(4); b.writeUInt32BE(data.length); head.push(...b); }
  if (!mask) return Buffer.concat([Buffer.from(head), data]);
  const key = crypto.randomBytes(4);
  const masked = Buffer.from(data.map((c, i) => c ^ key[i & 3]));
  return Buffer.concat([Buffer.from(head), key, masked]);
}

// A raw client: upgrade, then parse server frames (unmasked) as they come.
async function rawSocket({ extra = Buffer.alloc(0), version = '13' } = {}) {
  const sock = net.connect({ host: '127.0.0.1', port: server.port });
  await new Promise((r, j) => { sock.once('connect', r); sock.once('error', j); });
  const key = crypto.randomBytes(16).toString('base64');
  const req = `GET /socket.io/?EIO=3&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
    `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n\r\n`;
  sock.write(Buffer.concat([Buffer.from(req), extra]));
  let buf = Buffer.alloc(0);
  let head = null;
  const frames = [];
  const waiters = [];
  let closed = false;
  const closedP = new Promise((r) => sock.on('close', () => { closed = true; r(); }));
  sock.on('error', () => {});
  const check = () => {
    for (const w of [...waiters]) {
      const hit = frames.find(w.pred);
      if (hit) { waiters.splice(waiters.indexOf(w), 1); w.resolve(hit); }
    }
  };
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    if (!head) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      head = buf.subarray(0, end).toString();
      buf = buf.subarray(end + 4);
    }
    while (buf.length >= 2) {
      let len = buf[1] & 0x7f;
      let off = 2;
      if (len === 126) { len = buf.readUInt16BE(2); off = 4; } else if (len === 127) { len = Number(buf.readBigUInt64BE(2)); off = 10; }
      if (buf.length < off + len) break;
      frames.push({ opcode: buf[0] & 0x0f, payload: buf.subarray(off, off + len) });
      buf = buf.subarray(off + len);
    }
    check();
  });
  const api = {
    frames,
    get head() { return head; },
    get closed() { return closed; },
    closedP,
    write: (b) => sock.write(b),
    text: (s) => sock.write(frame(1, s)),
    next(pred, ms = 3000) {
      const hit = frames.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve: (f) => { clearTimeout(t); resolve(f); } };
        const t = setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); reject(new Error(`no frame within ${ms} ms; got ${frames.map((f) => f.opcode + ':' + f.payload.toString().slice(0, 40)).join(' | ')}`)); }, ms);
        waiters.push(w);
      });
    },
    end: () => sock.destroy(),
  };
  return api;
}

const isText = (s) => (f) => f.opcode === 1 && (typeof s === 'function' ? s(f.payload.toString()) : f.payload.toString() === s);
const closeCode = (f) => (f.payload.length >= 2 ? f.payload.readUInt16BE(0) : null);

async function otherRoomsWork(label) {
  const room = `ws-healthy-${Math.random().toString(36).slice(2)}`;
  const a = await joinRoom(server, { room });
  const b = await joinRoom(server, { room, client: 'sio4-websocket' });
  a.send({ type: 'public', cid: server.app.appKey, data: label });
  await b.waitFor((m) => m.type === 'public' && m.data === label, { what: `relay after ${label}` });
  a.close();
  b.close();
}

test('handshake: 101 with the RFC accept key; version 8 gets 426', T, async () => {
  const c = await rawSocket();
  await c.next(isText((s) => s.startsWith('0{')));
  assert.match(c.head, /^HTTP\/1\.1 101 /);
  assert.match(c.head, /Sec-WebSocket-Accept: [A-Za-z0-9+/]{27}=/);
  c.end();
  const old = await rawSocket({ version: '8' });
  await old.closedP;
  assert.match(old.head || '', /^HTTP\/1\.1 426/);
});

test('ping gets a pong with the same payload; fragmented messages are reassembled', T, async () => {
  const c = await rawSocket();
  await c.next(isText('40'));
  c.write(frame(9, 'are you there'));
  const pong = await c.next((f) => f.opcode === 10);
  assert.equal(pong.payload.toString(), 'are you there');
  // joinRoom in three fragments with a ping between them.
  const session = await getSession(server, server.app.appKey, 'ws-fragments');
  const text = '42' + JSON.stringify(['message', JSON.stringify(joinRoomMessage(session, server.app.appKey))]);
  const third = Math.floor(text.length / 3);
  c.write(Buffer.concat([
    frame(1, text.slice(0, third), { fin: false }),
    frame(9, 'x'),
    frame(0, text.slice(third, 2 * third), { fin: false }),
  ]));
  c.write(frame(0, text.slice(2 * third)));
  await c.next(isText((s) => s.includes('inRoom')));
  c.end();
});

test('frames sent together with the upgrade request are not lost', T, async () => {
  const c = await rawSocket({ extra: frame(1, '2') });  // an Engine.IO 3 ping right behind the request
  await c.next(isText('3'));
  c.end();
});

for (const [label, bytes, code] of [
  ['an unmasked frame', () => frame(1, '2', { mask: false }), 1002],
  ['a reserved bit', () => frame(1, '2', { rsv: 0x40 }), 1002],
  ['an unknown opcode', () => frame(3, 'x'), 1002],
  ['a continuation with nothing to continue', () => frame(0, 'x'), 1002],
  ['text that is not UTF-8', () => frame(1, Buffer.from([0x34, 0x32, 0xc0, 0xaf])), 1007],
  ['a frame over max-frame-bytes announced in its header', () => frame(1, 'x'.repeat(300 * 1024)).subarray(0, 14), 1009],
]) {
  test(`${label} gets close ${code} and the connection ends; other rooms unaffected`, T, async () => {
    const c = await rawSocket();
    await c.next(isText('40'));
    c.write(bytes());
    const close = await c.next((f) => f.opcode === 8);
    assert.equal(closeCode(close), code);
    await c.closedP;
    await otherRoomsWork(label);
  });
}

test('a close from the client is answered with the same code, then the server closes', T, async () => {
  const c = await rawSocket();
  await c.next(isText('40'));
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(1001);
  c.write(frame(8, payload));
  const close = await c.next((f) => f.opcode === 8);
  assert.equal(closeCode(close), 1001);
  await c.closedP;
});

test('a peer in a room that closes its WebSocket leaves the room at once', T, async () => {
  const room = 'ws-leave';
  const a = await joinRoom(server, { room });
  const c = await rawSocket();
  await c.next(isText('40'));
  const session = await getSession(server, server.app.appKey, room);
  c.text('42' + JSON.stringify(['message', JSON.stringify(joinRoomMessage(session, server.app.appKey))]));
  const inRoom = await c.next(isText((s) => s.includes('inRoom')));
  const sid = JSON.parse(JSON.parse(inRoom.payload.toString().slice(2))[1]).sid;
  c.end();  // no close frame: the TCP connection just goes
  await a.waitFor((m) => m.type === 'bye' && m.mid === sid, { what: 'bye for the closed socket' });
  a.close();
});
