// The room model against a fake Skylink that records calls and lets the test fire events with
// SkylinkJS 0.6's argument orders: joining, peers, mute, lock and full rooms, reconnecting,
// chat and transfers. Browser globals are stubbed as far as the model needs them.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

globalThis.location = { origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080', protocol: 'http:', search: '' };
const winListeners = {};
globalThis.window = { addEventListener: (n, f) => { winListeners[n] = f; }, innerWidth: 640 };
globalThis.document = { visibilityState: 'visible' };
// The model samples audio levels on an interval while in a call: do not let it keep the test alive.
const realSetInterval = globalThis.setInterval;
globalThis.setInterval = (...a) => { const t = realSetInterval(...a); t.unref?.(); return t; };

const { RoomModel, TIMINGS, screenShareProblem } = await load('src/room/model/RoomModel.ts');
TIMINGS.libraryGraceMs = 30;
TIMINGS.attemptTimeoutMs = 500;

class FakeSkylink {
  constructor() {
    this.calls = [];
    this.handlers = {};
    this.next = { init: null, join: null }; // errors to answer with
    FakeSkylink.last = this;
  }
  on(name, fn) { (this.handlers[name] ??= []).push(fn); }
  off() {}
  emit(name, ...args) { for (const fn of this.handlers[name] ?? []) fn(...args); }
  record(name, ...args) { this.calls.push([name, ...args]); }
  init(o, cb) { this.record('init', o); setTimeout(() => cb(this.next.init, this.next.init ? null : {}), 1); }
  joinRoom(room, o, cb) {
    this.record('joinRoom', room, o);
    this.pendingJoin = cb;
    this.muted = { audioMuted: !!o.audio?.mute, videoMuted: !!o.video?.mute };
  }
  finishJoin(err = null) {
    const cb = this.pendingJoin;
    this.pendingJoin = null;
    if (!err) this.emit('peerJoined', `self-${this.calls.filter((c) => c[0] === 'joinRoom').length}`, { userData: { name: 'Me' }, mediaStatus: { ...this.muted } }, true);
    cb(err, err ? null : {});
  }
  leaveRoom(...a) { this.record('leaveRoom', ...a); }
  getPeerInfo() { return { mediaStatus: { audioMuted: false, videoMuted: false } }; }
}
for (const m of ['lockRoom', 'unlockRoom', 'enableAudio', 'disableAudio', 'enableVideo', 'disableVideo', 'sendMessage', 'sendBlobData',
  'acceptDataTransfer', 'cancelDataTransfer', 'shareScreen', 'stopScreen', 'setUserData']) {
  FakeSkylink.prototype[m] = function (...a) { this.record(m, ...a); };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
const config = { appKey: 'KEY', roomServer: '', lib: 'aerie', keySource: 'server', configError: null };
const choice = { name: 'Me', audioDeviceId: 'mic1', videoDeviceId: 'cam1', hasAudio: true, hasVideo: true, audioMuted: false, videoMuted: true };

async function inCall() {
  const m = new RoomModel('team', { loadConfig: async () => config, loadSkylink: async () => FakeSkylink });
  await m.start();
  await tick();
  const sk = FakeSkylink.last;
  assert.equal(m.store.get().ready, true);
  m.join(choice);
  sk.finishJoin();
  await tick();
  return { m, sk, s: () => m.store.get() };
}

beforeEach(() => { FakeSkylink.last = null; });

test('start: init() with the key, the room, this origin, and no forced https on an http page', async () => {
  const m = new RoomModel('team', { loadConfig: async () => config, loadSkylink: async () => FakeSkylink });
  await m.start();
  const [name, o] = FakeSkylink.last.calls[0];
  assert.equal(name, 'init');
  assert.deepEqual(o, { appKey: 'KEY', defaultRoom: 'team', roomServer: '//127.0.0.1:8080', forceSSL: false });
  assert.equal(m.store.get().phase, 'setup');
  assert.equal(m.store.get().shareUrl, 'http://127.0.0.1:8080/r/team');
});

test('start without a key: an error that says how to get one', async () => {
  const m = new RoomModel('team', { loadConfig: async () => ({ ...config, appKey: '', keySource: 'none' }), loadSkylink: async () => FakeSkylink });
  await m.start();
  assert.equal(m.store.get().phase, 'error');
  assert.match(m.store.get().error, /--site-key/);
});

test('a refused init stays on the setup screen with the reason and a retry', async () => {
  const m = new RoomModel('team', { loadConfig: async () => config, loadSkylink: async () => class extends FakeSkylink { constructor() { super(); this.next.init = { status: 200, errorCode: 4001, error: new Error('unknown app key') }; } } });
  await m.start();
  await tick();
  const s = m.store.get();
  assert.equal(s.phase, 'setup');
  assert.equal(s.ready, false);
  assert.match(s.error, /did not accept.*unknown app key/);
});

test('join: joinRoom() with the chosen devices, mute choices and name; peers, mute and leave', async () => {
  const { m, sk, s } = await inCall();
  const join = sk.calls.find((c) => c[0] === 'joinRoom');
  assert.equal(join[1], 'team');
  assert.deepEqual(join[2], {
    audio: { deviceId: 'mic1', mute: false },
    video: { deviceId: 'cam1', mute: true, resolution: { width: 640, height: 480 } },
    userData: { name: 'Me' },
  });
  assert.equal(s().phase, 'in-call');
  assert.equal(s().videoMuted, true);

  sk.emit('peerJoined', 'p1', { userData: { name: 'Ada' }, mediaStatus: { audioMuted: false, videoMuted: false } }, false);
  sk.emit('peerJoined', 'p2', { userData: 'Bob' }, false);
  assert.deepEqual(s().participants.map((p) => p.name), ['Me', 'Ada', 'Bob']);
  assert.equal(s().announcement.text, 'Bob joined.');

  sk.emit('streamMuted', 'p1', { userData: { name: 'Ada' }, mediaStatus: { audioMuted: true, videoMuted: false } }, false, false);
  assert.equal(s().participants.find((p) => p.key === 'p1').audioMuted, true);

  m.toggleAudio();
  assert.deepEqual(sk.calls.at(-1), ['disableAudio']);
  assert.equal(s().audioMuted, true);
  m.toggleVideo();
  assert.deepEqual(sk.calls.at(-1), ['enableVideo']);

  sk.emit('peerLeft', 'p2', {}, false);
  assert.deepEqual(s().participants.map((p) => p.name), ['Me', 'Ada']);

  m.leave();
  assert.deepEqual(sk.calls.at(-1), ['leaveRoom', true]);
  assert.equal(s().phase, 'left');
  assert.equal(s().participants.length, 0);
});

test('lock: the button calls lockRoom/unlockRoom and roomLock events drive the state', async () => {
  const { m, sk, s } = await inCall();
  m.toggleLock();
  assert.deepEqual(sk.calls.at(-1), ['lockRoom']);
  sk.emit('roomLock', true, 'self-1', {}, true);
  assert.equal(s().locked, true);
  assert.equal(s().announcement.text, 'You locked the room.');
  m.toggleLock();
  assert.deepEqual(sk.calls.at(-1), ['unlockRoom']);
  sk.emit('peerJoined', 'p1', { userData: { name: 'Ada' } }, false);
  sk.emit('roomLock', false, 'p1', { userData: { name: 'Ada' } }, false);
  assert.equal(s().locked, false);
  assert.equal(s().announcement.text, 'Ada unlocked the room.');
});

test('a locked or full room: the blocked screen with the right reason', async () => {
  for (const [info, reason] of [['The room is locked.', 'locked'], ['The room is full (10 peers).', 'full']]) {
    const m = new RoomModel('team', { loadConfig: async () => config, loadSkylink: async () => FakeSkylink });
    await m.start();
    await tick();
    const sk = FakeSkylink.last;
    m.join(choice);
    sk.emit('systemAction', 'reject', info, 'locked');
    sk.finishJoin({ error: new Error(info) });
    assert.equal(m.store.get().phase, 'blocked');
    assert.deepEqual(m.store.get().blocked, { reason, message: info });
  }
});

test('lost signaling: "reconnecting", the library gets a grace period, then init + joinRoom until back', async () => {
  const { sk, s } = await inCall();
  sk.emit('peerJoined', 'p1', { userData: { name: 'Ada' } }, false);
  sk.emit('systemAction', 'warning', 'The server is shutting down.', 'toclose');
  assert.match(s().connectionMessage, /restarting/);
  sk.emit('channelClose', {});
  sk.emit('peerLeft', 'p1', {}, false);
  assert.equal(s().connection, 'reconnecting');
  assert.match(s().connectionMessage, /restarting/);
  const joinsBefore = sk.calls.filter((c) => c[0] === 'joinRoom').length;
  await tick(60);
  // Our attempt: a fresh init(), then joinRoom(); the first one fails.
  assert.equal(sk.calls.filter((c) => c[0] === 'init').length, 2);
  assert.equal(sk.calls.filter((c) => c[0] === 'joinRoom').length, joinsBefore + 1);
  assert.equal(s().reconnectAttempt, 1);
  sk.finishJoin({ error: new Error('socket closed') });
  assert.equal(s().connection, 'reconnecting');
  // The backoff's first step is about a second.
  await tick(1400);
  assert.equal(sk.calls.filter((c) => c[0] === 'joinRoom').length, joinsBefore + 2);
  // Rejoin keeps the user's current mute choices.
  assert.deepEqual(sk.calls.filter((c) => c[0] === 'joinRoom').at(-1)[2].video.mute, true);
  sk.finishJoin();
  await tick();
  assert.equal(s().connection, 'connected');
  assert.equal(s().phase, 'in-call');
  assert.equal(s().selfId, `self-${joinsBefore + 2}`);
  assert.equal(s().announcement.text, 'Reconnected.');
});

test('the library rejoining by itself ends the reconnecting state without an attempt of ours', async () => {
  const { sk, s } = await inCall();
  TIMINGS.libraryGraceMs = 1000;
  try {
    sk.emit('channelClose', {});
    assert.equal(s().connection, 'reconnecting');
    sk.emit('peerJoined', 'self-again', {}, true);
    assert.equal(s().connection, 'connected');
    await tick(1100);
    assert.equal(sk.calls.filter((c) => c[0] === 'joinRoom').length, 1, 'no extra joinRoom');
  } finally {
    TIMINGS.libraryGraceMs = 30;
  }
});

test('chat: messages in the feed, private ones marked, unread counted while the panel is closed', async () => {
  const { m, sk, s } = await inCall();
  sk.emit('peerJoined', 'p1', { userData: { name: 'Ada' } }, false);
  sk.emit('incomingMessage', { content: 'hi all', isPrivate: false, senderPeerId: 'p1' }, 'p1', { userData: { name: 'Ada' } }, false);
  sk.emit('incomingMessage', { content: 'psst', isPrivate: true, senderPeerId: 'p1' }, 'p1', { userData: { name: 'Ada' } }, false);
  assert.equal(s().unread, 2);
  assert.deepEqual(s().feed.map((f) => [f.fromName, f.text, f.isPrivate, f.toName]), [['Ada', 'hi all', false, null], ['Ada', 'psst', true, 'you']]);
  m.setPanelOpen(true);
  assert.equal(s().unread, 0);
  assert.equal(m.sendChat('  back at you ', 'p1'), true);
  assert.deepEqual(sk.calls.at(-1), ['sendMessage', 'back at you', 'p1']);
  sk.emit('incomingMessage', { content: 'back at you', isPrivate: true, targetPeerId: 'p1' }, 'self-1', {}, true);
  assert.deepEqual([s().feed.at(-1).isSelf, s().feed.at(-1).toName], [true, 'Ada']);
  assert.equal(s().unread, 0, 'own messages are not unread');
  assert.equal(m.sendChat('   ', null), false, 'nothing to send');
});

test('transfers: a request, accepted, progress, done with a download URL; a decline stays a decline', async () => {
  const { m, sk, s } = await inCall();
  sk.emit('peerJoined', 'p1', { userData: { name: 'Ada' } }, false);
  sk.emit('peerJoined', 'p2', { userData: { name: 'Bob' } }, false);
  // Incoming.
  sk.emit('incomingDataRequest', 'T1', 'p1', { name: 'a.bin', size: 10, percentage: 0 }, false);
  sk.emit('dataTransferState', 'request', 'T1', 'p1', { name: 'a.bin', size: 10, percentage: 0 }, null);
  const entry = () => s().feed.find((f) => f.id === 'download:T1');
  assert.deepEqual(entry().rows.map((r) => r.status), ['request']);
  assert.equal(s().unread, 1);
  m.answerTransfer('download:T1', true);
  assert.deepEqual(sk.calls.at(-1), ['acceptDataTransfer', 'p1', 'T1', true]);
  sk.emit('dataTransferState', 'downloading', 'T1', 'p1', { percentage: 40 }, null);
  assert.deepEqual([entry().rows[0].status, entry().rows[0].percentage], ['transferring', 40]);
  sk.emit('dataTransferState', 'downloadCompleted', 'T1', 'p1', { percentage: 100, data: new Blob(['0123456789']) }, null);
  assert.deepEqual([entry().rows[0].status, entry().rows[0].percentage], ['done', 100]);
  assert.match(entry().url, /^blob:/);

  // Outgoing to two people: one takes it, one declines (then the send callback reports an error).
  assert.equal(m.sendFile({ name: 'b.bin', size: 5 }, null), null);
  const cb = sk.calls.at(-1)[3];
  for (const p of ['p1', 'p2']) sk.emit('dataTransferState', 'userRequest', 'T2', p, { name: 'b.bin', size: 5 }, null);
  sk.emit('dataTransferState', 'uploadStarted', 'T2', 'p1', { percentage: 0 }, null);
  sk.emit('dataTransferState', 'rejected', 'T2', 'p2', {}, { message: new Error('Peer has rejected data transfer request') });
  sk.emit('dataTransferState', 'uploadCompleted', 'T2', 'p1', { percentage: 100 }, null);
  cb({ transferId: 'T2', transferErrors: { p2: new Error('Peer has rejected data transfer request') } }, null);
  const up = s().feed.find((f) => f.id === 'upload:T2');
  assert.deepEqual(up.rows.map((r) => [r.peerName, r.status, r.percentage]), [['Ada', 'done', 100], ['Bob', 'declined', 0]]);
});

test('sendFile explains why it cannot send', async () => {
  const { m } = await inCall();
  assert.equal(m.sendFile({ name: 'x' }, null), 'Nobody else is in the room yet.');
});

test('screen sharing that does not start is explained in words, with one period (Firefox: NotFoundError without a screen)', async () => {
  const { m, sk, s } = await inCall();
  m.toggleScreen();
  const call = sk.calls.at(-1);
  assert.equal(call[0], 'shareScreen');
  // Headless Firefox rejects getDisplayMedia with this DOMException.
  call[2]({ name: 'NotFoundError', message: 'The object can not be found here.' }, null);
  assert.equal(s().announcement.text, 'Screen sharing did not start: there is no screen or window to share.');
  assert.equal(s().sharingScreen, false);
  assert.equal(screenShareProblem({ name: 'NotAllowedError', message: 'Permission denied' }), 'cancelled or not allowed');
  assert.equal(screenShareProblem(new Error('Screensharing is not supported.')), 'Screensharing is not supported');
  assert.equal(screenShareProblem(null), 'cancelled or not allowed');
});

test('SFU room: the highlight follows the library\'s activeSpeakerChanged, held through a short silence, never on a muted person', async () => {
  const period = TIMINGS.levelPeriodMs;
  TIMINGS.levelPeriodMs = 10;
  try {
    const { m, sk, s } = await inCall();
    sk.hasMCU = true;
    sk.emit('peerJoined', 'p1', { userData: { name: 'Ada' }, mediaStatus: { audioMuted: false, videoMuted: false } }, false);
    sk.emit('peerJoined', 'p2', { userData: { name: 'Bob' }, mediaStatus: { audioMuted: false, videoMuted: false } }, false);
    await tick(40);
    assert.equal(s().speakerKey, null);
    sk.emit('activeSpeakerChanged', 'p2', false);
    await tick(40);
    assert.equal(s().speakerKey, 'p2');
    sk.emit('activeSpeakerChanged', 'self-1', true);
    await tick(40);
    assert.equal(s().speakerKey, 'self', 'our own id is our tile');
    // "Nobody" from the server: the highlight stays for a moment (pauses in speech), then goes.
    sk.emit('activeSpeakerChanged', null, false);
    await tick(40);
    assert.equal(s().speakerKey, 'self', 'held through a short pause');
    await tick(1400);
    assert.equal(s().speakerKey, null);
    // A muted person is not highlighted, whatever the server heard.
    sk.emit('streamMuted', 'p1', { userData: { name: 'Ada' }, mediaStatus: { audioMuted: true, videoMuted: false } }, false, false);
    sk.emit('activeSpeakerChanged', 'p1', false);
    await tick(40);
    assert.equal(s().speakerKey, null);
    m.leave();
  } finally {
    TIMINGS.levelPeriodMs = period;
  }
});

test('more than nine people: the grid pages, and an SFU speaker on another page comes onto the page shown', async () => {
  const period = TIMINGS.levelPeriodMs;
  TIMINGS.levelPeriodMs = 10;
  try {
    const { m, sk, s } = await inCall();
    sk.hasMCU = true;
    for (let i = 1; i <= 8; i++) sk.emit('peerJoined', `p${i}`, { userData: { name: `P${i}` } }, false);
    assert.deepEqual(s().grid, { keys: ['self', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'], page: 0, pages: 1 });
    sk.emit('peerJoined', 'p9', { userData: { name: 'P9' } }, false);
    sk.emit('peerJoined', 'p10', { userData: { name: 'P10' } }, false);
    assert.equal(s().participants.length, 11, 'everyone is a participant (chat, counts), paged or not');
    assert.deepEqual(s().grid, { keys: ['self', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'], page: 0, pages: 2 });
    m.nextPage();
    assert.deepEqual(s().grid, { keys: ['p9', 'p10'], page: 1, pages: 2 });
    m.prevPage();
    sk.emit('activeSpeakerChanged', 'p10', false);
    await tick(40);
    assert.equal(s().speakerKey, 'p10');
    assert.deepEqual(s().grid.keys, ['self', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p10'], 'the speaker took the last tile of the page shown');
    // p9 and p10 leave: one page again.
    sk.emit('peerLeft', 'p9', {}, false);
    sk.emit('peerLeft', 'p10', {}, false);
    assert.deepEqual(s().grid, { keys: ['self', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'], page: 0, pages: 1 });
    m.leave();
    assert.deepEqual(s().grid, { keys: [], page: 0, pages: 1 });
  } finally {
    TIMINGS.levelPeriodMs = period;
  }
});
