// The per-app media mode (mesh, sfu, auto) through the real binary: set by `aerie app create
// --media` and by the admin API, changed by PATCH and `aerie app update --media`, shown in every
// app JSON, refused with a clear message when it is not a mode, and seen by pages as the room
// API's `hasMCU` (true for an sfu realm and its alias keys, false for mesh and auto). And an auto
// app's switch point `autoSfuPeers` (`--auto-sfu-peers`): stored, changed, refused out of its
// range, kept over a restart, and followed by the rooms (mediaMode on real sockets).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie, getSession, openSocket, joinRoomMessage, signalingUrl } from '../lib/server.mjs';
import { adminToken, adminRequest, admin, aerieCli } from '../lib/admin.mjs';

const T = { timeout: 20000 };

let server;
let token;
let cliSfu;   // created by `aerie app create --media sfu`
let cliMesh;  // created by `aerie app create` without --media
let apiSfu;   // created over the admin API with mediaMode "sfu"
let cliAuto;  // created by `aerie app create --media auto --auto-sfu-peers 2`

before(async () => {
  server = await startAerie({
    apps: [
      { name: 'cli-sfu', domains: ['127.0.0.1'], extraArgs: ['--media', 'sfu'] },
      { name: 'cli-mesh', domains: ['127.0.0.1'] },
      { name: 'cli-auto', domains: ['127.0.0.1'], extraArgs: ['--media', 'auto', '--auto-sfu-peers', '2'] },
    ],
  });
  [cliSfu, cliMesh, cliAuto] = server.apps;
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

  test('PATCH to auto: no MCU in the API reply (rooms start as a mesh)', T, async () => {
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
    const k = res.json.components.schemas.AutoSfuPeers;
    assert.equal(k.minimum, 0);
    assert.equal(k.maximum, 100);
    for (const s of ['App', 'NewApp', 'AppChange']) assert.ok(res.json.components.schemas[s].properties.autoSfuPeers, s);
  });
});

// A member as aerie's library joins: it says it can follow a switch (mediaSwitch).
async function switchingMember(app, room) {
  const session = await getSession(server, app.appKey, room);
  const sock = await openSocket(signalingUrl(session), 'sio1-websocket');
  sock.send({ ...joinRoomMessage(session, app.appKey), mediaSwitch: true });
  const inRoom = await sock.waitFor('inRoom');
  return { sock, inRoom };
}

describe('autoSfuPeers: where an auto app\'s rooms go through the SFU', () => {
  test('`app create --auto-sfu-peers 2` stores it; other apps have 0, the server\'s default', T, async () => {
    assert.equal(cliAuto.autoSfuPeers, 2);
    assert.equal(cliAuto.mediaMode, 'auto');
    assert.equal(cliMesh.autoSfuPeers, 0);
    assert.equal((await admin(server, token, 'GET', `/apps/${cliAuto.appKey}`)).autoSfuPeers, 2);
  });

  test('the room of an app with 2 goes through the SFU at the third member, back at one', T, async () => {
    const room = `k2-${process.pid}`;
    const a = await switchingMember(cliAuto, room);
    const b = await switchingMember(cliAuto, room);
    assert.equal(a.inRoom.mediaMode, 'mesh');
    assert.equal(b.inRoom.mediaMode, 'mesh');
    const c = await switchingMember(cliAuto, room);
    assert.equal(c.inRoom.mediaMode, 'sfu', 'the third learns it from its inRoom');
    for (const x of [a, b]) assert.equal((await x.sock.waitFor('mediaMode')).mode, 'sfu');
    c.sock.close();
    b.sock.close();
    const back = await a.sock.waitFor((m) => m.type === 'mediaMode' && m.mode === 'mesh', { what: 'mediaMode mesh' });
    assert.equal(back.mid, 'MCU');
    a.sock.close();
  });

  test('the admin API sets and changes it; a value out of range is a 400 naming the range', T, async () => {
    const created = await admin(server, token, 'POST', '/apps', { name: 'api-auto', domains: ['127.0.0.1'], mediaMode: 'auto', autoSfuPeers: 3 });
    assert.equal(created.autoSfuPeers, 3);
    const patched = await admin(server, token, 'PATCH', `/apps/${created.appKey}`, { autoSfuPeers: 0 });
    assert.equal(patched.autoSfuPeers, 0);
    const message = 'field \'autoSfuPeers\' must be an integer from 1 to 100, or 0 for the server default (auto-sfu-peers)';
    for (const autoSfuPeers of [-1, 101, 2.5, '3', true, null]) {
      const bad = await adminRequest(server, token, 'PATCH', `/apps/${created.appKey}`, { autoSfuPeers });
      assert.equal(bad.status, 400, bad.body);
      assert.equal(bad.json.error, 'bad_request');
      assert.equal(bad.json.message, message);
      const badCreate = await adminRequest(server, token, 'POST', '/apps', { name: 'bad-k', domains: ['127.0.0.1'], autoSfuPeers });
      assert.equal(badCreate.status, 400, badCreate.body);
      assert.equal(badCreate.json.message, message);
    }
    assert.equal((await admin(server, token, 'GET', `/apps/${created.appKey}`)).autoSfuPeers, 0);
    const alias = await adminRequest(server, token, 'POST', `/apps/${created.appKey}/aliases`, { domains: ['127.0.0.1'], autoSfuPeers: 2 });
    assert.equal(alias.status, 400, alias.body);
    assert.match(alias.json.message, /unknown field 'autoSfuPeers'/);
  });

  test('the CLI refuses a value out of range and `app update --auto-sfu-peers` changes it', T, async () => {
    await assert.rejects(
      aerieCli(['app', 'create', '--data', server.dataDir, '--name', 'x', '--domain', '127.0.0.1', '--auto-sfu-peers', '101']),
      /must be an integer from 1 to 100, or 0 for the server default/);
    await assert.rejects(
      aerieCli(['app', 'update', '--data', server.dataDir, cliAuto.appKey, '--auto-sfu-peers', 'three']),
      /--auto-sfu-peers takes a whole number, not 'three'/);
    const updated = JSON.parse(await aerieCli(['app', 'update', '--data', server.dataDir, cliAuto.appKey, '--auto-sfu-peers', '3']));
    assert.equal(updated.autoSfuPeers, 3);
    assert.equal(updated.mediaMode, 'auto');
  });

  test('it survives a restart, and a room started after it follows the new value', T, async () => {
    await server.restart();
    token = await adminToken(server);
    assert.equal((await admin(server, token, 'GET', `/apps/${cliAuto.appKey}`)).autoSfuPeers, 3);
    const room = `k3-${process.pid}`;
    const members = [];
    for (let i = 0; i < 3; i++) members.push(await switchingMember(cliAuto, room));
    assert.deepEqual(members.map((m) => m.inRoom.mediaMode), ['mesh', 'mesh', 'mesh']);
    const fourth = await switchingMember(cliAuto, room);
    assert.equal(fourth.inRoom.mediaMode, 'sfu');
    for (const m of [...members, fourth]) m.sock.close();
  });
});
