// The landing page's health check against fake fetch and WebSocket: what each failure says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { checkHealth, PROBE_ROOM } = await load('src/landing/health.ts');

const config = { appKey: 'KEY', roomServer: '', lib: 'aerie', keySource: 'server', configError: null };
const location = { protocol: 'http:', host: '127.0.0.1:8080', hostname: '127.0.0.1' };

function fakeFetch(routes) {
  const calls = [];
  const fn = async (url) => {
    calls.push(url);
    const r = routes(url);
    if (r instanceof Error) throw r;
    return { ok: r.status >= 200 && r.status < 300, status: r.status, json: async () => r.body };
  };
  fn.calls = calls;
  return fn;
}

function fakeWebSocket(behaviour) {
  return class {
    constructor(url) {
      this.url = url;
      fakeWebSocket.last = url;
      setTimeout(() => {
        if (behaviour === 'open') this.onmessage?.({ data: '0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000}' });
        else this.onerror?.({});
      }, 1);
    }
    close() {}
  };
}

const apiOk = { status: 200, body: { success: true, ipSigserver: '127.0.0.1', httpPortList: [8080], httpsPortList: [8080], ipSigserverPath: '' } };

test('all good: three ok checks, and the probe uses the API reply\'s signaling address', async () => {
  const fetch = fakeFetch((u) => (u === '/health' ? { status: 200, body: { ok: true } } : apiOk));
  const updates = [];
  const r = await checkHealth(config, (x) => updates.push(x), { fetch, WebSocket: fakeWebSocket('open'), location });
  assert.deepEqual([r.server.state, r.key.state, r.signaling.state], ['ok', 'ok', 'ok']);
  assert.equal(fetch.calls[1], `http://127.0.0.1:8080/api/KEY/${PROBE_ROOM}`);
  assert.equal(fakeWebSocket.last, 'ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket');
  assert.ok(updates.length >= 3, 'the page is told about each step');
});

test('server down: says so and checks nothing else', async () => {
  const fetch = fakeFetch(() => new TypeError('Failed to fetch'));
  const r = await checkHealth(config, () => {}, { fetch, WebSocket: fakeWebSocket('open'), location });
  assert.equal(r.server.state, 'fail');
  assert.match(r.server.message, /not answering.*Failed to fetch.*scripts\/run\.sh/);
  assert.deepEqual([r.key.state, r.signaling.state], ['skipped', 'skipped']);
});

test('no key configured: tells how to give one', async () => {
  const fetch = fakeFetch(() => ({ status: 200, body: { ok: true } }));
  const r = await checkHealth({ ...config, appKey: '', configError: '/app-config.json answered 404' }, () => {}, { fetch, WebSocket: fakeWebSocket('open'), location });
  assert.equal(r.key.state, 'fail');
  assert.match(r.key.message, /no app key.*404.*--site-key.*\?key=/);
});

test('key refused: each API error code in plain words', async () => {
  for (const [code, re] of [[4001, /not known to this server/], [4002, /does not allow pages on 127\.0\.0\.1/], [4003, /origin/], [4999, /refused the app key with error 4999/]]) {
    const fetch = fakeFetch((u) => (u === '/health' ? { status: 200, body: {} } : { status: 200, body: { success: false, error: code, info: 'why' } }));
    const r = await checkHealth(config, () => {}, { fetch, WebSocket: fakeWebSocket('open'), location });
    assert.equal(r.key.state, 'fail');
    assert.match(r.key.message, re);
    assert.match(r.key.message, /\(why\)/);
    assert.equal(r.signaling.state, 'skipped');
  }
});

test('signaling unreachable: names the address it tried', async () => {
  const fetch = fakeFetch((u) => (u === '/health' ? { status: 200, body: {} } : apiOk));
  const r = await checkHealth(config, () => {}, { fetch, WebSocket: fakeWebSocket('error'), location });
  assert.equal(r.signaling.state, 'fail');
  assert.match(r.signaling.message, /ws:\/\/127\.0\.0\.1:8080 did not accept a WebSocket \(connection failed\)/);
});

test('https pages probe https and wss', async () => {
  const fetch = fakeFetch((u) => (u === '/health' ? { status: 200, body: {} } : apiOk));
  await checkHealth(config, () => {}, { fetch, WebSocket: fakeWebSocket('open'), location: { ...location, protocol: 'https:' } });
  assert.match(fetch.calls[1], /^https:\/\/127\.0\.0\.1:8080\/api\//);
  assert.match(fakeWebSocket.last, /^wss:\/\//);
});
