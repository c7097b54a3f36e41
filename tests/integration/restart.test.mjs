// Restarts lose nothing that was acknowledged: keys created through the admin API while aerie
// is killed with SIGKILL all exist afterwards (SQLite WAL; docs/security.md, Storage), usage
// of a session cut by SIGTERM is recorded; and SIGTERM tells connected peers `toclose` before
// the socket closes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie, joinRoom, getApi, sleep } from '../lib/server.mjs';
import { adminToken, adminRequest } from '../lib/admin.mjs';

const T = { timeout: 60000 };
const servers = [];
after(async () => { for (const s of servers) await s.stop(); });

test('kill -9 during key creation loses no acknowledged key', T, async () => {
  const server = await startAerie();
  servers.push(server);
  const token = await adminToken(server);
  const acknowledged = [];
  let attempts = 0;
  let killed = false;
  const creators = [0, 1, 2, 3].map(async (w) => {
    while (!killed) {
      attempts++;
      try {
        const res = await adminRequest(server, token, 'POST', '/apps', { name: `k${w}-${attempts}`, domains: ['127.0.0.1'] });
        if (res.status === 201) acknowledged.push(res.json.appKey);
      } catch { /* the connection died with the server */ }
    }
  });
  await sleep(400);
  killed = true;
  await server.crashAndRestart();
  await Promise.all(creators);
  assert.ok(acknowledged.length > 5, `some keys were created before the kill (${acknowledged.length})`);
  const list = await adminRequest(server, token, 'GET', '/apps');
  assert.equal(list.status, 200, list.body);
  const stored = new Set(list.json.apps ? list.json.apps.map((a) => a.appKey) : list.json.map((a) => a.appKey));
  const lost = acknowledged.filter((k) => !stored.has(k));
  assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged keys were lost`);
  const res = await getApi(server, acknowledged[acknowledged.length - 1], 'after-crash');
  assert.equal(res.status, 200, `the last acknowledged key works after the crash: ${res.body}`);
});

test('SIGTERM tells peers toclose, then closes their sockets', T, async () => {
  const server = await startAerie();
  servers.push(server);
  const a = await joinRoom(server, { room: 'draining' });
  const b = await joinRoom(server, { room: 'draining', client: 'sio1-polling' });
  const stopping = server.terminate();
  for (const peer of [a, b]) {
    const msg = await peer.waitFor((m) => m.type === 'redirect', { timeoutMs: 5000, what: 'redirect toclose' });
    assert.equal(msg.action, 'warning', JSON.stringify(msg));
    assert.equal(msg.reason, 'toclose', JSON.stringify(msg));
  }
  const exited = await stopping;
  assert.equal(exited.code, 0, `aerie exits cleanly on SIGTERM: ${JSON.stringify(exited)}`);
  a.close();
  b.close();
});
