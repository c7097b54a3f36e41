// Device changes during a call: switchMediaDevice() swaps the track on every peer connection
// (replaceTrack, no new offer), keeps the stream object and the mute state, and a peer that comes
// later gets the new device; a track that ends on its own falls back to another device of its
// kind, or, with none left, the stream goes on without that kind (a new offer, video recvonly).
// Browser objects are the fakes of fakeMedia.mjs; signaling is a FakeSocket.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { lib, tick, testEnv, autoConnectSockets } from './helpers.mjs';
import { fakeHost, FakePeerConnection } from './fakeMedia.mjs';

const { Skylink, fallbackOrder, deviceConstraints } = await lib();

const API_REPLY = {
  success: true, cid: 'cid1', apiOwner: 'owner', room_key: 'rk', username: 'u1', userCred: 'UC', timeStamp: '2026-01-01T00:00:00Z',
  roomCred: 'RC', start: '2026-01-01T00:00:00Z', len: 24, ipSigserver: '127.0.0.1', httpPortList: [8080], httpsPortList: [8443],
  pc_constraints: '{}', offer_constraints: '{}', media_constraints: '{}', isPrivileged: false, autoIntroduce: true,
};

const DEVICES = [
  { kind: 'audioinput', deviceId: 'default', label: 'Default microphone', groupId: 'gm1' },
  { kind: 'audioinput', deviceId: 'mic1', label: 'Microphone 1', groupId: 'gm1' },
  { kind: 'audioinput', deviceId: 'mic2', label: 'Microphone 2', groupId: 'gm2' },
  { kind: 'videoinput', deviceId: 'cam0', label: 'Camera 0', groupId: 'gc0' },
  { kind: 'videoinput', deviceId: 'cam1', label: 'Camera 1', groupId: 'gc1' },
];

let sockets; let fakes; let env;
beforeEach(async () => {
  sockets = [];
  fakes = fakeHost(DEVICES.map((d) => ({ ...d })));
  env = await testEnv({
    ...fakes.env,
    fetch: async () => ({ status: 200, text: async () => JSON.stringify(API_REPLY) }),
    createSocket: autoConnectSockets(sockets),
  });
});

const until = async (cond, what, ms = 1000) => {
  const end = Date.now() + ms;
  while (!cond()) { if (Date.now() > end) throw new Error(`timed out: ${what}`); await tick(2); }
};

/** Joins a room with the camera and microphone; returns the page's view: events, streams, sends. */
async function joined() {
  const sk = new Skylink({ env });
  const log = [];
  for (const ev of ['mediaAccessSuccess', 'incomingStream', 'peerUpdated', 'mediaDeviceLost', 'mediaAccessStopped', 'streamEnded', 'peerLeft', 'mediaAccessError']) {
    sk.on(ev, (...args) => log.push([ev, ...args]));
  }
  let joinedId = null;
  sk.init({ appKey: 'KEY', defaultRoom: 'room', roomServer: '//api.test', enableDataChannel: false });
  sk.joinRoom({ audio: true, video: true }, (err, ok) => { assert.equal(err, null); joinedId = ok.peerId; });
  await until(() => sockets[0]?.sent.some((m) => m.type === 'joinRoom'), 'joinRoom sent');
  const sock = sockets[0];
  sock.fire('message', JSON.stringify({ type: 'inRoom', rid: 'rk', sid: 'SELF', mid: 'SELF', tieBreaker: 1e9, pc_config: { iceServers: [] } }));
  await until(() => joinedId === 'SELF', 'joined');
  const selfStream = log.find((e) => e[0] === 'incomingStream' && e[3] === true)[2];
  return { sk, log, sock, selfStream };
}

/** A peer with a lower weight arrives: enter, welcome, our offer, its answer. Returns its connection. */
async function addPeer(sock, id) {
  const before = FakePeerConnection.all.length;
  const hello = { mid: id, rid: 'rk', weight: 1, agent: 'chrome', version: '120', enableDataChannel: false, enableIceTrickle: true,
    userInfo: { userData: id, settings: { audio: true, video: true }, mediaStatus: { audioMuted: false, videoMuted: false } } };
  sock.fire('message', JSON.stringify({ type: 'enter', ...hello }));
  sock.fire('message', JSON.stringify({ type: 'welcome', target: 'SELF', ...hello }));
  await until(() => offersTo(sock, id).length === 1, `offer to ${id}`);
  sock.fire('message', JSON.stringify({ type: 'answer', mid: id, target: 'SELF', sdp: 'fake-answer' }));
  const pc = FakePeerConnection.all[before];
  await until(() => pc.signalingState === 'stable' && pc.remoteDescription, `answer from ${id} applied`);
  return pc;
}

const offersTo = (sock, id) => sock.sent.filter((m) => m.type === 'offer' && m.target === id);
const senderOf = (pc, kind) => pc.transceivers.find((t) => t.receiver.track.kind === kind).sender;
const since = (log, n) => log.slice(n).map((e) => e[0]);

test('devices: the fallback order skips the lost device and prefers another physical one', () => {
  const lost = { deviceId: 'mic1', groupId: 'gm1' };
  assert.deepEqual(fallbackOrder(DEVICES, 'audio', lost, new Set()).map((d) => d.deviceId), ['mic2', 'default'],
    '"default" points at the same microphone (same group): last');
  assert.deepEqual(fallbackOrder(DEVICES, 'audio', lost, new Set(['mic2'])).map((d) => d.deviceId), ['default']);
  assert.deepEqual(fallbackOrder(DEVICES, 'video', { deviceId: 'cam0', groupId: 'gc0' }, new Set()).map((d) => d.deviceId), ['cam1']);
  assert.deepEqual(fallbackOrder(DEVICES.filter((d) => d.kind === 'audioinput'), 'video', { deviceId: 'cam0' }, new Set()), []);
});

test('devices: constraints for one device keep the stream\'s own and require the device', () => {
  const base = { audio: { echoCancellation: true, deviceId: { ideal: 'mic1' } }, video: { width: { max: 640 }, height: { max: 480 }, deviceId: { ideal: 'cam0' } } };
  assert.deepEqual(deviceConstraints(base, 'video', 'cam1'), { audio: false, video: { width: { max: 640 }, height: { max: 480 }, deviceId: { exact: 'cam1' } } });
  assert.deepEqual(deviceConstraints(base, 'audio', 'mic2'), { audio: { echoCancellation: true, deviceId: { exact: 'mic2' } }, video: false });
  assert.deepEqual(deviceConstraints(undefined, 'video', 'cam1'), { audio: false, video: { deviceId: { exact: 'cam1' } } });
});

test('switchMediaDevice: replaceTrack on every peer, same stream, mute kept, no offer; a later peer gets the new camera', async () => {
  const { sk, log, sock, selfStream } = await joined();
  const pcP = await addPeer(sock, 'P');
  const oldCam = selfStream.getVideoTracks()[0];
  assert.equal(oldCam.device.deviceId, 'cam0');
  assert.equal(senderOf(pcP, 'video').track, oldCam);
  sk.muteStream({ audioMuted: false, videoMuted: true });
  const n = log.length;

  const result = await new Promise((resolve) => sk.switchMediaDevice('video', 'cam1', (err, s) => resolve({ err, s })));
  assert.equal(result.err, null);
  assert.equal(result.s, selfStream, 'the callback gets the stream the page already holds');
  const cam = selfStream.getVideoTracks()[0];
  assert.equal(selfStream.getVideoTracks().length, 1);
  assert.equal(cam.device.deviceId, 'cam1');
  assert.equal(oldCam.readyState, 'ended', 'the old camera is released');
  assert.equal(cam.enabled, false, 'still muted');
  assert.equal(senderOf(pcP, 'video').track, cam, 'the peer connection sends the new camera');
  assert.equal(senderOf(pcP, 'audio').track, selfStream.getAudioTracks()[0], 'the microphone is untouched');
  await tick(20);
  assert.equal(offersTo(sock, 'P').length, 1, 'no renegotiation');
  assert.deepEqual(since(log, n), ['mediaAccessSuccess', 'incomingStream', 'peerUpdated']);
  const inc = log.slice(n).find((e) => e[0] === 'incomingStream');
  assert.deepEqual([inc[1], inc[2], inc[3], inc[5]], ['SELF', selfStream, true, false]);
  assert.equal(sk.getPeerInfo().settings.video.deviceId, 'cam1');
  assert.equal(sk.getPeerInfo().mediaStatus.videoMuted, true);
  // The same device again: nothing to do.
  const again = await new Promise((resolve) => sk.switchMediaDevice('video', 'cam1', (err, s) => resolve({ err, s })));
  assert.equal(selfStream.getVideoTracks()[0], cam);
  assert.equal(again.s, selfStream);

  // A peer that arrives after the switch gets the new camera in its first offer.
  const pcQ = await addPeer(sock, 'Q');
  assert.equal(senderOf(pcQ, 'video').track, cam);
  assert.deepEqual(senderOf(pcQ, 'video').streams, [selfStream]);

  // A device that cannot be opened: an error, and the current camera stays.
  const bad = await new Promise((resolve) => sk.switchMediaDevice('video', 'nope', (err, s) => resolve({ err, s })));
  assert.equal(bad.err.name, 'OverconstrainedError');
  assert.equal(selfStream.getVideoTracks()[0], cam);
  assert.equal(log.at(-1)[0], 'mediaAccessError');
  sk.leaveRoom();
});

test('switchMediaDevice: a busy camera is released first and opened again', async () => {
  const { sk, sock, selfStream } = await joined();
  await addPeer(sock, 'P');
  fakes.mediaDevices.busy.add('cam1');
  const opened = fakes.mediaDevices.opened.length;
  const old = selfStream.getVideoTracks()[0];
  // The fake frees cam1 once ours is stopped (as a driver that allows one camera at a time).
  const realStop = old.stop.bind(old);
  old.stop = () => { realStop(); fakes.mediaDevices.busy.delete('cam1'); };
  const r = await new Promise((resolve) => sk.switchMediaDevice('video', 'cam1', (err, s) => resolve({ err, s })));
  assert.equal(r.err, null);
  assert.equal(fakes.mediaDevices.opened.length - opened, 2, 'tried, released, tried again');
  assert.equal(selfStream.getVideoTracks()[0].device.deviceId, 'cam1');
  sk.leaveRoom();
});

test('a camera that ends on its own falls back to another one; with none left the stream goes on without video', async () => {
  const { sk, log, sock, selfStream } = await joined();
  const pcP = await addPeer(sock, 'P');
  const n = log.length;
  const cam0 = selfStream.getVideoTracks()[0];
  // Unplugged: the browser ends the track (here the event alone, as a page could dispatch it).
  cam0.dispatchEvent(new Event('ended'));
  await until(() => log.some((e) => e[0] === 'mediaDeviceLost'), 'mediaDeviceLost');
  const lost = log.find((e) => e[0] === 'mediaDeviceLost');
  assert.deepEqual(lost.slice(1), ['video', { deviceId: 'cam0', label: 'Camera 0' }, { deviceId: 'cam1', label: 'Camera 1' }, selfStream]);
  const cam1 = selfStream.getVideoTracks()[0];
  assert.equal(cam1.device.deviceId, 'cam1');
  assert.equal(cam0.readyState, 'ended');
  assert.equal(senderOf(pcP, 'video').track, cam1);
  assert.deepEqual(since(log, n), ['mediaDeviceLost', 'mediaAccessSuccess', 'incomingStream', 'peerUpdated']);
  await tick(20);
  assert.equal(offersTo(sock, 'P').length, 1, 'no renegotiation for a replacement');

  // Both cameras unplugged: nothing to fall back to.
  fakes.mediaDevices.devices = fakes.mediaDevices.devices.filter((d) => d.kind !== 'videoinput');
  const m = log.length;
  cam1.dispatchEvent(new Event('ended'));
  await until(() => log.slice(m).some((e) => e[0] === 'mediaDeviceLost'), 'second mediaDeviceLost');
  const none = log.slice(m).find((e) => e[0] === 'mediaDeviceLost');
  assert.deepEqual(none.slice(1), ['video', { deviceId: 'cam1', label: 'Camera 1' }, null, selfStream]);
  assert.deepEqual(since(log, m), ['mediaDeviceLost', 'incomingStream', 'peerUpdated'], 'no mediaAccessSuccess: no device was opened');
  assert.equal(selfStream.getVideoTracks().length, 0);
  assert.equal(selfStream.getAudioTracks().length, 1, 'the microphone goes on');
  const video = pcP.transceivers.find((t) => t.receiver.track.kind === 'video');
  assert.equal(video.sender.track, null);
  assert.equal(video.direction, 'recvonly', 'still receives the peer\'s video');
  await until(() => offersTo(sock, 'P').length === 2, 'an offer without our video');
  assert.equal(offersTo(sock, 'P')[1].userInfo.settings.video, false, 'peers learn we send no video');
  assert.equal(sk.getPeerInfo().mediaStatus.videoMuted, true);
  assert.ok(!log.slice(m).some((e) => e[0] === 'mediaAccessStopped'), 'the stream itself goes on');

  // A camera plugged in again: the page picks it, video comes back (a kind that comes renegotiates).
  fakes.mediaDevices.devices.push({ kind: 'videoinput', deviceId: 'cam2', label: 'Camera 2', groupId: 'gc2' });
  sock.fire('message', JSON.stringify({ type: 'answer', mid: 'P', target: 'SELF', sdp: 'fake-answer' }));
  await until(() => pcP.signalingState === 'stable', 'second answer');
  const r = await new Promise((resolve) => sk.switchMediaDevice('video', 'cam2', (err, s) => resolve({ err, s })));
  assert.equal(r.err, null);
  assert.equal(video.sender.track, selfStream.getVideoTracks()[0]);
  assert.equal(video.direction, 'sendrecv');
  await until(() => offersTo(sock, 'P').length === 3, 'an offer with our video again');
  sk.leaveRoom();
});

test('a microphone alone that ends with no other one left: the stream ends', async () => {
  const { sk, log, sock } = await joined();
  await addPeer(sock, 'P');
  // An audio-only stream: drop the camera first, then the microphones.
  fakes.mediaDevices.devices = fakes.mediaDevices.devices.filter((d) => d.kind !== 'videoinput');
  const stream = log.find((e) => e[0] === 'incomingStream' && e[3] === true)[2];
  stream.getVideoTracks()[0].dispatchEvent(new Event('ended'));
  await until(() => log.some((e) => e[0] === 'mediaDeviceLost'), 'camera lost');
  fakes.mediaDevices.devices = [];
  const n = log.length;
  stream.getAudioTracks()[0].dispatchEvent(new Event('ended'));
  await until(() => log.slice(n).some((e) => e[0] === 'mediaAccessStopped'), 'stream stopped');
  const lost = log.slice(n).find((e) => e[0] === 'mediaDeviceLost');
  assert.deepEqual(lost.slice(1), ['audio', { deviceId: 'default', label: 'Default microphone' }, null, null]);
  assert.ok(log.slice(n).some((e) => e[0] === 'streamEnded' && e[1] === 'SELF' && e[3] === true));
  assert.equal(sk.getPeerInfo().config.receiveOnly, true);
  sk.leaveRoom();
});

test('switchMediaDevice rejects a bad kind or device id', async () => {
  const sk = new Skylink({ env });
  const errs = [];
  sk.switchMediaDevice('screen', 'x', (e) => errs.push(e));
  sk.switchMediaDevice('video', '', (e) => errs.push(e));
  assert.equal(errs.length, 2);
  assert.match(errs[0].message, /"audio" or "video"/);
});
