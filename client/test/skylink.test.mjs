import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { lib, tick, testEnv, autoConnectSockets } from './helpers.mjs';

const { Skylink: Library, apiUrl, parseApiReply, InitError } = await lib();

const API_REPLY = {
  success: true, cid: 'cid1', apiOwner: 'owner', room_key: 'rk', username: 'u1', userCred: 'UC', timeStamp: '2026-01-01T00:00:00Z',
  roomCred: 'RC', start: '2026-01-01T00:00:00Z', len: 24, ipSigserver: '127.0.0.1', httpPortList: [8080], httpsPortList: [8443],
  pc_constraints: '{}', offer_constraints: '{}', media_constraints: '{}', isPrivileged: false, autoIntroduce: true,
};

let sockets; let fetches; let env;
beforeEach(async () => {
  sockets = []; fetches = [];
  // The host each Skylink of a test gets (`new Skylink()` below): fake sockets; tests set env.fetch.
  env = await testEnv({ createSocket: autoConnectSockets(sockets), fetch: () => Promise.reject(new Error('no fetch given')) });
});
const Skylink = class extends Library { constructor() { super({ env }); } };

/** fetch that answers after `ms` with `body`. */
function fakeFetch(body, { ms = 30, status = 200, fail = false } = {}) {
  return (url, init) => {
    fetches.push({ url, headers: init.headers });
    return new Promise((resolve, reject) => setTimeout(() => {
      if (fail) reject(new TypeError('Failed to fetch'));
      else resolve({ status, text: async () => JSON.stringify(body) });
    }, ms));
  };
}

function record(sk) {
  const log = [];
  for (const ev of ['readyStateChange', 'channelOpen', 'peerJoined', 'handshakeProgress', 'systemAction', 'channelClose', 'peerLeft']) {
    sk.on(ev, (...args) => log.push([ev, ...args.slice(0, 3).map((a) => (a && typeof a === 'object' ? (a.errorCode ?? 'obj') : a))]));
  }
  return log;
}

test('seed order: joinRoom() right after init() waits for init, then joins', async () => {
  env.fetch = fakeFetch(API_REPLY, { ms: 50 });
  const sk = new Skylink();
  const log = record(sk);
  let result = null;
  sk.init({ apiKey: 'KEY', defaultRoom: 'my room', roomServer: '//api.test:9000' });
  sk.joinRoom({ audio: false, video: false }, (err, ok) => { result = { err, ok }; });
  await tick(10);
  assert.equal(sockets.length, 0, 'no socket before init completes');
  await tick(80);
  assert.equal(sockets.length, 1, 'socket opened after init');
  assert.equal(sockets[0].url.split('?')[0], 'http://127.0.0.1:8080');
  await tick(10);
  const join = sockets[0].sent.find((m) => m.type === 'joinRoom');
  assert.deepEqual(join, { type: 'joinRoom', uid: 'u1', cid: 'cid1', rid: 'rk', userCred: 'UC', timeStamp: API_REPLY.timeStamp, apiOwner: 'owner',
    roomCred: 'RC', start: API_REPLY.start, len: 24, isPrivileged: false, autoIntroduce: true, key: 'KEY', mediaSwitch: true });
  sockets[0].fire('message', JSON.stringify({ type: 'inRoom', rid: 'rk', sid: 'SELF', mid: 'SELF', tieBreaker: 42, pc_config: { iceServers: [] } }));
  await tick(5);
  assert.equal(result?.err, null);
  assert.equal(result.ok.peerId, 'SELF');
  assert.equal(sk.peerId, 'SELF');
  const enter = sockets[0].sent.find((m) => m.type === 'enter');
  assert.equal(enter.mid, 'SELF');
  assert.equal(enter.rid, 'rk');
  assert.equal(enter.weight, 42);
  assert.equal(enter.receiveOnly, true);
  assert.equal(enter.DTProtocolVersion, '0.1.3');
  assert.deepEqual(log, [
    ['readyStateChange', 0, null, 'my room'],
    ['readyStateChange', 1, null, 'my room'],
    ['readyStateChange', 2, null, 'my room'],
    ['channelOpen', 'obj'],
    ['peerJoined', 'SELF', 'obj', true],
    ['handshakeProgress', 'enter', 'SELF'],
  ]);
  assert.match(fetches[0].url, /^http:\/\/api\.test:9000\/api\/KEY\/my room\?rand=\d+$/);
  assert.equal(fetches[0].headers.Skylink_SDK_type, 'WEB_SDK');
  sk.leaveRoom();
});

test('an unreachable server: readyStateChange ERROR (-1) and joinRoom() fails with init\'s error', async () => {
  env.fetch = fakeFetch(null, { fail: true });
  const sk = new Skylink();
  const states = [];
  sk.on('readyStateChange', (s, e) => states.push([s, e && e.errorCode, e && e.status, e && e.content instanceof Error]));
  let initResult; let joinResult;
  sk.init({ appKey: 'K', roomServer: '//127.0.0.1:1' }, (err) => { initResult = err; });
  sk.joinRoom((err) => { joinResult = err; });
  await tick(60);
  assert.deepEqual(states, [[0, null, null, null], [1, null, null, null], [-1, -1, -1, true]]);
  assert.equal(initResult.errorCode, -1);
  assert.equal(joinResult.errorCode, -1);
  assert.ok(joinResult.error instanceof Error);
  assert.equal(sockets.length, 0);
});

test('an API error reply reports its code and info', async () => {
  env.fetch = fakeFetch({ success: false, error: 4001, info: 'Invalid app key' }, { status: 403 });
  const sk = new Skylink();
  let err;
  sk.init({ appKey: 'BAD', roomServer: 'http://x' }, (e) => { err = e; });
  await tick(60);
  assert.equal(err.errorCode, 4001);
  assert.equal(err.status, 403);
  assert.equal(err.error.message, 'Invalid app key');
});

test('a rejected join (locked room) fails joinRoom() and fires systemAction', async () => {
  env.fetch = fakeFetch(API_REPLY, { ms: 1 });
  const sk = new Skylink();
  const sys = [];
  sk.on('systemAction', (a, info, reason) => sys.push([a, reason]));
  let res;
  sk.init({ appKey: 'K', roomServer: 'http://x' });
  sk.joinRoom('other room', {}, (e, ok) => { res = { e, ok }; });
  await tick(40);
  assert.match(fetches.at(-1).url, /\/api\/K\/other room\?/, 'a room other than defaultRoom gets its own session');
  sockets[0].fire('message', JSON.stringify({ type: 'redirect', action: 'reject', reason: 'locked', info: 'Room is locked' }));
  await tick(5);
  assert.deepEqual(sys, [['reject', 'locked']]);
  assert.equal(res.ok, null);
  assert.equal(res.e.error.message, 'Room is locked');
  assert.equal(res.e.room, 'other room');
});

test('no app key: readyStateChange ERROR with NO_PATH', async () => {
  const sk = new Skylink();
  let err;
  sk.init({}, (e) => { err = e; });
  await tick(5);
  assert.equal(err.errorCode, sk.READY_STATE_CHANGE_ERROR.NO_PATH);
});

test('API URL and reply parsing', () => {
  const base = { roomServer: '//h:1', appKey: 'k', room: 'r', credentials: null, forceSSL: true, timeoutMs: 1, retries: 0 };
  assert.equal(apiUrl(base, 5), 'https://h:1/api/k/r?rand=5');
  assert.equal(apiUrl({ ...base, forceSSL: false, roomServer: 'http://h/', credentials: { startDateTime: 'S', duration: 2, credentials: 'C%3D' } }, 5),
    'http://h/api/k/r/S/2?cred=C%3D&rand=5');
  const s = parseApiReply(200, API_REPLY, 'u');
  assert.equal(s.roomKey, 'rk');
  assert.deepEqual(s.httpsPorts, [8443]);
  assert.throws(() => parseApiReply(400, { success: false, error: 4004, info: 'bad cred' }, 'u'), (e) => e instanceof InitError && e.errorCode === 4004);
  assert.throws(() => parseApiReply(500, {}, 'u'), (e) => e.errorCode === 500);
});

test('constants are on the prototype with SkylinkJS values', () => {
  const sk = new Skylink();
  assert.equal(sk.READY_STATE_CHANGE.COMPLETED, 2);
  assert.equal(sk.DATA_TRANSFER_STATE.DOWNLOAD_COMPLETED, 'downloadCompleted');
  assert.equal(sk.PEER_CONNECTION_STATE.HAVE_LOCAL_OFFER, 'have-local-offer');
  assert.equal(sk.SYSTEM_ACTION_REASON.ROOM_LOCKED, 'locked');
  assert.equal(sk.READY_STATE_CHANGE_ERROR.XML_HTTP_REQUEST_ERROR, -1);
  assert.equal(typeof sk.VERSION, 'string');
});
