// Recording in SFU rooms (SkylinkJS 0.6.37's startRecording/stopRecording/getRecordings and its
// recordingState event, from aerie's recordingEvent), and the room's owner as aerie names it
// (inRoom.owner, the owner's bye naming the next: roomOwnerChanged, getRoomOwner()).
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { lib, tick, testEnv, autoConnectSockets } from './helpers.mjs';
import { fakeHost } from './fakeMedia.mjs';

const { Skylink } = await lib();

const API_REPLY = {
  success: true, cid: 'cid1', apiOwner: 'owner', room_key: 'rk', username: 'u1', userCred: 'UC', timeStamp: '2026-01-01T00:00:00Z',
  roomCred: 'RC', start: '2026-01-01T00:00:00Z', len: 24, ipSigserver: '127.0.0.1', httpPortList: [8080], httpsPortList: [8443],
  isPrivileged: false, autoIntroduce: true, hasMCU: true,
};

let sockets; let env;
beforeEach(async () => {
  sockets = [];
  const fakes = fakeHost([]);
  env = await testEnv({
    ...fakes.env,
    fetch: async () => ({ status: 200, text: async () => JSON.stringify(API_REPLY) }),
    createSocket: autoConnectSockets(sockets),
  });
});

const until = async (cond, what, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) { if (Date.now() > end) throw new Error(`timed out: ${what}`); await tick(2); }
};
const msg = (sock, m) => sock.fire('message', JSON.stringify(m));
const sentOf = (sock, type) => sock.sent.filter((m) => m.type === type);

async function joined(sk, owner) {
  sk.init({ appKey: 'KEY', defaultRoom: 'room', roomServer: '//api.test' });
  let done = null;
  sk.joinRoom({ audio: false, video: false }, (err) => { done = { err }; });
  await until(() => sockets[0]?.sent.some((m) => m.type === 'joinRoom'), 'joinRoom sent');
  const sock = sockets[0];
  msg(sock, { type: 'inRoom', rid: 'rk', sid: 'SELF', mid: 'SELF', tieBreaker: 1e9, pc_config: { iceServers: [] }, owner });
  await until(() => done, 'joinRoom callback');
  assert.equal(done.err, null);
  return sock;
}

test('startRecording and stopRecording: the messages to the MCU, recordingState and the callbacks', async () => {
  const sk = new Skylink({ env });
  const states = [];
  sk.on('recordingState', (state, id, link, error) => { states.push([state, id, link, error && error.message]); });
  const sock = await joined(sk, 'SELF');

  let started = null;
  sk.startRecording((err, id) => { started = { err, id }; });
  const start = sentOf(sock, 'startRecordingRoom');
  assert.equal(start.length, 1);
  assert.equal(start[0].target, 'MCU');
  assert.equal(start[0].rid, 'rk');
  msg(sock, { type: 'recordingEvent', mid: 'MCU', target: 'SELF', action: 'on', recordingId: 'R1' });
  assert.deepEqual(started, { err: null, id: 'R1' });
  assert.equal(sk.getRecordings().R1.active, true);

  // A second start while one is under way fails at once, without a message.
  let again = null;
  sk.startRecording((err) => { again = err; });
  assert.match(again.message, /existing recording/);
  assert.equal(sentOf(sock, 'startRecordingRoom').length, 1);

  let stopped = null;
  sk.stopRecording((err, ok) => { stopped = { err, ok }; }, true);
  assert.equal(sentOf(sock, 'stopRecordingRoom').length, 1);
  msg(sock, { type: 'recordingEvent', mid: 'MCU', target: 'SELF', action: 'off', recordingId: 'R1' });
  assert.equal(stopped, null, 'callbackSuccessWhenLink: waits for the url');
  msg(sock, { type: 'recordingEvent', mid: 'MCU', target: 'SELF', action: 'url', recordingId: 'R1', url: '/admin/v1/recordings/R1' });
  assert.deepEqual(stopped, { err: null, ok: { link: { mixin: '/admin/v1/recordings/R1' }, recordingId: 'R1' } });
  const rec = sk.getRecordings().R1;
  assert.equal(rec.active, false);
  assert.equal(rec.state, sk.RECORDING_STATE.LINK);
  assert.deepEqual(rec.links, { mixin: '/admin/v1/recordings/R1' });
  assert.deepEqual(states.map((s) => s.slice(0, 2)), [[0, 'R1'], [1, 'R1'], [2, 'R1']]);

  // Nothing under way: stopping fails at once.
  let none = null;
  sk.stopRecording((err) => { none = err; });
  assert.match(none.message, /no recording in-progress/);
  sk.leaveRoom();
});

test('a refusal from the server reaches the start callback; an error of the recording, then off', async () => {
  const sk = new Skylink({ env });
  const states = [];
  sk.on('recordingState', (state, id, link, error) => { states.push([state, id, error && error.message]); });
  const sock = await joined(sk, 'P0');
  let refused = null;
  sk.startRecording((err, id) => { refused = { err, id }; });
  msg(sock, { type: 'recordingEvent', mid: 'MCU', target: 'SELF', action: 'error', error: 'too many recordings' });
  assert.equal(refused.err.message, 'too many recordings');
  assert.equal(refused.id, null);

  // Someone else started one: it is ours to see (and to stop).
  msg(sock, { type: 'recordingEvent', mid: 'MCU', target: 'SELF', action: 'on', recordingId: 'R2' });
  msg(sock, { type: 'recordingEvent', mid: 'MCU', target: 'SELF', action: 'error', recordingId: 'R2', error: 'max-recording-seconds reached' });
  msg(sock, { type: 'recordingEvent', mid: 'MCU', target: 'SELF', action: 'off', recordingId: 'R2' });
  assert.deepEqual(states, [[-1, null, 'too many recordings'], [0, 'R2', null], [-1, 'R2', 'max-recording-seconds reached'], [1, 'R2', null]]);
  assert.equal(sk.getRecordings().R2.error.message, 'max-recording-seconds reached');
  sk.leaveRoom();
});

test('outside an SFU room recording is refused at once', async () => {
  const mesh = await testEnv({ ...env, fetch: async () => ({ status: 200, text: async () => JSON.stringify({ ...API_REPLY, hasMCU: false }) }) });
  const sk = new Skylink({ env: mesh });
  await joined(sk, 'SELF');
  let err = null;
  sk.startRecording((e) => { err = e; });
  assert.match(err.message, /MCU is not connected/);
  assert.equal(sentOf(sockets[0], 'startRecordingRoom').length, 0);
  sk.leaveRoom();
});

test('the room owner: from inRoom, and from the bye of an owner who leaves', async () => {
  const sk = new Skylink({ env });
  const changes = [];
  sk.on('roomOwnerChanged', (peerId, isSelf) => { changes.push([peerId, isSelf]); });
  const sock = await joined(sk, 'P0');
  assert.equal(sk.getRoomOwner(), 'P0');
  msg(sock, { type: 'bye', mid: 'P1', rid: 'rk' });  // not the owner: no change
  msg(sock, { type: 'bye', mid: 'P0', rid: 'rk', owner: 'SELF' });
  assert.equal(sk.getRoomOwner(), 'SELF');
  assert.deepEqual(changes, [['P0', false], ['SELF', true]]);
  sk.leaveRoom();
  await tick(2);
  assert.equal(sk.getRoomOwner(), null);
});
