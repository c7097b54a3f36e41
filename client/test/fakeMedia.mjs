// Stand-ins for the browser's media and WebRTC objects, as far as the library uses them: tracks
// (EventTarget, getSettings, stop), streams, navigator.mediaDevices with a device list the test
// changes (unplugging), and an RTCPeerConnection with transceivers whose senders record
// replaceTrack(). SDP is opaque text; nothing is encoded or sent.

let nextId = 1;

export class FakeTrack extends EventTarget {
  constructor(kind, device) {
    super();
    this.kind = kind;
    this.id = `track-${nextId++}`;
    this.label = device.label;
    this.device = device;
    this.enabled = true;
    this.readyState = 'live';
  }
  getSettings() { return { deviceId: this.device.deviceId, groupId: this.device.groupId }; }
  stop() { this.readyState = 'ended'; } // like the browser: no 'ended' event
  clone() { return new FakeTrack(this.kind, this.device); }
}

export class FakeStream {
  constructor(tracks = []) { this.id = `stream-${nextId++}`; this.tracks = [...tracks]; }
  getTracks() { return [...this.tracks]; }
  getAudioTracks() { return this.tracks.filter((t) => t.kind === 'audio'); }
  getVideoTracks() { return this.tracks.filter((t) => t.kind === 'video'); }
  addTrack(t) { if (!this.tracks.includes(t)) this.tracks.push(t); }
  removeTrack(t) { this.tracks = this.tracks.filter((x) => x !== t); }
}

const domError = (name, message) => Object.assign(new Error(message), { name });

/** navigator.mediaDevices over a device list; `opened` records every getUserMedia. */
export class FakeMediaDevices extends EventTarget {
  constructor(devices) { super(); this.devices = devices; this.opened = []; this.busy = new Set(); }
  async enumerateDevices() { return this.devices.map((d) => ({ ...d })); }
  async getUserMedia(c) {
    this.opened.push(c);
    const tracks = [];
    for (const kind of ['audio', 'video']) {
      const want = c[kind];
      if (!want) continue;
      const list = this.devices.filter((d) => d.kind === `${kind}input`);
      const id = typeof want === 'object' && want.deviceId ? (want.deviceId.exact ?? want.deviceId.ideal ?? want.deviceId) : null;
      const exact = typeof want === 'object' && want.deviceId && want.deviceId.exact !== undefined;
      let d = id ? list.find((x) => x.deviceId === id) : null;
      if (!d && exact) throw domError('OverconstrainedError', `no ${kind} device ${id}`);
      d ??= list[0];
      if (!d) throw domError('NotFoundError', `no ${kind} device`);
      if (this.busy.has(d.deviceId)) throw domError('NotReadableError', `${d.label} is busy`);
      tracks.push(new FakeTrack(kind, d));
    }
    return new FakeStream(tracks);
  }
}

class FakeSender {
  constructor(track) { this.track = track; this.replaced = []; this.streams = []; }
  async replaceTrack(t) { this.replaced.push(t); this.track = t; }
  setStreams(...s) { this.streams = s; }
}

class FakeTransceiver {
  constructor(kind, track, direction) {
    this.sender = new FakeSender(track);
    this.receiver = { track: { kind } };
    this.direction = direction;
    this.currentDirection = null;
    this.mid = null;
  }
}

export class FakePeerConnection {
  constructor(config) {
    this.config = config;
    this.signalingState = 'stable';
    this.iceConnectionState = 'new';
    this.iceGatheringState = 'new';
    this.localDescription = null;
    this.remoteDescription = null;
    this.transceivers = [];
    this.offers = 0;
    FakePeerConnection.all.push(this);
  }
  getTransceivers() { return [...this.transceivers]; }
  getSenders() { return this.transceivers.map((t) => t.sender); }
  getReceivers() { return this.transceivers.map((t) => t.receiver); }
  addTransceiver(trackOrKind, init = {}) {
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const t = new FakeTransceiver(track ? track.kind : trackOrKind, track, init.direction ?? 'sendrecv');
    if (init.streams?.length) t.sender.streams = init.streams;
    this.transceivers.push(t);
    return t;
  }
  async createOffer() { this.offers++; return { type: 'offer', sdp: `fake-offer-${this.offers}` }; }
  async createAnswer() { return { type: 'answer', sdp: 'fake-answer' }; }
  async setLocalDescription(d) {
    if (d.type === 'rollback') { this.signalingState = 'stable'; return; }
    this.localDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-local-offer' : 'stable';
    this.transceivers.forEach((t, i) => { t.mid ??= String(i); });
    this.onsignalingstatechange?.();
  }
  async setRemoteDescription(d) {
    this.remoteDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-remote-offer' : 'stable';
    if (d.type === 'answer') for (const t of this.transceivers) t.currentDirection = t.direction;
    this.onsignalingstatechange?.();
  }
  async addIceCandidate() {}
  createDataChannel(label) { return { label, close() {}, addEventListener() {} }; }
  close() { this.signalingState = 'closed'; }
}
FakePeerConnection.all = [];

/** The host parts the fakes stand in for, to hand to `new Skylink({ env })`: nothing global is patched. */
export function fakeHost(devices) {
  const mediaDevices = new FakeMediaDevices(devices);
  FakePeerConnection.all = [];
  return {
    mediaDevices,
    env: {
      hasWebRTC: () => true,
      createPeerConnection: (config) => new FakePeerConnection(config),
      mediaDevices: () => mediaDevices,
      createMediaStream: (tracks) => new FakeStream(tracks),
      isMediaStream: (x) => x instanceof FakeStream,
    },
  };
}
