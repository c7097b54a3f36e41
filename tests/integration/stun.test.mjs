// aerie's built-in STUN server answers a Binding request with the client's own address
// (XOR-MAPPED-ADDRESS, RFC 8489), over UDP and TCP, and ignores garbage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import crypto from 'node:crypto';
import { startAerie, freePort } from '../lib/server.mjs';

let server;
let stunPort;

before(async () => {
  stunPort = await freePort();
  server = await startAerie({ extraArgs: ['--stun', `127.0.0.1:${stunPort}`] });
});
after(async () => { await server?.stop(); });

function bindingRequest() {
  const tid = crypto.randomBytes(12);
  const msg = Buffer.alloc(20);
  msg.writeUInt16BE(0x0001, 0);
  msg.writeUInt16BE(0, 2);
  msg.writeUInt32BE(0x2112a442, 4);
  tid.copy(msg, 8);
  return { msg, tid };
}

function parseMapped(reply, tid) {
  assert.equal(reply.readUInt16BE(0), 0x0101, 'Binding success response');
  assert.equal(reply.readUInt32BE(4), 0x2112a442);
  assert.deepEqual(reply.subarray(8, 20), tid, 'same transaction id');
  let at = 20;
  let mapped = null;
  let fingerprint = false;
  while (at + 4 <= reply.length) {
    const type = reply.readUInt16BE(at);
    const len = reply.readUInt16BE(at + 2);
    const v = reply.subarray(at + 4, at + 4 + len);
    if (type === 0x0020) {
      const port = v.readUInt16BE(2) ^ 0x2112;
      const ip = [0, 1, 2, 3].map((i) => v[4 + i] ^ [0x21, 0x12, 0xa4, 0x42][i]).join('.');
      mapped = { ip, port };
    }
    if (type === 0x8028) fingerprint = true;
    at += 4 + ((len + 3) & ~3);
  }
  assert.ok(fingerprint, 'FINGERPRINT present');
  return mapped;
}

test('UDP Binding request gets the client address back', async () => {
  const sock = dgram.createSocket('udp4');
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  const { msg, tid } = bindingRequest();
  const reply = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no STUN reply within 2 s')), 2000);
    sock.once('message', (m) => { clearTimeout(t); resolve(m); });
    sock.send(Buffer.from('not stun at all'), stunPort, '127.0.0.1');  // ignored
    sock.send(msg, stunPort, '127.0.0.1');
  });
  const mapped = parseMapped(reply, tid);
  assert.deepEqual(mapped, { ip: '127.0.0.1', port: sock.address().port });
  sock.close();
});

test('TCP Binding request gets the client address back', async () => {
  const socket = net.connect(stunPort, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const { msg, tid } = bindingRequest();
  socket.write(msg);
  const reply = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no STUN reply within 2 s')), 2000);
    let buf = Buffer.alloc(0);
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 20 && buf.length >= 20 + buf.readUInt16BE(2)) { clearTimeout(t); resolve(buf); }
    });
  });
  assert.deepEqual(parseMapped(reply, tid), { ip: '127.0.0.1', port: socket.localPort });
  socket.destroy();
});
