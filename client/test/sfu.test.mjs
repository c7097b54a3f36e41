// SFU rooms (the API reply says hasMCU): the library keeps one RTCPeerConnection, to the server
// peer 'MCU', speaks SkylinkJS 2.x's MCU protocol on it (enter with publisherId, welcome with
// peersInRoom, mediaInfoList, answerAck, mediaInfoEvent) and gives the page the events of a mesh
// room. Browser objects are the fakes of fakeMedia.mjs, signaling a FakeSocket.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { lib, tick, testEnv, autoConnectSockets } from './helpers.mjs';
import { fakeHost, FakePeerConnection, FakeTrack } from './fakeMedia.mjs';

const { Skylink } = await lib();

const API_REPLY = {
  success: true, cid: 'cid1', apiOwner: 'owner', room_key: 'rk', username: 'u1', userCred: 'UC', timeStamp: '2026-01-01T00:00:00Z',
  roomCred: 'RC', start: '2026-01-01T00:00:00Z', len: 24, ipSigserver: '127.0.0.1', httpPortList: [8080], httpsPortList: [8443],
  isPrivileged: false, autoIntroduce: true, hasMCU: true,
};

const DEVICES = [
  { kind: 'audioinput', deviceId: 'mic1', label: 'Microphone 1', groupId: 'g1' },
  { kind: 'videoinput', deviceId: 'cam1', label: 'Camera 1', groupId: 'g2' },
];

let sockets; let env;
beforeEach(async () => {
  sockets = [];
  const fakes = fakeHost(DEVICES.map((d) => ({ ...d })));
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
const sentTo = (sock, type, target) => sock.sent.filter((m) => m.type === type && (target === undefined || m.target === target));
/** Sent messages of a type, also those inside groups. */
const sentAll = (sock, type) => sock.sent.flatMap((m) => (m.type === 'group' ? m.lists.map((l) => JSON.parse(l)) : [m])).filter((m) => m.type === type);

const member = (id) => ({ mid: id, rid: 'rk', publisherId: id, agent: 'chrome', version: '120', weight: 5,
  userInfo: { userData: id, settings: { audio: true, video: true }, mediaStatus: { audioMuted: false, videoMuted: false } } });

test('an SFU room: one connection to the MCU, events per peer as in a mesh room', async () => {
  const sk = new Skylink({ env });
  const seen = [];
  for (const name of ['peerJoined', 'peerLeft', 'incomingStream', 'streamMuted', 'streamEnded', 'incomingMessage']) {
    sk.on(name, (...args) => { seen.push({ name, args }); });
  }
  sk.init({ appKey: 'KEY', defaultRoom: 'room', roomServer: '//api.test' });
  let joined = null;
  sk.joinRoom({ audio: true, video: true }, (err, ok) => { joined = { err, ok }; });
  await until(() => sockets[0]?.sent.some((m) => m.type === 'joinRoom'), 'joinRoom sent');
  const sock = sockets[0];
  msg(sock, { type: 'inRoom', rid: 'rk', sid: 'SELF', mid: 'SELF', tieBreaker: 1e9, pc_config: { iceServers: [] } });
  await until(() => joined, 'joinRoom callback');
  assert.equal(joined.err, null);

  // enter goes to the MCU, with our id as publisherId.
  const enter = sentTo(sock, 'enter');
  assert.equal(enter.length, 1);
  assert.equal(enter[0].target, 'MCU');
  assert.equal(enter[0].publisherId, 'SELF');

  // Our offer to the MCU follows the enter at once; the MCU's welcome names P1: peerJoined for
  // it (none for the MCU).
  await until(() => sentTo(sock, 'offer', 'MCU').length === 1, 'our offer to the MCU');
  msg(sock, { type: 'welcome', mid: 'MCU', rid: 'rk', target: 'SELF', weight: -1, peersInRoom: [member('P1')] });
  assert.deepEqual(seen.filter((e) => e.name === 'peerJoined' && !e.args[2]).map((e) => e.args[0]), ['P1']);
  await tick(5);
  assert.equal(sentTo(sock, 'offer', 'MCU').length, 1, 'the welcome starts nothing more');
  assert.equal(FakePeerConnection.all.length, 1, 'one RTCPeerConnection');
  const pc = FakePeerConnection.all[0];
  const offer = sentTo(sock, 'offer', 'MCU')[0];
  assert.deepEqual(offer.mediaInfoList.map((i) => [i.publisherId, i.mediaType, i.mediaState, i.transceiverMid]),
    [['SELF', 'audioMic', 'active', '0'], ['SELF', 'videoCamera', 'active', '1']]);
  assert.match(offer.mediaInfoList[0].mediaId, /^AUDIO_/);
  assert.equal(sentTo(sock, 'welcome').length, 0, 'no welcome from us in an SFU room');

  // The MCU's answer is acknowledged.
  msg(sock, { type: 'answer', mid: 'MCU', rid: 'rk', target: 'SELF', sdp: 'mcu-answer', mediaInfoList: [] });
  await until(() => sentTo(sock, 'answerAck', 'MCU').length === 1, 'answerAck');
  assert.equal(sentTo(sock, 'answerAck', 'MCU')[0].success, true);

  // The MCU offers P1's tracks; we answer; the tracks become P1's stream.
  const info = (pub, mid, type) => ({ publisherId: pub, mediaId: `${type}_${pub}`, mediaType: type, mediaState: 'active', transceiverMid: mid });
  msg(sock, { type: 'offer', mid: 'MCU', rid: 'rk', target: 'SELF', sdp: 'mcu-offer-1',
    mediaInfoList: [info('P1', 'f0', 'audioMic'), info('P1', 'f1', 'videoCamera')] });
  await until(() => sentTo(sock, 'answer', 'MCU').length === 1, 'our answer to the MCU');
  const audio = new FakeTrack('audio', DEVICES[0]);
  const video = new FakeTrack('video', DEVICES[1]);
  pc.ontrack({ track: audio, streams: [], transceiver: { mid: 'f0' } });
  pc.ontrack({ track: video, streams: [], transceiver: { mid: 'f1' } });
  await until(() => seen.some((e) => e.name === 'incomingStream' && e.args[0] === 'P1'), 'incomingStream for P1');
  const incoming = seen.filter((e) => e.name === 'incomingStream' && e.args[0] === 'P1');
  assert.equal(incoming.length, 1, 'one announcement for both tracks');
  assert.deepEqual(incoming[0].args[1].getTracks(), [audio, video]);
  assert.equal(sk.getPeersStream().P1, incoming[0].args[1]);

  // A later member comes as the enter the MCU forwards: peerJoined, no welcome back.
  msg(sock, { type: 'enter', ...member('P2') });
  assert.ok(seen.some((e) => e.name === 'peerJoined' && e.args[0] === 'P2'));
  assert.equal(sentTo(sock, 'welcome').length, 0);
  assert.deepEqual(Object.keys(sk.getPeersInRoom()).sort(), ['P1', 'P2', 'SELF']);

  // P1 mutes its camera: the MCU's mediaInfoEvent and P1's own muteVideoEvent give one streamMuted.
  msg(sock, { type: 'mediaInfoEvent', mid: 'MCU', rid: 'rk', target: 'SELF', publisherId: 'P1', mediaId: 'VIDEO_x', mediaType: 'videoCamera', mediaState: 'muted' });
  msg(sock, { type: 'muteVideoEvent', mid: 'P1', rid: 'rk', muted: true, stamp: Date.now() });
  const muted = seen.filter((e) => e.name === 'streamMuted' && e.args[0] === 'P1');
  assert.equal(muted.length, 1);
  assert.equal(muted[0].args[1].mediaStatus.videoMuted, true);

  // We mute: the members hear muteVideoEvent, the MCU a mediaInfoEvent.
  sk.disableVideo();
  await until(() => sentAll(sock, 'muteVideoEvent').length === 1, 'muteVideoEvent', 3000);
  const mi = sentTo(sock, 'mediaInfoEvent', 'MCU');
  assert.deepEqual(mi.map((m) => [m.publisherId, m.mediaType, m.mediaState, m.transceiverMid]), [['SELF', 'videoCamera', 'muted', '1']]);

  // sendP2PMessage has no data channel to go over: it goes as chat over signaling.
  sk.sendP2PMessage('p2p', 'P2');
  assert.equal(sentTo(sock, 'private', 'P2')[0].data, 'p2p');

  // P1 leaves: peerLeft and streamEnded for it; the connection stays.
  msg(sock, { type: 'bye', mid: 'P1', rid: 'rk' });
  assert.ok(seen.some((e) => e.name === 'peerLeft' && e.args[0] === 'P1'));
  assert.ok(seen.some((e) => e.name === 'streamEnded' && e.args[0] === 'P1'));
  assert.notEqual(pc.signalingState, 'closed');
  assert.equal(FakePeerConnection.all.length, 1);

  // Leaving closes it.
  let left = null;
  sk.leaveRoom((err, ok) => { left = { err, ok }; });
  await until(() => left, 'leaveRoom callback');
  assert.equal(pc.signalingState, 'closed');
  assert.ok(seen.some((e) => e.name === 'peerLeft' && e.args[0] === 'P2'));
});

test('an auto room to the SFU: the mesh connection to a peer stays until the MCU brings that peer\'s media', async () => {
  const auto = await testEnv({ ...env, fetch: async () => ({ status: 200, text: async () => JSON.stringify({ ...API_REPLY, hasMCU: false }) }) });
  const sk = new Skylink({ env: auto });
  const seen = [];
  for (const name of ['incomingStream', 'peerLeft']) sk.on(name, (...args) => { seen.push({ name, args }); });
  sk.init({ appKey: 'KEY', defaultRoom: 'room', roomServer: '//api.test' });
  let joined = null;
  sk.joinRoom({ audio: true, video: true }, (err) => { joined = { err }; });
  await until(() => sockets[0]?.sent.some((m) => m.type === 'joinRoom'), 'joinRoom sent');
  const sock = sockets[0];
  assert.equal(sentTo(sock, 'joinRoom')[0].mediaSwitch, true, 'we say we can follow a switch');
  msg(sock, { type: 'inRoom', rid: 'rk', sid: 'SELF', mid: 'SELF', tieBreaker: 1e9, pc_config: { iceServers: [] }, mediaMode: 'mesh' });
  await until(() => joined, 'joinRoom callback');
  msg(sock, { type: 'enter', ...member('P1') });
  await until(() => FakePeerConnection.all.length === 1, 'the mesh connection to P1');
  const mesh = FakePeerConnection.all[0];

  // The room goes through the SFU: enter and offer to the MCU at once, the mesh connection stays.
  msg(sock, { type: 'mediaMode', mid: 'MCU', rid: 'rk', mode: 'sfu' });
  assert.equal(sentTo(sock, 'enter', 'MCU').length, 1);
  assert.equal(sentTo(sock, 'enter', 'MCU')[0].publisherId, 'SELF');
  await until(() => sentTo(sock, 'offer', 'MCU').length === 1, 'our offer to the MCU, before its welcome');
  const pc = FakePeerConnection.all[1];
  msg(sock, { type: 'answer', mid: 'MCU', rid: 'rk', target: 'SELF', sdp: 'mcu-answer', mediaInfoList: [] });
  await until(() => sentTo(sock, 'answerAck', 'MCU').length === 1, 'answerAck');
  const info = (pub, mid, type) => ({ publisherId: pub, mediaId: `${type}_${pub}`, mediaType: type, mediaState: 'active', transceiverMid: mid });
  msg(sock, { type: 'offer', mid: 'MCU', rid: 'rk', target: 'SELF', sdp: 'mcu-offer-1',
    mediaInfoList: [info('P1', 'f0', 'audioMic'), info('P1', 'f1', 'videoCamera')] });
  await until(() => sentTo(sock, 'answer', 'MCU').length === 1, 'our answer to the MCU');
  // The tracks come muted: no packet yet. The page keeps the mesh picture.
  const audio = new FakeTrack('audio', DEVICES[0]);
  const video = new FakeTrack('video', DEVICES[1]);
  audio.muted = true;
  video.muted = true;
  pc.ontrack({ track: audio, streams: [], transceiver: { mid: 'f0' } });
  pc.ontrack({ track: video, streams: [], transceiver: { mid: 'f1' } });
  await tick(10);
  assert.notEqual(mesh.signalingState, 'closed', 'the mesh connection stays while the MCU\'s video has no packet');
  assert.equal(seen.filter((e) => e.name === 'incomingStream' && e.args[0] === 'P1' && e.args[1].getTracks().includes(video)).length, 0);
  // Its video's first packet: the MCU's stream replaces the mesh one, the mesh connection goes.
  video.muted = false;
  video.dispatchEvent(new Event('unmute'));
  await until(() => seen.some((e) => e.name === 'incomingStream' && e.args[0] === 'P1' && e.args[1].getTracks().includes(video)), 'incomingStream through the MCU');
  assert.equal(mesh.signalingState, 'closed');
  assert.notEqual(pc.signalingState, 'closed');
  assert.equal(seen.filter((e) => e.name === 'peerLeft').length, 0, 'nobody left');
  sk.leaveRoom();
});

test('a mesh room (no hasMCU) still sends enter to everyone and welcomes back', async () => {
  const mesh = await testEnv({ ...env, fetch: async () => ({ status: 200, text: async () => JSON.stringify({ ...API_REPLY, hasMCU: false }) }) });
  const sk = new Skylink({ env: mesh });
  sk.init({ appKey: 'KEY', defaultRoom: 'room', roomServer: '//api.test' });
  let joined = null;
  sk.joinRoom({ audio: false, video: false }, (err) => { joined = { err }; });
  await until(() => sockets[0]?.sent.some((m) => m.type === 'joinRoom'), 'joinRoom sent');
  const sock = sockets[0];
  msg(sock, { type: 'inRoom', rid: 'rk', sid: 'SELF', mid: 'SELF', tieBreaker: 1, pc_config: { iceServers: [] } });
  await until(() => joined, 'joinRoom callback');
  const enter = sentTo(sock, 'enter')[0];
  assert.equal(enter.target, undefined);
  assert.equal(enter.publisherId, undefined);
  msg(sock, { type: 'enter', ...member('P1') });
  assert.equal(sentTo(sock, 'welcome', 'P1').length, 1);
  await tick(5);
  sk.leaveRoom();
});

test('activeSpeaker from the MCU: activeSpeakerChanged on each change only, null when silent or when the speaker leaves', async () => {
  const sk = new Skylink({ env });
  const changes = [];
  sk.on('activeSpeakerChanged', (peerId, isSelf) => { changes.push([peerId, isSelf]); });
  sk.init({ appKey: 'KEY', defaultRoom: 'room', roomServer: '//api.test' });
  let joined = null;
  sk.joinRoom({ audio: true, video: false }, (err) => { joined = { err }; });
  await until(() => sockets[0]?.sent.some((m) => m.type === 'joinRoom'), 'joinRoom sent');
  const sock = sockets[0];
  msg(sock, { type: 'inRoom', rid: 'rk', sid: 'SELF', mid: 'SELF', tieBreaker: 1e9, pc_config: { iceServers: [] } });
  await until(() => joined, 'joinRoom callback');
  assert.equal(sk.hasMCU, true);
  assert.equal(sk.activeSpeaker, null);
  msg(sock, { type: 'welcome', mid: 'MCU', rid: 'rk', target: 'SELF', weight: -1, peersInRoom: [member('P1'), member('P2')] });
  const speaker = (publisherId, mid = 'MCU') => msg(sock, { type: 'activeSpeaker', mid, rid: 'rk', target: 'SELF', publisherId });

  speaker('P1');
  speaker('P1'); // the same again: no event
  speaker('P2');
  speaker('SELF'); // we are the loudest: isSelf
  speaker('');     // silence
  speaker('');
  speaker('P2', 'P1'); // not from the MCU: ignored
  assert.deepEqual(changes, [['P1', false], ['P2', false], ['SELF', true], [null, false]]);
  assert.equal(sk.activeSpeaker, null);

  // The speaker leaves: null at once (the MCU names the next speaker when someone speaks).
  speaker('P1');
  assert.equal(sk.activeSpeaker, 'P1');
  msg(sock, { type: 'bye', mid: 'P1', rid: 'rk' });
  assert.deepEqual(changes.slice(4), [['P1', false], [null, false]]);
  // Someone else leaving changes nothing; leaving the room ends on null.
  speaker('P2');
  let left = null;
  sk.leaveRoom((err) => { left = { err }; });
  await until(() => left, 'leaveRoom callback');
  assert.deepEqual(changes.slice(6), [['P2', false], [null, false]]);
  assert.equal(sk.hasMCU, false);
});

test('a mesh room never fires activeSpeakerChanged (nobody sends activeSpeaker there)', async () => {
  const mesh = await testEnv({ ...env, fetch: async () => ({ status: 200, text: async () => JSON.stringify({ ...API_REPLY, hasMCU: false }) }) });
  const sk = new Skylink({ env: mesh });
  const changes = [];
  sk.on('activeSpeakerChanged', (...a) => { changes.push(a); });
  sk.init({ appKey: 'KEY', defaultRoom: 'room', roomServer: '//api.test' });
  let joined = null;
  sk.joinRoom({ audio: false, video: false }, (err) => { joined = { err }; });
  await until(() => sockets[0]?.sent.some((m) => m.type === 'joinRoom'), 'joinRoom sent');
  const sock = sockets[0];
  msg(sock, { type: 'inRoom', rid: 'rk', sid: 'SELF', mid: 'SELF', tieBreaker: 1, pc_config: { iceServers: [] } });
  await until(() => joined, 'joinRoom callback');
  assert.equal(sk.hasMCU, false);
  msg(sock, { type: 'activeSpeaker', mid: 'MCU', rid: 'rk', target: 'SELF', publisherId: 'P1' });
  assert.deepEqual(changes, []);
  assert.equal(sk.activeSpeaker, null);
});
