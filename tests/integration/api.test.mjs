// The Skylink API server (protocol spec section 2) over real HTTP and HTTPS on one port.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie, getApi, request, makeCred, apiPath, SDK_HEADERS } from '../lib/server.mjs';

const T = { timeout: 15000 };
let server;
let app;

before(async () => {
  server = await startAerie({ apps: [{ name: 'web', domains: ['127.0.0.1', 'localhost', 'app.example.com'] }] });
  app = server.app;
});

after(async () => {
  if (server) await server.stop();
});

function assertError(res, code, label) {
  assert.ok(res.status >= 400 && res.status < 500, `${label}: expected a 4xx status, got ${res.status} ${res.body}`);
  assert.ok(res.json, `${label}: reply is not JSON: ${res.body}`);
  assert.equal(res.json.success, false, `${label}: success must be false`);
  if (Array.isArray(code)) {
    assert.ok(code.includes(res.json.error), `${label}: error ${res.json.error}, expected one of ${code}; body ${res.body}`);
  } else {
    assert.equal(res.json.error, code, `${label}: wrong error code; body ${res.body}`);
  }
  assert.equal(typeof res.json.info, 'string', `${label}: info must be a string`);
  assert.ok(res.json.info.length > 0, `${label}: info must not be empty`);
}

function assertJsonStringOf(value, field) {
  assert.equal(typeof value, 'string', `${field} must be a JSON *string* (SkylinkJS JSON.parses it), got ${typeof value}`);
  const parsed = JSON.parse(value);
  assert.equal(typeof parsed, 'object', `${field} must encode an object`);
  return parsed;
}

function assertSuccessShape(j, { port, host = '127.0.0.1' }) {
  assert.equal(j.success, true);
  for (const f of ['cid', 'apiOwner', 'room_key', 'username', 'userCred', 'timeStamp', 'roomCred', 'start', 'ipSigserver']) {
    assert.equal(typeof j[f], 'string', `${f} must be a string, got ${JSON.stringify(j[f])}`);
    assert.ok(j[f].length > 0, `${f} must not be empty`);
  }
  assert.equal(typeof j.len, 'number', 'len must be a number');
  assert.ok(j.len > 0, 'len must be positive');
  assert.ok(!Number.isNaN(Date.parse(j.start)), `start must be an ISO date, got ${j.start}`);
  assert.equal(j.ipSigserver, host, 'ipSigserver is the Host the client used, without port or scheme');
  assert.deepEqual(j.httpPortList, [port]);
  assert.deepEqual(j.httpsPortList, [port]);
  const pc = assertJsonStringOf(j.pc_constraints, 'pc_constraints');
  assert.ok(pc, 'pc_constraints');
  assertJsonStringOf(j.offer_constraints, 'offer_constraints');
  assertJsonStringOf(j.media_constraints, 'media_constraints');
  for (const f of ['isPrivileged', 'autoIntroduce']) {
    assert.equal(typeof j[f], 'boolean', `${f} must be a boolean`);
  }
  if ('enable_stats_config' in j) assert.equal(typeof j.enable_stats_config, 'boolean');
  if ('ipSigserverPath' in j) assert.equal(typeof j.ipSigserverPath, 'string');
  // Nothing secret leaks into the page.
  assert.ok(!JSON.stringify(j).includes(app.secret), 'the app secret must never be sent to a page');
}

describe('API success reply', () => {
  test('same-origin GET over HTTP (no Origin, Referer of the page) has the Skylink shape', T, async () => {
    const res = await getApi(server, app.appKey, 'lobby', { referer: `${server.httpUrl}/index.html` });
    assert.equal(res.status, 200, res.body);
    assert.match(String(res.headers['content-type']), /application\/json/);
    assertSuccessShape(res.json, { port: server.port });
  });

  test('same port answers HTTPS (self-signed) with the same ports', T, async () => {
    const res = await getApi(server, app.appKey, 'lobby', { https: true, referer: `${server.httpsUrl}/` });
    assert.equal(res.status, 200, res.body);
    assertSuccessShape(res.json, { port: server.port });
  });

  test('no Origin and no Referer: authorised by Host', T, async () => {
    const res = await getApi(server, app.appKey, 'lobby');
    assert.equal(res.status, 200, res.body);
    assertSuccessShape(res.json, { port: server.port });
  });

  test('ipSigserver follows the Host header the browser used', T, async () => {
    const res = await getApi(server, app.appKey, 'lobby', { host: `localhost:${server.port}` });
    assert.equal(res.status, 200, res.body);
    assertSuccessShape(res.json, { port: server.port, host: 'localhost' });
  });

  test('cross-origin GET from an allowed origin carries Access-Control-Allow-Origin', T, async () => {
    const origin = 'http://127.0.0.1:5555';
    const res = await getApi(server, app.appKey, 'lobby', { origin });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['access-control-allow-origin'], origin);
    assertSuccessShape(res.json, { port: server.port });
    const other = await getApi(server, app.appKey, 'lobby', { origin: 'https://app.example.com' });
    assert.equal(other.status, 200, other.body);
    assert.equal(other.headers['access-control-allow-origin'], 'https://app.example.com');
  });

  test('each call issues a distinct user for the same room; room_key is stable', T, async () => {
    const a = (await getApi(server, app.appKey, 'same-room')).json;
    const b = (await getApi(server, app.appKey, 'same-room')).json;
    assert.notEqual(a.username, b.username);
    assert.notEqual(a.userCred, b.userCred);
    assert.equal(a.room_key, b.room_key);
    const c = (await getApi(server, app.appKey, 'other-room')).json;
    assert.notEqual(a.room_key, c.room_key);
  });

  test('non-ASCII and space room names (escaped by the browser) are accepted', T, async () => {
    const res = await getApi(server, app.appKey, 'café ☕ room');
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json.success, true);
  });

  test('a room name of exactly 128 bytes is accepted', T, async () => {
    const res = await getApi(server, app.appKey, 'r'.repeat(128));
    assert.equal(res.status, 200, res.body);
  });
});

describe('API errors', () => {
  test('unknown app key → 4001 (with CORS header)', T, async () => {
    const origin = 'http://127.0.0.1:5555';
    const res = await getApi(server, 'no-such-key-0000', 'lobby', { origin });
    assertError(res, 4001, 'unknown key');
    assert.equal(res.headers['access-control-allow-origin'], origin);
  });

  test('Origin not in the key\'s domains → 4003, and Access-Control-Allow-Origin is still present', T, async () => {
    const origin = 'http://evil.example';
    const res = await getApi(server, app.appKey, 'lobby', { origin });
    assertError(res, 4003, 'wrong origin');
    assert.equal(res.headers['access-control-allow-origin'], origin,
      'without Access-Control-Allow-Origin the browser hides the 4003 reply');
  });

  test('Origin whose host only ends like an allowed domain is refused', T, async () => {
    const res = await getApi(server, app.appKey, 'lobby', { origin: 'http://evil127.0.0.1.example' });
    assertError(res, 4003, 'look-alike origin');
    const res2 = await getApi(server, app.appKey, 'lobby', { origin: 'http://notapp.example.com' });
    assertError(res2, 4003, 'suffix origin');
  });

  test('same-origin (no Origin) with a foreign Referer is refused (4002/4003)', T, async () => {
    const res = await getApi(server, app.appKey, 'lobby', { referer: 'http://evil.example/page.html' });
    assertError(res, [4002, 4003], 'foreign referer');
  });

  test('same-origin (no Origin, no Referer) with a foreign Host is refused (4002/4003)', T, async () => {
    const res = await getApi(server, app.appKey, 'lobby', { host: `evil.example:${server.port}` });
    assertError(res, [4002, 4003], 'foreign host');
  });

  test('room names that break the rules → 400 with success:false', T, async () => {
    const cases = {
      'too long (129 bytes)': 'r'.repeat(129),
      'encoded slash': 'a%2Fb',
      'control character': 'a%01b',
      'NUL': 'a%00b',
    };
    for (const [label, seg] of Object.entries(cases)) {
      const res = await request(server, `/api/${app.appKey}/${seg}?rand=1`, { headers: SDK_HEADERS });
      assert.equal(res.status, 400, `${label}: expected HTTP 400, got ${res.status} ${res.body}`);
      assert.equal(res.json && res.json.success, false, `${label}: success:false expected, body ${res.body}`);
      assert.equal(typeof res.json.info, 'string');
    }
  });
});

describe('API credentials (cred)', () => {
  const startIn = (msFromNow) => new Date(Date.now() + msFromNow).toISOString();

  test('a valid cred → 200 with start and len from the request', T, async () => {
    const start = startIn(-60_000);
    const cred = makeCred(app.secret, 'scheduled', 2, start);
    const res = await getApi(server, app.appKey, 'scheduled', { credentials: { start, duration: 2, cred } });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json.success, true);
    assert.equal(Date.parse(res.json.start), Date.parse(start), 'start must be the credential start');
    assert.equal(res.json.len, 2);
  });

  test('a forged cred → 4005', T, async () => {
    const start = startIn(-60_000);
    const cred = makeCred('not-the-secret', 'scheduled', 2, start);
    const res = await getApi(server, app.appKey, 'scheduled', { credentials: { start, duration: 2, cred } });
    assertError(res, 4005, 'forged cred');
  });

  test('a cred signed for another room or duration → 4005', T, async () => {
    const start = startIn(-60_000);
    const otherRoom = makeCred(app.secret, 'another', 2, start);
    const r1 = await getApi(server, app.appKey, 'scheduled', { credentials: { start, duration: 2, cred: otherRoom } });
    assertError(r1, 4005, 'cred of another room');
    const otherLen = makeCred(app.secret, 'scheduled', 3, start);
    const r2 = await getApi(server, app.appKey, 'scheduled', { credentials: { start, duration: 2, cred: otherLen } });
    assertError(r2, 4005, 'cred of another duration');
  });

  test('an expired (correctly signed) cred → 4004', T, async () => {
    const start = startIn(-3 * 24 * 3600_000);
    const cred = makeCred(app.secret, 'scheduled', 1, start);
    const res = await getApi(server, app.appKey, 'scheduled', { credentials: { start, duration: 1, cred } });
    assertError(res, 4004, 'expired cred');
  });

  test('malformed start or duration → 4004', T, async () => {
    const badStart = 'yesterday';
    const r1 = await getApi(server, app.appKey, 'scheduled',
      { credentials: { start: badStart, duration: 1, cred: makeCred(app.secret, 'scheduled', 1, badStart) } });
    assertError(r1, 4004, 'malformed start');
    const start = startIn(-60_000);
    const r2 = await getApi(server, app.appKey, 'scheduled',
      { credentials: { start, duration: 'abc', cred: makeCred(app.secret, 'scheduled', 'abc', start) } });
    assertError(r2, 4004, 'malformed duration');
  });
});

describe('CORS preflight and stats', () => {
  test('OPTIONS preflight allows the Skylink_SDK_* headers for an allowed origin', T, async () => {
    const origin = 'http://127.0.0.1:5555';
    const res = await request(server, apiPath(app.appKey, 'lobby'), {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'skylink_sdk_type,skylink_sdk_version',
      },
    });
    assert.ok(res.status >= 200 && res.status < 300, `preflight status ${res.status} ${res.body}`);
    assert.equal(res.headers['access-control-allow-origin'], origin);
    const allowHeaders = String(res.headers['access-control-allow-headers'] || '').toLowerCase();
    assert.ok(allowHeaders === '*' || (allowHeaders.includes('skylink_sdk_type') && allowHeaders.includes('skylink_sdk_version')),
      `Access-Control-Allow-Headers must allow the Skylink_SDK_* headers, got "${allowHeaders}"`);
    const methods = String(res.headers['access-control-allow-methods'] || '').toUpperCase();
    assert.ok(methods === '*' || methods.includes('GET'), `Access-Control-Allow-Methods must allow GET, got "${methods}"`);
  });

  test('stats posts from the client are accepted', T, async () => {
    const res = await request(server, '/rest/stats/client', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json;charset=UTF-8', Origin: 'http://127.0.0.1:5555' },
      body: JSON.stringify({ client_id: 'x_1', app_key: app.appKey, timestamp: new Date().toISOString() }),
    });
    assert.ok(res.status >= 200 && res.status < 300, `stats post status ${res.status} ${res.body}`);
  });
});
