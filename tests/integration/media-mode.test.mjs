// The per-app media mode (mesh, sfu, auto) through the real binary: set by `aerie app create
// --media` and by the admin API, changed by PATCH and `aerie app update --media`, shown in every
// app JSON, refused with a clear message when it is not a mode, and seen by pages as the room
// API's `hasMCU` (true for an sfu realm and its alias keys, false for mesh and, for now, auto).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie, getSession } from '../lib/server.mjs';
import { adminToken, adminRequest, admin, aerieCli } from '../lib/admin.mjs';

const T = { timeout: 20000 };

let server;
let token;
let cliSfu;   // created by `aerie app create --media sfu`
let cliMesh;  // created by `aerie app create` without --media
let apiSfu;   // created over the admin API with mediaMode "sfu"

before(async () => {
  server = await startAerie({
    apps: [
      { name: 'cli-sfu', domains: ['127.0.0.1'], extraArgs: ['--media', 'sfu'] },
      { name: 'cli-mesh', domains: ['127.0.0.1'] },
    ],
  });
  [cliSfu, cliMesh] = server.apps;
  token = await adminToken(server);
});

after(async () => {
  if (server) await server.stop();
});

async function hasMcu(app, room = 'lobby') {
  return (await getSession(server, app.appKey, room)).hasMCU;
}

describe('media mode', () => {
  test('`app create --media sfu` makes an sfu app whose rooms have an MCU', T, async () => {
    assert.equal(cliSfu.mediaMode, 'sfu');
    assert.equal(await hasMcu(cliSfu), true);
  });

  test('an app created without a mode is mesh, without an MCU', T, async () => {
    assert.equal(cliMesh.mediaMode, 'mesh');
    assert.equal(await hasMcu(cliMesh), false);
    const got = await admin(server, token, 'GET', `/apps/${cliMesh.appKey}`);
    assert.equal(got.mediaMode, 'mesh');
  });

  test('the admin API creates an sfu app and lists every app with its mode', T, async () => {
    apiSfu = await admin(server, token, 'POST', '/apps', { name: 'api-sfu', domains: ['127.0.0.1'], mediaMode: 'sfu' });
    assert.equal(apiSfu.mediaMode, 'sfu');
    assert.equal(await hasMcu(apiSfu), true);
    const { apps } = await admin(server, token, 'GET', '/apps');
    const modes = Object.fromEntries(apps.map((a) => [a.appKey, a.mediaMode]));
    assert.equal(modes[cliSfu.appKey], 'sfu');
    assert.equal(modes[cliMesh.appKey], 'mesh');
    assert.equal(modes[apiSfu.appKey], 'sfu');
  });

  test('an alias key has its parent\'s mode', T, async () => {
    const alias = await admin(server, token, 'POST', `/apps/${apiSfu.appKey}/aliases`, { domains: ['127.0.0.1'] });
    assert.equal(await hasMcu(alias), true);
    const refused = await adminRequest(server, token, 'POST', `/apps/${apiSfu.appKey}/aliases`, { domains: ['127.0.0.1'], mediaMode: 'mesh' });
    assert.equal(refused.status, 400, refused.body);
    assert.match(refused.json.message, /unknown field 'mediaMode'/);
  });

  test('PATCH to auto: no MCU yet (the switch is a later change)', T, async () => {
    const changed = await admin(server, token, 'PATCH', `/apps/${apiSfu.appKey}`, { mediaMode: 'auto' });
    assert.equal(changed.mediaMode, 'auto');
    assert.equal(await hasMcu(apiSfu, 'another-room'), false);
    assert.equal((await admin(server, token, 'GET', `/apps/${apiSfu.appKey}`)).mediaMode, 'auto');
  });

  test('a value that is not a mode is a 400 naming the modes, and changes nothing', T, async () => {
    for (const mediaMode of ['SFU', 'mcu', '', 1, true, null]) {
      const patched = await adminRequest(server, token, 'PATCH', `/apps/${cliMesh.appKey}`, { mediaMode });
      assert.equal(patched.status, 400, patched.body);
      assert.equal(patched.json.error, 'bad_request');
      assert.equal(patched.json.message, 'field \'mediaMode\' must be "mesh", "sfu" or "auto"');
      const created = await adminRequest(server, token, 'POST', '/apps', { name: 'bad', domains: ['127.0.0.1'], mediaMode });
      assert.equal(created.status, 400, created.body);
      assert.equal(created.json.message, 'field \'mediaMode\' must be "mesh", "sfu" or "auto"');
    }
    assert.equal((await admin(server, token, 'GET', `/apps/${cliMesh.appKey}`)).mediaMode, 'mesh');
    assert.ok((await admin(server, token, 'GET', '/apps')).apps.every((a) => a.name !== 'bad'));
  });

  test('the CLI refuses a bad --media and `app update --media` changes the mode', T, async () => {
    await assert.rejects(
      aerieCli(['app', 'create', '--data', server.dataDir, '--name', 'x', '--domain', '127.0.0.1', '--media', 'mcu']),
      /--media takes mesh, sfu or auto, not 'mcu'/);
    const updated = JSON.parse(await aerieCli(['app', 'update', '--data', server.dataDir, cliMesh.appKey, '--media', 'auto']));
    assert.equal(updated.mediaMode, 'auto');
    const got = JSON.parse(await aerieCli(['app', 'get', '--data', server.dataDir, cliMesh.appKey]));
    assert.equal(got.mediaMode, 'auto');
  });

  test('the modes survive a restart', T, async () => {
    await server.restart();
    token = await adminToken(server);
    assert.equal(await hasMcu(cliSfu), true);
    assert.equal(await hasMcu(apiSfu), false);  // auto
    assert.equal((await admin(server, token, 'GET', `/apps/${cliMesh.appKey}`)).mediaMode, 'auto');
  });

  test('the OpenAPI document describes the field', T, async () => {
    const res = await adminRequest(server, null, 'GET', '/openapi.json');
    assert.deepEqual(res.json.components.schemas.MediaMode.enum, ['mesh', 'sfu', 'auto']);
  });
});
