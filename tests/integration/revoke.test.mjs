// Revoking a key through the admin API removes the peers that joined with it at once
// (redirect reject, bye to the rest of the room), and keeps other keys' peers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie, joinRoom } from '../lib/server.mjs';
import { adminToken, adminRequest } from '../lib/admin.mjs';

test('revoke removes the key\'s peers from their rooms', { timeout: 30000 }, async () => {
  const server = await startAerie({ apps: [{ name: 'doomed' }, { name: 'kept' }] });
  try {
    const [doomed, kept] = server.apps;
    const a = await joinRoom(server, { app: doomed, room: 'r' });
    const b = await joinRoom(server, { app: doomed, room: 'r', client: 'sio4-websocket' });
    const c = await joinRoom(server, { app: kept, room: 'r' });
    const token = await adminToken(server);
    const res = await adminRequest(server, token, 'DELETE', `/apps/${doomed.appKey}`);
    assert.equal(res.status, 200, res.body);
    for (const p of [a, b]) {
      const r = await p.waitFor((m) => m.type === 'redirect', { what: 'redirect after revoke' });
      assert.equal(r.action, 'reject', JSON.stringify(r));
    }
    // The other realm's peer in a room of the same name hears nothing of it.
    await assert.rejects(c.waitFor((m) => m.type === 'redirect' || m.type === 'bye', { timeoutMs: 500 }));
    for (const p of [a, b, c]) p.close();
  } finally {
    await server.stop();
  }
});
