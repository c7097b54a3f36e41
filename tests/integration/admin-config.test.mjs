// The admin token can come from the configuration (AERIE_ADMIN_TOKEN, --admin-token, or the
// config file's "admin-token"), replacing the generated one; too short a token is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie } from '../lib/server.mjs';
import { adminRequest } from '../lib/admin.mjs';

test('AERIE_ADMIN_TOKEN sets the bearer token of /admin/v1', { timeout: 30000 }, async () => {
  const token = 'configured-admin-token-0123456789abcdef';
  const server = await startAerie({ env: { AERIE_ADMIN_TOKEN: token } });
  try {
    assert.equal((await adminRequest(server, token, 'GET', '/apps')).status, 200);
    assert.equal((await adminRequest(server, 'something-else', 'GET', '/apps')).status, 401);
  } finally {
    await server.stop();
  }
});

test('a short admin token is refused at start with a clear error', { timeout: 30000 }, async () => {
  await assert.rejects(startAerie({ env: { AERIE_ADMIN_TOKEN: 'short' }, startTimeoutMs: 8000 }),
    /admin-token must have at least 32 characters/);
});
