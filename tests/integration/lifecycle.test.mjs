// Server lifecycle and per-app limits: credentials survive a restart (the signing secret lives in
// the data directory), and an app's peer limit is enforced.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie, joinRoom, getSession, getApi } from '../lib/server.mjs';

const T = { timeout: 40000 };
const servers = [];
after(async () => {
  for (const s of servers) await s.stop();
});

test('a session issued before a restart still joins after it', T, async (t) => {
  const server = await startAerie();
  servers.push(server);
  const session = await getSession(server, server.app.appKey, 'survivor');
  await server.restart();
  const a = await joinRoom(server, { room: 'survivor', session });
  t.after(() => a.close());
  assert.ok(a.sid, 'credentials signed before the restart are still valid');
  // And the app created before the restart still answers the API.
  const res = await getApi(server, server.app.appKey, 'survivor');
  assert.equal(res.status, 200, res.body);
});

test('an app created with --max-peers 2 refuses a third peer in a room', T, async (t) => {
  const server = await startAerie({ apps: [{ name: 'small', extraArgs: ['--max-peers', '2'] }] });
  servers.push(server);
  const a = await joinRoom(server, { room: 'full' });
  const b = await joinRoom(server, { room: 'full' });
  t.after(() => { a.close(); b.close(); });
  // Refused either by the API (4020 API_OVER_SEAT_LIMIT) or at joinRoom with a reject redirect.
  const res = await getApi(server, server.app.appKey, 'full');
  if (res.json && res.json.success === false) {
    assert.equal(res.json.error, 4020, res.body);
    return;
  }
  assert.equal(res.status, 200, res.body);
  const c = await joinRoom(server, { room: 'full', session: res.json, expectReject: true });
  t.after(() => c.close());
  assert.ok(c.redirect, `a third peer must be refused, got inRoom ${JSON.stringify(c.inRoom)}`);
  assert.equal(c.redirect.action, 'reject');
  // Another room of the same app is not affected.
  const d = await joinRoom(server, { room: 'not-full' });
  d.close();
});
