// The transport limits of src/core/Limits.hpp, set small with --limit so they can be seen in a
// test: HTTP header size, the handshake (first byte) and request timeouts (slowloris), and
// connections per client address (127.0.0.1 exempt). Each time, others are still served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startAerie, getApi, sleep } from '../lib/server.mjs';

const T = { timeout: 30000 };
let server;

before(async () => {
  server = await startAerie({
    extraArgs: ['--limit', 'handshake-timeout-ms=500', '--limit', 'idle-http-timeout-ms=800',
      '--limit', 'max-http-header-bytes=2048', '--limit', 'max-connections-per-ip=3'],
  });
});
after(async () => { await server?.stop(); });

// Opens a TCP connection; resolves {socket, closed} where closed resolves with the ms it lived.
async function connect(localAddress = '127.0.0.1') {
  const socket = net.connect({ host: '127.0.0.1', port: server.port, localAddress });
  const opened = Date.now();
  const closed = new Promise((resolve) => socket.on('close', () => resolve(Date.now() - opened)));
  socket.on('error', () => {});
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  return { socket, closed };
}

async function stillServes() {
  const res = await getApi(server, server.app.appKey, 'limits-alive');
  assert.equal(res.status, 200, 'the API keeps answering');
}

test('a request header over max-http-header-bytes gets 431', T, async () => {
  const res = await fetch(`${server.httpUrl}/health`, { headers: { 'X-Big': 'x'.repeat(4096) } });
  assert.equal(res.status, 431);
  await stillServes();
});

test('a connection that sends nothing is closed after handshake-timeout-ms', T, async () => {
  const { closed } = await connect();
  const lived = await Promise.race([closed, sleep(5000).then(() => 'still open')]);
  assert.notEqual(lived, 'still open');
  assert.ok(lived >= 400 && lived < 3000, `closed after ${lived} ms`);
  await stillServes();
});

test('a request dripped byte by byte (slowloris) is cut at idle-http-timeout-ms', T, async () => {
  const { socket, closed } = await connect();
  socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  const drip = setInterval(() => { if (!socket.destroyed) socket.write('X'); }, 100);
  const lived = await Promise.race([closed, sleep(6000).then(() => 'still open')]);
  clearInterval(drip);
  assert.notEqual(lived, 'still open', 'the server must not wait for a request forever');
  assert.ok(lived < 3000, `closed after ${lived} ms`);
  await stillServes();
});

test('max-connections-per-ip refuses a fourth connection from one address, not from 127.0.0.1', T, async () => {
  const held = [];
  for (let i = 0; i < 3; i++) held.push(await connect('127.0.0.2'));
  // Keep them alive past the handshake timeout with a request each in flight.
  for (const c of held) c.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
  const fourth = await connect('127.0.0.2');
  const lived = await Promise.race([fourth.closed, sleep(2000).then(() => 'still open')]);
  assert.notEqual(lived, 'still open', 'the fourth connection from 127.0.0.2 is closed');
  assert.ok(lived < 300, `refused at once (${lived} ms)`);
  // 127.0.0.1 is exempt: ten at once are fine.
  const local = [];
  for (let i = 0; i < 10; i++) local.push(await connect('127.0.0.1'));
  for (const c of local) c.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
  await sleep(200);
  assert.ok(local.every((c) => !c.socket.destroyed), 'connections from 127.0.0.1 are not limited');
  for (const c of [...held, ...local]) c.socket.destroy();
  await sleep(100);
  // Once they are gone the address may connect again.
  const again = await connect('127.0.0.2');
  again.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
  const reply = await new Promise((resolve) => again.socket.once('data', (d) => resolve(d.toString())));
  assert.match(reply, /^HTTP\/1\.1 200/);
  again.socket.destroy();
  await stillServes();
});
