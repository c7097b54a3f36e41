// The admin API (/admin/v1/), its token, the console page and the CLI, through a real server:
// keys created over the API work at /api/, revoked ones get 4001, an alias key from its own
// domain shares its parent's rooms, the Hub's live rooms are visible and controllable, usage is
// recorded, and everything survives a restart on the same data directory.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie, getApi, getSession, joinRoom, request } from '../lib/server.mjs';
import { adminToken, adminRequest, admin, aerieCli } from '../lib/admin.mjs';

const T = { timeout: 20000 };
const PARTNER = 'http://partner.test';  // the alias key's own domain, sent as Origin

let server;
let token;
// Filled by the tests in order (node:test runs them in sequence within a file).
let web;     // primary key created over the API
let alias;   // alias key of `web`
let doomed;  // key revoked over the API

before(async () => {
  // One app from the CLI (as startAerie does), so the server makes no development key.
  server = await startAerie({ apps: [{ name: 'cli-app', domains: ['127.0.0.1'] }] });
  token = await adminToken(server);
});

after(async () => {
  if (server) await server.stop();
});

async function eventually(fn, { timeoutMs = 5000, what = 'condition' } = {}) {
  const until = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('admin token', () => {
  test('the first start printed the token that `aerie token` shows', T, async () => {
    assert.ok(server.log().includes(token), 'the token is on the first start output');
    assert.equal(await adminToken(server), token, 'asking again gives the same token');
  });

  test('without or with a wrong token: 401 JSON, no CORS', T, async () => {
    for (const t of [null, 'wrong', token.slice(0, -1)]) {
      const res = await adminRequest(server, t, 'GET', '/apps', undefined, { headers: { Origin: 'https://evil.example' } });
      assert.equal(res.status, 401, res.body);
      assert.equal(res.json.error, 'unauthorized');
      assert.equal(typeof res.json.message, 'string');
      assert.equal(res.headers['access-control-allow-origin'], undefined);
      assert.match(String(res.headers['www-authenticate']), /^Bearer/);
    }
    // A browser preflight from another origin gets no CORS grant either.
    const pre = await request(server, '/admin/v1/apps', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
    assert.ok(pre.status >= 400, `preflight status ${pre.status}`);
  });

  test('over HTTPS on the same port as well', T, async () => {
    const res = await adminRequest(server, token, 'GET', '/apps', undefined, { https: true });
    assert.equal(res.status, 200, res.body);
  });

  test('the OpenAPI document is served without a token', T, async () => {
    const res = await request(server, '/admin/v1/openapi.json');
    assert.equal(res.status, 200);
    assert.match(res.json.openapi, /^3\./);
    for (const p of ['/apps', '/apps/{appKey}', '/apps/{appKey}/aliases', '/apps/{appKey}/rooms',
      '/apps/{appKey}/rooms/{room}/lock', '/apps/{appKey}/peers/{sid}', '/apps/{appKey}/usage',
      '/apps/{appKey}/rotate-secret']) {
      assert.ok(res.json.paths[p], `documents ${p}`);
    }
  });

  test('the console page and its script are served', T, async () => {
    const page = await request(server, '/console');
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /console\.js/);
    const script = await request(server, '/console.js');
    assert.equal(script.status, 200);
    assert.match(script.body, /\/admin\/v1/);
  });
});

describe('apps over the API', () => {
  test('create a key, then use it at /api/', T, async () => {
    web = await admin(server, token, 'POST', '/apps', { name: 'web', domains: ['127.0.0.1', 'localhost'] });
    assert.equal(typeof web.appKey, 'string');
    assert.equal(typeof web.secret, 'string');
    const res = await getApi(server, web.appKey, 'lobby', { origin: 'http://127.0.0.1:3000' });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json.success, true);
    assert.equal(res.json.cid, web.appKey);
    // Listed, without secrets.
    const list = await adminRequest(server, token, 'GET', '/apps');
    assert.ok(list.json.apps.some((a) => a.appKey === web.appKey));
    assert.ok(!list.body.includes(web.secret), 'no secret in the list');
    assert.ok(list.json.apps.every((a) => !('secret' in a)));
  });

  test('invalid bodies are refused with 400 {error, message}', T, async () => {
    for (const body of ['not json', '{}', { name: 'x', domains: ['https://x.example'] }, { name: 'x', domains: ['x.example'], bogus: 1 }]) {
      const res = await adminRequest(server, token, 'POST', '/apps', body);
      assert.equal(res.status, 400, res.body);
      assert.equal(res.json.error, 'bad_request');
      assert.ok(res.json.message.length > 0);
    }
    const big = await adminRequest(server, token, 'POST', '/apps', { name: 'x'.repeat(70 * 1024), domains: ['a.example'] });
    assert.equal(big.status, 413, big.body);
  });

  test('PATCH domains changes who may use the key', T, async () => {
    const tmp = await admin(server, token, 'POST', '/apps', { name: 'tmp', domains: ['127.0.0.1'] });
    let res = await getApi(server, tmp.appKey, 'r', { origin: 'https://shop.example' });
    assert.equal(res.json.error, 4003);
    const changed = await admin(server, token, 'PATCH', `/apps/${tmp.appKey}`, { domains: ['shop.example'] });
    assert.deepEqual(changed.domains, ['shop.example']);
    res = await getApi(server, tmp.appKey, 'r', { origin: 'https://shop.example' });
    assert.equal(res.status, 200, res.body);
  });

  test('rotate-secret: the old cred stops verifying, the new one works', T, async () => {
    const { secret } = await admin(server, token, 'POST', `/apps/${web.appKey}/rotate-secret`);
    assert.notEqual(secret, web.secret);
    const { makeCred } = await import('../lib/api.mjs');
    const start = new Date().toISOString();
    const old = await getApi(server, web.appKey, 'cr', { origin: 'http://127.0.0.1', credentials: { start, duration: 1, cred: makeCred(web.secret, 'cr', 1, start) } });
    assert.equal(old.json.error, 4005, old.body);
    const fresh = await getApi(server, web.appKey, 'cr', { origin: 'http://127.0.0.1', credentials: { start, duration: 1, cred: makeCred(secret, 'cr', 1, start) } });
    assert.equal(fresh.status, 200, fresh.body);
    web.secret = secret;
  });

  test('revoke: the API server answers 4001', T, async () => {
    doomed = await admin(server, token, 'POST', '/apps', { name: 'doomed', domains: ['127.0.0.1'] });
    assert.equal((await getApi(server, doomed.appKey, 'r', { origin: 'http://127.0.0.1' })).status, 200);
    const revoked = await admin(server, token, 'DELETE', `/apps/${doomed.appKey}`);
    assert.equal(revoked.revoked, true);
    const res = await getApi(server, doomed.appKey, 'r', { origin: 'http://127.0.0.1' });
    assert.equal(res.json.success, false);
    assert.equal(res.json.error, 4001, res.body);
  });
});

describe('alias keys, live rooms and usage', () => {
  test('an alias key works from its own domain only', T, async () => {
    alias = await admin(server, token, 'POST', `/apps/${web.appKey}/aliases`, { domains: ['partner.test'] });
    assert.equal(alias.parentKey, web.appKey);
    const listed = await admin(server, token, 'GET', `/apps/${web.appKey}/aliases`);
    assert.deepEqual(listed.aliases.map((a) => a.appKey), [alias.appKey]);
    const own = await getApi(server, alias.appKey, 'r', { origin: PARTNER });
    assert.equal(own.status, 200, own.body);
    const parents = await getApi(server, alias.appKey, 'r', { origin: 'http://127.0.0.1' });
    assert.equal(parents.json.error, 4003, parents.body);
  });

  test("peers of an alias key and of its parent share the parent's room; admin sees, locks and removes them", T, async (t) => {
    const room = `shared-${process.pid}`;
    const viaParent = await getSession(server, web.appKey, room, { origin: 'http://127.0.0.1' });
    const viaAlias = await getSession(server, alias.appKey, room, { origin: PARTNER });
    assert.equal(viaAlias.room_key, viaParent.room_key, 'one realm, one room key');

    const a = await joinRoom(server, { app: web, room, session: viaParent, client: 'sio1-websocket' });
    const b = await joinRoom(server, { app: alias, room, session: viaAlias, client: 'sio1-polling' });
    t.after(() => { a.close(); b.close(); });
    b.enter();
    const entered = await a.waitFor((m) => m.type === 'enter' && m.mid === b.sid, { what: "B's enter at A" });
    assert.equal(entered.rid, viaParent.room_key);
    a.welcome(b.sid);
    await b.waitFor((m) => m.type === 'welcome' && m.mid === a.sid, { what: "A's welcome at B" });

    // The admin API shows the room with both peers, by the parent key and by the alias key.
    for (const key of [web.appKey, alias.appKey]) {
      const live = await admin(server, token, 'GET', `/apps/${key}/rooms`);
      assert.equal(live.realm, web.appKey);
      const r = live.rooms.find((x) => x.name === room);
      assert.ok(r, `room listed for ${key}: ${JSON.stringify(live)}`);
      assert.equal(r.peerCount, 2);
      assert.deepEqual(new Set(r.peers), new Set([a.sid, b.sid]));
    }

    // Lock from the server side: both get roomLockEvent, a third peer is refused.
    const locked = await admin(server, token, 'POST', `/apps/${web.appKey}/rooms/${encodeURIComponent(room)}/lock`, { locked: true });
    assert.equal(locked.locked, true);
    await a.waitFor((m) => m.type === 'roomLockEvent' && m.lock === true, { what: 'roomLockEvent at A' });
    const c = await joinRoom(server, { app: web, room, expectReject: true });
    t.after(() => c.close());
    assert.equal(c.redirect && c.redirect.reason, 'locked');

    // Remove B: it is rejected and A sees it leave.
    await admin(server, token, 'DELETE', `/apps/${web.appKey}/peers/${b.sid}`);
    await b.waitFor((m) => m.type === 'redirect' && m.action === 'reject', { what: 'redirect at B' });
    await a.waitFor((m) => m.type === 'bye' && m.mid === b.sid, { what: "B's bye at A" });
    const after = await admin(server, token, 'GET', `/apps/${web.appKey}/rooms`);
    assert.deepEqual(after.rooms.find((x) => x.name === room).peers, [a.sid]);
    a.close();

    // Both sessions are recorded: the realm's usage has the room and both keys.
    const usage = await eventually(async () => {
      const u = await admin(server, token, 'GET', `/apps/${web.appKey}/usage`);
      const r = u.rooms.find((x) => x.room === room);
      return r && r.sessions === 2 ? u : null;
    }, { what: 'two sessions in the usage of the realm' });
    assert.deepEqual(new Set(usage.keys.map((k) => k.appKey)), new Set([web.appKey, alias.appKey]));
    const aliasUsage = await admin(server, token, 'GET', `/apps/${alias.appKey}/usage`);
    assert.equal(aliasUsage.sessions, 1, 'an alias key reports its own sessions');
  });
});

describe('CLI', () => {
  test('app, alias and token commands print JSON and share the store with the server', T, async () => {
    const created = JSON.parse(await aerieCli(['app', 'create', '--data', server.dataDir, '--name', 'from-cli', '--domain', '127.0.0.1', '--turn', 'off']));
    assert.equal(created.turnEnabled, false);
    assert.equal(typeof created.secret, 'string');
    // The running server sees it at once.
    const res = await getApi(server, created.appKey, 'r', { origin: 'http://127.0.0.1' });
    assert.equal(res.status, 200, res.body);
    const updated = JSON.parse(await aerieCli(['app', 'update', '--data', server.dataDir, created.appKey, '--max-peers', '3']));
    assert.equal(updated.maxPeersPerRoom, 3);
    const rotated = JSON.parse(await aerieCli(['app', 'rotate-secret', '--data', server.dataDir, created.appKey]));
    assert.notEqual(rotated.secret, created.secret);
    const a = JSON.parse(await aerieCli(['alias', 'create', '--data', server.dataDir, '--parent', created.appKey, '--domain', 'x.example', '--expires', '2030-01-01T00:00:00Z']));
    assert.equal(a.parentKey, created.appKey);
    assert.equal(a.expiresAt, '2030-01-01T00:00:00.000Z');
    const aliases = JSON.parse(await aerieCli(['alias', 'list', '--data', server.dataDir, '--parent', created.appKey]));
    assert.deepEqual(aliases.map((x) => x.appKey), [a.appKey]);
    const list = JSON.parse(await aerieCli(['app', 'list', '--data', server.dataDir]));
    assert.ok(list.every((x) => !('secret' in x)));
    const revoked = JSON.parse(await aerieCli(['app', 'revoke', '--data', server.dataDir, created.appKey]));
    assert.equal(revoked.revoked, true);
    // Another process wrote the store: the server's key cache (app-cache-ms, 1 s) lets it
    // through at most that long.
    const revokedAt = Date.now();
    let error;
    while (Date.now() - revokedAt < 3000) {
      error = (await getApi(server, created.appKey, 'r', { origin: 'http://127.0.0.1' })).json.error;
      if (error === 4001) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(error, 4001);
    assert.ok(Date.now() - revokedAt < 1500, `a CLI revoke took ${Date.now() - revokedAt} ms to reach the running server`);
    await assert.rejects(aerieCli(['app', 'create', '--data', server.dataDir, '--name', 'bad', '--domain', 'https://x']), /without scheme/);
  });
});

describe('restart', () => {
  test('apps, aliases, revocations, the token and usage survive a restart', T, async (t) => {
    // A peer still in a room when the server stops: its session is recorded at shutdown.
    const room = `open-at-stop-${process.pid}`;
    const p = await joinRoom(server, { app: web, room, session: await getSession(server, web.appKey, room, { origin: 'http://127.0.0.1' }) });
    t.after(() => p.close());
    await new Promise((r) => setTimeout(r, 50));

    await server.restart();

    assert.equal(server.log().split(token).length - 1, 1, 'the token is printed on the first start only');
    const list = await admin(server, token, 'GET', '/apps');
    const keys = new Map(list.apps.map((a) => [a.appKey, a]));
    assert.ok(keys.has(web.appKey), 'the API-created key is still there');
    assert.equal(keys.get(alias.appKey).parentKey, web.appKey);
    assert.equal(keys.get(doomed.appKey).revoked, true);

    assert.equal((await getApi(server, web.appKey, 'r', { origin: 'http://127.0.0.1' })).status, 200);
    assert.equal((await getApi(server, alias.appKey, 'r', { origin: PARTNER })).status, 200);
    assert.equal((await getApi(server, doomed.appKey, 'r', { origin: 'http://127.0.0.1' })).json.error, 4001);

    const usage = await admin(server, token, 'GET', `/apps/${web.appKey}/usage`);
    assert.ok(usage.rooms.some((r) => r.room === room), `the open session was recorded at shutdown: ${JSON.stringify(usage.rooms)}`);

    // A rotated token takes effect in the running server at once.
    const fresh = await adminToken(server, { rotate: true });
    assert.equal((await adminRequest(server, token, 'GET', '/apps')).status, 401);
    assert.equal((await adminRequest(server, fresh, 'GET', '/apps')).status, 200);
    token = fresh;
  });
});
