// The library's own steps never go through the page's events. A page listener on every event that
// returns false (SkylinkJS then skips the later listeners of that event) or throws, or a page that
// drops all its listeners with off(), must not stop init(), joinRoom(), the handshake with peers
// (both roles), chat, P2P messages, a file transfer or getPeers(). Browser objects are the fakes
// of fakeMedia.mjs, signaling a FakeSocket, all handed in through `new Skylink({ env })`.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { lib, tick, testEnv, autoConnectSockets } from './helpers.mjs';
import { fakeHost, FakePeerConnection } from './fakeMedia.mjs';

const { Skylink } = await lib();

const API_REPLY = {
  success: true, cid: 'cid1', apiOwner: 'owner', room_key: 'rk', username: 'u1', userCred: 'UC', timeStamp: '2026-01-01T00:00:00Z',
  roomCred: 'RC', start: '2026-01-01T00:00:00Z', len: 24, ipSigserver: '127.0.0.1', httpPortList: [8080], httpsPortList: [8443],
  isPrivileged: true, autoIntroduce: true,
};

const DEVICES = [
  { kind: 'audioinput', deviceId: 'mic1', label: 'Microphone 1', groupId: 'g1' },
  { kind: 'videoinput', deviceId: 'cam1', label: 'Camera 1', groupId: 'g2' },
];

/** Every event of the library's event map (SkylinkEvents in src/events.ts). */
const EVENTS = [
  'readyStateChange', 'channelOpen', 'channelClose', 'channelMessage', 'channelError', 'channelRetry', 'socketError',
  'peerJoined', 'peerUpdated', 'peerLeft', 'peerRestart', 'sessionDisconnect', 'incomingStream', 'incomingMessage',
  'incomingData', 'incomingDataRequest', 'dataTransferState', 'dataChannelState', 'mediaAccessSuccess', 'mediaAccessError',
  'mediaAccessFallback', 'mediaAccessStopped', 'mediaAccessRequired', 'mediaDeviceLost', 'localMediaMuted', 'streamMuted',
  'streamEnded', 'roomLock', 'systemAction', 'handshakeProgress', 'peerConnectionState', 'iceConnectionState',
  'candidateGenerationState', 'getPeersStateChange', 'introduceStateChange', 'recordingState',
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

/** A data channel as the peer would open it, already open; records what we send on it. */
function openChannel(label) {
  return { label, readyState: 'open', binaryType: 'blob', sent: [], send(d) { this.sent.push(typeof d === 'string' ? JSON.parse(d) : d); }, close() {}, addEventListener() {} };
}

/**
 * A whole session with `page` listening to every event first: init, joinRoom with camera and
 * microphone, one peer we offer to (lower weight) and one that offers to us (higher weight), chat
 * both ways, a P2P message both ways, a file from the peer, getPeers(). Returns what the page's
 * later listeners (the recorder) saw.
 */
async function session(page) {
  const sk = new Skylink({ env });
  for (const name of EVENTS) sk.on(name, page);
  const seen = [];
  for (const name of EVENTS) sk.on(name, (...args) => { seen.push(name); return args; });

  let initResult = null;
  sk.init({ appKey: 'KEY', defaultRoom: 'room', roomServer: '//api.test' }, (err, ok) => { initResult = { err, ok }; });
  let joinResult = null;
  sk.joinRoom({ audio: true, video: true, userData: 'me' }, (err, ok) => { joinResult = { err, ok }; });
  await until(() => initResult, 'init callback');
  assert.equal(initResult.err, null);
  await until(() => sockets[0]?.sent.some((m) => m.type === 'joinRoom'), 'joinRoom sent');
  const sock = sockets[0];
  msg(sock, { type: 'inRoom', rid: 'rk', sid: 'SELF', mid: 'SELF', tieBreaker: 1e9, pc_config: { iceServers: [] } });
  await until(() => joinResult, 'joinRoom callback');
  assert.equal(joinResult.err, null);
  assert.equal(joinResult.ok.peerId, 'SELF');
  assert.equal(sk.peerId, 'SELF');
  assert.equal(sentTo(sock, 'enter').length, 1, 'enter sent after inRoom');

  // Peer A (lower weight): enter → our welcome; its welcome → our offer; its answer.
  const hello = (id, weight) => ({ mid: id, rid: 'rk', weight, agent: 'chrome', version: '120', enableDataChannel: true,
    enableIceTrickle: true, DTProtocolVersion: '0.1.3', userInfo: { userData: id, settings: { audio: true, video: true }, mediaStatus: {} } });
  const pcs = FakePeerConnection.all.length;
  msg(sock, { type: 'enter', ...hello('A', 1) });
  assert.equal(sentTo(sock, 'welcome', 'A').length, 1, 'welcome to A');
  msg(sock, { type: 'welcome', target: 'SELF', ...hello('A', 1) });
  await until(() => sentTo(sock, 'offer', 'A').length === 1, 'our offer to A');
  msg(sock, { type: 'answer', mid: 'A', target: 'SELF', sdp: 'fake-answer' });
  const pcA = FakePeerConnection.all[pcs];
  await until(() => pcA.signalingState === 'stable' && pcA.remoteDescription, 'A\'s answer applied');
  msg(sock, { type: 'candidate', mid: 'A', target: 'SELF', candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', id: '0', label: 0 });

  // Peer B (higher weight): our enter reached it, it welcomes us; we welcome back; it offers, we answer.
  msg(sock, { type: 'welcome', target: 'SELF', ...hello('B', 2e9) });
  assert.equal(sentTo(sock, 'welcome', 'B').length, 1, 'welcome back to B');
  msg(sock, { type: 'offer', mid: 'B', target: 'SELF', sdp: 'fake-offer-from-B' });
  await until(() => sentTo(sock, 'answer', 'B').length === 1, 'our answer to B');
  const pcB = FakePeerConnection.all[pcs + 1];
  assert.equal(pcB.remoteDescription.sdp, 'fake-offer-from-B');
  assert.deepEqual(Object.keys(sk.getPeersInRoom()).sort(), ['A', 'B', 'SELF']);

  // Chat: ours goes out (public and private), theirs is taken in.
  sk.sendMessage('hello all');
  sk.sendMessage('hello A', 'A');
  await until(() => sock.sent.some((m) => m.type === 'public' || (m.type === 'group' && m.lists.some((l) => JSON.parse(l).type === 'public'))), 'public chat sent', 3000);
  assert.equal(sentTo(sock, 'private', 'A')[0].data, 'hello A');
  msg(sock, { type: 'public', mid: 'A', rid: 'rk', data: 'hi from A' });

  // B's data channel: a P2P message each way, then a data URL transfer from B that we accept.
  const ch = openChannel('B_SELF');
  pcB.ondatachannel({ channel: ch });
  await tick(5);
  sk.sendP2PMessage('p2p to B', 'B');
  assert.deepEqual(ch.sent.map((m) => [m.type, m.data]), [['MESSAGE', 'p2p to B']]);
  ch.onmessage({ data: JSON.stringify({ type: 'MESSAGE', sender: 'B', target: 'SELF', data: 'p2p from B', isPrivate: true }) });
  ch.onmessage({ data: JSON.stringify({ type: 'WRQ', transferId: 'T1', sender: 'B', name: 'T1', size: 10, originalSize: 10,
    dataType: 'data', chunkType: 'string', chunkSize: 10, timeout: 60, isPrivate: true, agent: 'chrome', version: '120' }) });
  sk.acceptDataTransfer('B', 'T1', true);
  assert.deepEqual(ch.sent.at(-1), { type: 'ACK', sender: 'SELF', ackN: 0 });
  ch.onmessage({ data: 'data:,abcd' + '0' });
  assert.deepEqual(ch.sent.at(-1), { type: 'ACK', sender: 'SELF', ackN: 1 }, 'the whole transfer is acknowledged');
  assert.deepEqual(sk.getCurrentDataTransfers(), {}, 'the transfer is over');

  // getPeers(): the callback gets the server's list.
  let peerList = null;
  sk.getPeers((err, list) => { peerList = list; });
  assert.equal(sentTo(sock, 'getPeers').length, 1);
  msg(sock, { type: 'peerList', mid: 'server', result: { room: ['A', 'B', 'SELF'] } });
  assert.deepEqual(peerList, { room: ['A', 'B', 'SELF'] });

  // Leaving: every peer goes, the socket closes; the callback comes.
  let left = null;
  sk.leaveRoom((err, ok) => { left = { err, ok }; });
  await until(() => left, 'leaveRoom callback');
  assert.equal(left.err, null);
  assert.equal(pcA.signalingState, 'closed');
  assert.equal(pcB.signalingState, 'closed');
  assert.ok(sock.disconnected);
  return seen;
}

test('a page listener that returns false on every event stops the later listeners, not the library', async () => {
  const seen = await session(() => false);
  assert.deepEqual(seen, [], 'SkylinkJS semantics: false skips the later listeners of that event');
});

test('a page listener that throws on every event stops neither the library nor the later listeners', async () => {
  const error = console.error;
  let reported = 0;
  console.error = () => { reported++; };
  let seen;
  try {
    seen = await session(() => { throw new Error('page bug'); });
  } finally { console.error = error; }
  assert.ok(reported > 0, 'the exceptions are reported');
  for (const name of ['readyStateChange', 'channelOpen', 'peerJoined', 'handshakeProgress', 'incomingStream', 'incomingMessage',
    'incomingDataRequest', 'incomingData', 'getPeersStateChange', 'peerLeft', 'channelClose']) {
    assert.ok(seen.includes(name), `later listeners still get ${name}`);
  }
});

test('a page that removes all its listeners (off()) while joining still gets joinRoom\'s callback', async () => {
  const sk = new Skylink({ env });
  let joinResult = null;
  sk.init({ appKey: 'KEY', defaultRoom: 'room', roomServer: '//api.test' });
  sk.joinRoom({ audio: false, video: false }, (err, ok) => { joinResult = { err, ok }; });
  await until(() => sockets[0]?.sent.some((m) => m.type === 'joinRoom'), 'joinRoom sent');
  sk.off();
  msg(sockets[0], { type: 'inRoom', rid: 'rk', sid: 'SELF', mid: 'SELF', tieBreaker: 5, pc_config: { iceServers: [] } });
  await until(() => joinResult, 'joinRoom callback');
  assert.equal(joinResult.err, null);
  assert.equal(joinResult.ok.peerId, 'SELF');
  // A rejected join still fails through the same private channel.
  let second = null;
  sk.joinRoom('other', { audio: false, video: false }, (err) => { second = err; });
  await until(() => sockets[1]?.sent.some((m) => m.type === 'joinRoom'), 'second joinRoom sent');
  sk.on('systemAction', () => false);
  sk.on('channelClose', () => false);
  msg(sockets[1], { type: 'redirect', action: 'reject', reason: 'locked', info: 'Room is locked' });
  await until(() => second, 'rejected joinRoom callback');
  assert.equal(second.error.message, 'Room is locked');
  assert.equal(sk.peerId, null);
});
