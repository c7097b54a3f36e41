// The in-call camera and microphone: the pickers switch through the library's
// switchMediaDevice() (no leaving the room), a failed switch and a lost device leave a note, a
// device lost with no other one turns the control off, and a rejoin uses the current devices.
// The room model runs against a fake Skylink (SkylinkJS argument orders) and a fake device list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

globalThis.location = { origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080', protocol: 'http:', search: '' };
globalThis.window = { addEventListener() {}, innerWidth: 640 };
globalThis.document = { visibilityState: 'visible' };
const realSetInterval = globalThis.setInterval;
globalThis.setInterval = (...a) => { const t = realSetInterval(...a); t.unref?.(); return t; };
const DEVICES = [
  { kind: 'audioinput', deviceId: 'mic1', label: 'Desk microphone' },
  { kind: 'videoinput', deviceId: 'cam1', label: 'Front camera' },
  { kind: 'videoinput', deviceId: 'cam2', label: '' },
  { kind: 'audiooutput', deviceId: 'spk', label: 'Speakers' },
];
Object.defineProperty(globalThis, 'navigator', {
  value: { mediaDevices: { enumerateDevices: async () => DEVICES, addEventListener() {}, removeEventListener() {} } }, configurable: true,
});

const { RoomModel } = await load('src/room/model/RoomModel.ts');
const { deviceOptions, lostDeviceText, switchFailedText, trackDeviceId } = await load('src/room/model/devices.ts');

const track = (kind, deviceId) => ({ kind, readyState: 'live', getSettings: () => ({ deviceId }) });
const stream = (...tracks) => ({ getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'), getVideoTracks: () => tracks.filter((t) => t.kind === 'video') });

class FakeSkylink {
  constructor() { this.calls = []; this.handlers = {}; FakeSkylink.last = this; }
  on(name, fn) { (this.handlers[name] ??= []).push(fn); }
  off() {}
  emit(name, ...args) { for (const fn of this.handlers[name] ?? []) fn(...args); }
  init(o, cb) { setTimeout(() => cb(null, {}), 1); }
  joinRoom(room, o, cb) { this.calls.push(['joinRoom', o]); this.emit('peerJoined', 'SELF', { mediaStatus: { audioMuted: false, videoMuted: false } }, true); setTimeout(() => cb(null, {}), 1); }
  leaveRoom() {}
  getPeerInfo() { return { mediaStatus: { audioMuted: false, videoMuted: false } }; }
  switchMediaDevice(kind, id, cb) { this.calls.push(['switchMediaDevice', kind, id]); this.pending = cb; }
}
class OldSkylink extends FakeSkylink {}
OldSkylink.prototype.switchMediaDevice = undefined;

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
const config = { appKey: 'KEY', roomServer: '', lib: 'aerie', keySource: 'server', configError: null };

async function inCall(Lib = FakeSkylink) {
  const m = new RoomModel('team', { loadConfig: async () => config, loadSkylink: async () => Lib });
  await m.start();
  await tick();
  m.join({ name: 'Me', audioDeviceId: null, videoDeviceId: null, hasAudio: true, hasVideo: true, audioMuted: false, videoMuted: false });
  await tick();
  const sk = FakeSkylink.last;
  sk.emit('incomingStream', 'SELF', stream(track('audio', 'mic1'), track('video', 'cam1')), true, sk.getPeerInfo(), false, 's1');
  await tick();
  return { m, sk, s: () => m.store.get(), d: () => m.devices.store.get() };
}

test('device lists, the device a stream uses, and what the user is told', () => {
  assert.deepEqual(deviceOptions(DEVICES), {
    cameras: [{ id: 'cam1', label: 'Front camera' }, { id: 'cam2', label: 'Camera 2' }],
    microphones: [{ id: 'mic1', label: 'Desk microphone' }],
  });
  assert.equal(trackDeviceId(stream(track('video', 'cam2')), 'video'), 'cam2');
  assert.equal(trackDeviceId(stream(track('video', 'cam2')), 'audio'), null);
  assert.equal(trackDeviceId(null, 'video'), null);
  assert.equal(lostDeviceText('video', { deviceId: 'cam1', label: 'Front camera' }, { deviceId: 'cam2', label: 'Back camera' }),
    'Your camera “Front camera” stopped working. Now using “Back camera”.');
  assert.match(lostDeviceText('audio', { deviceId: 'm', label: '' }, null), /^Your microphone stopped working and there is no other microphone: the others cannot hear you/);
  assert.match(switchFailedText('video', { id: 'cam2', label: 'Back camera' }, { name: 'NotReadableError' }), /“Back camera”: it is busy.*previous one/);
});

test('in the call: the lists and the devices in use; the picker switches through switchMediaDevice', async () => {
  const { m, sk, s, d } = await inCall();
  assert.equal(d().supported, true);
  assert.equal(d().cameraId, 'cam1');
  assert.equal(d().microphoneId, 'mic1');
  assert.equal(d().cameras.length, 2);
  const p = m.switchDevice('video', 'cam2');
  assert.deepEqual(sk.calls.at(-1), ['switchMediaDevice', 'video', 'cam2']);
  assert.equal(d().switching, 'video');
  assert.equal(sk.calls.filter((c) => c[0] === 'joinRoom').length, 1, 'no leave, no join');
  sk.pending(null, stream(track('audio', 'mic1'), track('video', 'cam2')));
  await p;
  assert.equal(d().switching, null);
  assert.equal(d().cameraId, 'cam2');
  assert.equal(s().announcement.text, 'Now using “Camera 2”.');
  assert.equal(s().phase, 'in-call');
  // The same device again: nothing to do.
  await m.switchDevice('video', 'cam2');
  assert.equal(sk.calls.filter((c) => c[0] === 'switchMediaDevice').length, 1);
  // A rejoin (reconnect) opens the camera now in use.
  m.tryAgain();
  await tick(20);
  assert.deepEqual(sk.calls.filter((c) => c[0] === 'joinRoom').at(-1)[1].video.deviceId, 'cam2');
});

test('a switch that fails: a note says why, the device in use stays', async () => {
  const { m, sk, d } = await inCall();
  const p = m.switchDevice('video', 'cam2');
  sk.pending(Object.assign(new Error('Could not start video source'), { name: 'NotReadableError' }), null);
  await p;
  assert.equal(d().cameraId, 'cam1');
  assert.match(d().notice.text, /Could not switch to the camera “Camera 2”: it is busy/);
  m.devices.dismissNotice();
  assert.equal(d().notice, null);
});

test('a lost device: the note names both, the picker follows; none left turns the control off', async () => {
  const { sk, s, d } = await inCall();
  sk.emit('mediaDeviceLost', 'video', { deviceId: 'cam1', label: 'Front camera' }, { deviceId: 'cam2', label: 'Camera 2' }, {});
  await tick();
  assert.equal(d().cameraId, 'cam2');
  assert.equal(d().notice.text, 'Your camera “Front camera” stopped working. Now using “Camera 2”.');
  assert.equal(s().announcement.text, d().notice.text, 'also read out and toasted');
  assert.equal(s().hasVideo, true);

  sk.emit('mediaDeviceLost', 'video', { deviceId: 'cam2', label: 'Camera 2' }, null, {});
  // The library then reports us as video-muted (no video): the app's own mute choice stays.
  sk.emit('peerUpdated', 'SELF', { mediaStatus: { audioMuted: false, videoMuted: true } }, true);
  await tick();
  assert.equal(s().hasVideo, false, 'the camera button is off: nothing to turn on');
  assert.equal(s().videoMuted, false);
  assert.equal(d().cameraId, null);
  assert.match(d().notice.text, /no other camera: the others cannot see you/);
});

test('SkylinkJS 0.6 (no switchMediaDevice): no in-call pickers', async () => {
  const { m, d } = await inCall(OldSkylink);
  assert.equal(d().supported, false);
  await m.switchDevice('video', 'cam2');
  assert.equal(d().cameraId, 'cam1');
});
