// --tls-redirect on: every plain-HTTP request gets a 308 to the same URL over TLS (same host and
// port: one port serves both); HTTPS, the API and wss signaling keep working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startAerie, getApi, request, joinRoom } from '../lib/server.mjs';

const T = { timeout: 30000 };
let server;

before(async () => { server = await startAerie({ extraArgs: ['--tls', 'on', '--tls-redirect', 'on'] }); });
after(async () => { await server?.stop(); });

test('plain HTTP gets 308 to https on the same host and port', T, async () => {
  for (const p of ['/', '/r/some-room?x=1', '/socket.io/?EIO=3&transport=polling']) {
    const res = await request(server, p);
    assert.equal(res.status, 308, p);
    assert.equal(res.headers.location, `https://127.0.0.1:${server.port}${p}`);
  }
  const api = await getApi(server, server.app.appKey, 'r', { origin: 'http://127.0.0.1' });
  assert.equal(api.status, 308);
});

test('a Host header unfit for a Location gets 400, not a redirect', T, async () => {
  const socket = net.connect({ host: '127.0.0.1', port: server.port });
  let reply = '';
  socket.on('data', (d) => { reply += d; });
  await new Promise((r) => socket.once('connect', r));
  socket.write('GET / HTTP/1.1\r\nHost: evil.example/path\r\n\r\n');
  await new Promise((r) => socket.once('close', r));
  assert.match(reply, /^HTTP\/1\.1 400/);
  assert.doesNotMatch(reply, /Location/i);
});

test('over TLS: the API answers and peers meet over wss', T, async () => {
  const api = await getApi(server, server.app.appKey, 'r', { origin: 'https://127.0.0.1', https: true });
  assert.equal(api.status, 200, api.body);
  const room = `tls-redirect-${process.pid}`;
  const session = api.json;
  const getSession = async () => (await getApi(server, server.app.appKey, room, { origin: 'https://127.0.0.1', https: true })).json;
  const a = await joinRoom(server, { room, secure: true, session: await getSession() });
  const b = await joinRoom(server, { room, secure: true, client: 'sio1-polling', session: await getSession() });
  a.send({ type: 'public', cid: server.app.appKey, data: 'over wss' });
  await b.waitFor((m) => m.type === 'public' && m.data === 'over wss', { what: 'chat over TLS' });
  assert.ok(session.httpsPortList.includes(server.port));
  a.close();
  b.close();
});
