// The public face: SkylinkJS 0.6's API (method names, argument juggling, callbacks and events)
// over the signaling client, the peer sessions, the data-transfer manager and media. The order
// of a page's calls does not matter: joinRoom() waits for a running init() and reports its error.
//
// Lifetime: init() creates nothing long-lived; joinRoom() opens the signaling connection and one
// PeerSession per peer; leaveRoom() (or a rejected/failed connection) closes them all, firing
// peerLeft for each peer and then for ourselves.
//
// Skylink is a facade over two page-level parts, our media (media/LocalMedia) and who we are to the
// others (peer/LocalProfile), and at most one room/RoomSession, the owner of one joined room (its
// signaling client, peers, data channels and state). Each part gets a narrow interface, not a
// shared state object; internal steps (joinRoom() waiting for `inRoom`, getPeers()) use private
// channels, so the page's listeners (one that returns false, one that throws) cannot stall them.
// The host (WebRTC, media devices, fetch, socket.io, timers, location) comes in as one HostEnv:
// the browser's by default, `new Skylink({ env })` replaces parts of it (the unit tests do).
import * as C from './constants.js';
import { InitError, type JoinRoomError } from './errors.js';
import { Emitter, type SkylinkEvents, type PeerInfo } from './events.js';
import { logger, setLevel } from './log.js';
import { hostEnv, type HostEnv } from './env.js';
import { requestSession, type RoomCredentials } from './signaling/ApiClient.js';
import { SIG } from './signaling/messages.js';
import type { MediaOptions } from './media/settings.js';
import { LocalMedia } from './media/LocalMedia.js';
import { isMediaKind } from './media/devices.js';
import { LocalProfile } from './peer/LocalProfile.js';
import { RoomSession } from './room/RoomSession.js';
import { RoomRecordings, type RecordingInfo } from './room/RoomRecordings.js';
import { MCU_ID } from './room/McuLink.js';
import { normalizeInit, type InitOptions, type NormalizedInit } from './config.js';
import { browserAgent, type Callback, type Emit, type PeerRecord } from './context.js';

export type { InitOptions } from './config.js';

const log = logger('skylink');

export interface JoinRoomOptions extends MediaOptions {
  userData?: unknown;
  bandwidth?: { audio?: number; video?: number; data?: number };
  [k: string]: unknown;
}

/** Not in SkylinkJS: `new Skylink({ env })` runs the library on another host (tests, shims). */
export interface SkylinkOptions {
  /** Replaces parts of the browser's environment (see HostEnv). */
  env?: Partial<HostEnv>;
}

/** SkylinkJS' loose arguments: a number, string, array, boolean or function, each in its role. */
type Loose = unknown;

/** The emitter, typed with the constants SkylinkJS keeps on the prototype (assigned at the end of this file). */
const SkylinkBase = Emitter as new () => Emitter<SkylinkEvents> & Readonly<typeof C.CONSTANTS>;

export class Skylink extends SkylinkBase {
  private readonly env: HostEnv;
  private readyState: number | null = null;
  private initTask: Promise<RoomCredentials> | null = null;
  private joinSeq = 0;
  private initOptions: NormalizedInit | null = null;
  /** The API's answer for selectedRoom (from init(), or joinRoom() of another room). */
  private credentials: RoomCredentials | null = null;
  private selectedRoom: string | null = null;
  /** The room we are in or joining; null outside one. */
  private room: RoomSession | null = null;
  private readonly profile: LocalProfile;
  private readonly media: LocalMedia;
  private readonly recordings: RoomRecordings;

  constructor(options?: SkylinkOptions) {
    super();
    const env = hostEnv(options && typeof options === 'object' ? options.env : undefined);
    this.env = env;
    const emit: Emit = (name, ...args) => this.emit(name, ...args);
    this.media = new LocalMedia({
      env,
      emit,
      audioFallback: () => !!this.initOptions?.audioFallback,
      room: () => this.room,
    });
    this.recordings = new RoomRecordings(emit, () => env.now());
    this.profile = new LocalProfile({
      agent: browserAgent(env.userAgent()),
      platform: () => env.platform(),
      media: this.media,
      options: () => this.initOptions,
    });
  }

  /** The room's peers by id (the e2e suites read `skylink.peers`: rec.session.pc). */
  private get peers(): ReadonlyMap<string, PeerRecord> { return this.room?.peers.records ?? new Map(); }

  // ---- init -----------------------------------------------------------------------------------

  init(options?: InitOptions | string | Callback, callback?: Callback): void {
    let opts: InitOptions = {};
    let cb: Callback = () => undefined;
    if (typeof options === 'function') cb = options;
    else if (typeof options === 'string') opts = { appKey: options };
    else if (options && typeof options === 'object') opts = { ...options };
    if (typeof callback === 'function') cb = callback;
    const page = this.env.pageLocation();
    const norm = normalizeInit(opts, this.env.scriptOrigin ?? (page ? `//${page.host}` : '//api.temasys.io'));
    this.initOptions = norm;
    this.selectedRoom = norm.defaultRoom;
    const room = norm.defaultRoom;
    const task = this.runInit(norm, room);
    this.initTask = task;
    task.then((credentials) => {
      if (this.initTask !== task) return;
      cb(null, { ...norm, serverUrl: credentials.url, readyState: this.readyState, selectedRoom: room });
    }, (e: InitError) => {
      if (this.initTask !== task) return;
      cb({ error: new Error(e.message), errorCode: e.errorCode, status: e.status }, null);
    });
  }

  private async runInit(o: NormalizedInit, room: string): Promise<RoomCredentials> {
    this.setReadyState(C.READY_STATE_CHANGE.INIT, null, room);
    try {
      if (!o.appKey) throw InitError.noKey();
      if (!this.env.hasWebRTC()) {
        throw new InitError('badReply', 'WebRTC not available', C.READY_STATE_CHANGE_ERROR.NO_WEBRTC_SUPPORT, -2);
      }
      this.setReadyState(C.READY_STATE_CHANGE.LOADING, null, room);
      const credentials = await this.fetchCredentials(o, room);
      this.credentials = credentials;
      this.setReadyState(C.READY_STATE_CHANGE.COMPLETED, null, room);
      return credentials;
    } catch (e) {
      const err = e instanceof InitError ? e : InitError.network(0);
      this.setReadyState(C.READY_STATE_CHANGE.ERROR, err, room);
      throw err;
    }
  }

  private fetchCredentials(o: NormalizedInit, room: string): Promise<RoomCredentials> {
    return requestSession({
      roomServer: o.roomServer, appKey: o.appKey, room, credentials: o.credentials, forceSSL: o.forceSSL,
      timeoutMs: o.apiTimeout, retries: 2,
    }, this.env);
  }

  private setReadyState(state: number, error: InitError | null, room: string): void {
    this.readyState = state;
    this.emit('readyStateChange', state, error ? error.toReadyStateError() : null, room);
  }

  // ---- joinRoom / leaveRoom -------------------------------------------------------------------

  joinRoom(room?: string | JoinRoomOptions | Callback, options?: JoinRoomOptions | Callback, callback?: Callback): void {
    let selected = this.initOptions?.defaultRoom ?? null;
    let media: JoinRoomOptions = {};
    let cb: Callback | null = null;
    if (typeof room === 'string' && room) selected = room;
    else if (room && typeof room === 'object') media = room;
    else if (typeof room === 'function') cb = room;
    if (options && typeof options === 'object') media = options;
    else if (typeof options === 'function') cb = options;
    if (typeof callback === 'function') cb = callback;
    const seq = ++this.joinSeq;
    const fail = (error: Error, errorCode: number | null = null) => {
      log.error('joinRoom failed:', error.message);
      const e: JoinRoomError = { room: selected, errorCode, error };
      cb?.(e, null);
    };
    if (room === null || typeof room === 'number' || typeof room === 'boolean') { fail(new Error('Invalid room name is provided')); return; }
    this.doJoin(seq, selected, media).then((peerId) => {
      if (seq !== this.joinSeq) return;
      cb?.(null, { room: this.selectedRoom, peerId, peerInfo: this.getPeerInfo() });
    }, (e: unknown) => {
      if (seq !== this.joinSeq) return;
      if (e instanceof InitError) fail(new Error(e.message), e.errorCode);
      else fail(e instanceof Error ? e : new Error(String(e)), this.readyState);
    });
  }

  private async doJoin(seq: number, room: string | null, media: JoinRoomOptions): Promise<string> {
    // The seed calls joinRoom() right after init(): wait for it (and fail with its error).
    if (!this.initTask) throw new InitError('noKey', 'init() has not been called', C.READY_STATE_CHANGE_ERROR.NO_PATH, -2);
    await this.initTask;
    const o = this.initOptions!;
    const target = room ?? o.defaultRoom;
    const stale = () => seq !== this.joinSeq;
    if (this.room) await this.leaveInternal({ userMedia: media.audio === false && media.video === false, screenshare: true }, false);
    if (stale()) throw new Error('joinRoom() process did not complete');
    if (target !== this.selectedRoom || !this.credentials) {
      this.credentials = await this.fetchCredentials(o, target);
      this.selectedRoom = target;
    }
    const credentials = this.credentials;
    if (stale()) throw new Error('joinRoom() process did not complete');
    if (media.userData !== undefined) this.profile.userData = media.userData;
    const bandwidth: Record<string, number> = {};
    if (media.bandwidth && typeof media.bandwidth === 'object') {
      for (const k of ['audio', 'video', 'data'] as const) if (typeof media.bandwidth[k] === 'number') bandwidth[k] = media.bandwidth[k]!;
    }
    this.profile.bandwidth = bandwidth;
    const session = new RoomSession({
      env: this.env,
      emit: (name, ...args) => this.emit(name, ...args),
      observer: { ended: (s) => { if (this.room === s) { this.room = null; this.recordings.leftRoom(); } } },
      options: o,
      credentials,
      roomName: target,
      profile: this.profile,
      media: this.media,
      recordings: this.recordings,
    });
    this.room = session;
    await session.connect();
    if (stale()) throw new Error('joinRoom() process did not complete');
    if (media.audio || media.video) await this.media.acquireUserMedia(media);
    if (stale()) throw new Error('joinRoom() process did not complete');
    return session.join();
  }

  leaveRoom(stopMediaOptions?: boolean | { userMedia?: boolean; screenshare?: boolean } | Callback, callback?: Callback): void {
    let stop = { userMedia: true, screenshare: true };
    let cb: Callback | null = null;
    if (typeof stopMediaOptions === 'boolean') stop = { userMedia: stopMediaOptions, screenshare: stopMediaOptions };
    else if (stopMediaOptions && typeof stopMediaOptions === 'object') {
      stop = { userMedia: stopMediaOptions.userMedia !== false, screenshare: stopMediaOptions.screenshare !== false };
    } else if (typeof stopMediaOptions === 'function') cb = stopMediaOptions;
    if (typeof callback === 'function') cb = callback;
    this.joinSeq++;
    const wasIn = !!this.room;
    const selfId = this.room?.sid ?? null;
    const room = this.selectedRoom;
    this.leaveInternal(stop, true).then(() => {
      if (!wasIn) { cb?.(new Error('Unable to leave room as user is not in any room'), null); return; }
      cb?.(null, { peerId: selfId, previousRoom: room });
    });
  }

  private async leaveInternal(stop: { userMedia: boolean; screenshare: boolean }, emitSelf: boolean): Promise<void> {
    const session = this.room;
    const selfId = session?.sid ?? null;
    const wasIn = !!session?.state.inRoom;
    // Every peer leaves (peerLeft), then the socket closes (channelClose: the client no longer
    // reports to us, the session says it).
    session?.leave();
    this.room = null;
    this.recordings.leftRoom();
    if (stop.screenshare && this.media.hasScreen()) this.media.stopLocal('screen');
    if (stop.userMedia && this.media.hasUserMedia()) this.media.stopLocal('user');
    if (emitSelf && wasIn && selfId && session) this.emit('peerLeft', selfId, session.selfInfo(), true);
  }

  lockRoom(): void { this.setLock(true); }
  unlockRoom(): void { this.setLock(false); }

  private setLock(lock: boolean): void {
    const room = this.room;
    const selfId = room?.selfId;
    if (!room || !selfId) return;
    room.sendRoom({ type: SIG.ROOM_LOCK, lock });
    room.state.locked = lock;
    this.emit('roomLock', lock, selfId, this.getPeerInfo(), true);
  }

  // ---- recording (SFU rooms) ------------------------------------------------------------------

  /**
   * SkylinkJS 0.6.37's startRecording(callback): asks the MCU to record the room. The callback
   * gets the recording id once `recordingState` START comes (every member gets that event), or
   * the error: not an SFU room, a recording under way, or the server's refusal.
   */
  startRecording(callback?: Callback): void {
    const cb = typeof callback === 'function' ? callback : null;
    const room = this.room;
    if (!room?.selfId || !room.mcu) { cb?.(new Error('Unable to start recording as MCU is not connected'), null); return; }
    if (this.recordings.current) { cb?.(new Error('Unable to start recording as there is an existing recording in-progress'), null); return; }
    if (cb) this.onceRecordingAnswer(C.RECORDING_STATE.START, cb);
    room.sendRoom({ type: SIG.START_RECORDING, target: MCU_ID });
  }

  /**
   * SkylinkJS 0.6.37's stopRecording(callback, callbackSuccessWhenLink): the callback gets the
   * recording id at STOP, or `{link, recordingId}` at LINK when callbackSuccessWhenLink (aerie's
   * link is the admin API's path of the recording: it needs the admin token). Unlike 0.6.37 there
   * is no 4-second minimum.
   */
  stopRecording(callback?: Callback, callbackSuccessWhenLink?: boolean): void {
    const cb = typeof callback === 'function' ? callback : null;
    const room = this.room;
    if (!room?.selfId || !room.mcu) { cb?.(new Error('Unable to stop recording as MCU is not connected'), null); return; }
    const id = this.recordings.current;
    if (!id) { cb?.(new Error('Unable to stop recording as there is no recording in-progress'), null); return; }
    if (cb) {
      this.once('recordingState', (state, recordingId, link, error) => {
        if (state === C.RECORDING_STATE.ERROR) cb(error, null);
        else if (callbackSuccessWhenLink) cb(null, { link, recordingId });
        else cb(null, recordingId);
      }, (state, recordingId) => (recordingId === id || recordingId === null) &&
        (state === C.RECORDING_STATE.ERROR || state === (callbackSuccessWhenLink ? C.RECORDING_STATE.LINK : C.RECORDING_STATE.STOP)));
    }
    room.sendRoom({ type: SIG.STOP_RECORDING, target: MCU_ID });
  }

  /** SkylinkJS 0.6.37's getRecordings(): every recording heard of, by id. */
  getRecordings(): Record<string, RecordingInfo> { return this.recordings.list(); }

  /** Not in SkylinkJS: the room's owner as aerie names it (the member longest in the room), or null. */
  getRoomOwner(): string | null { return this.room?.state.owner ?? null; }

  /** A start's answer: START (the id) or the ERROR that names no other recording (the refusal). */
  private onceRecordingAnswer(expected: number, cb: Callback): void {
    this.once('recordingState', (state, recordingId, _link, error) => {
      if (state === C.RECORDING_STATE.ERROR) cb(error, null);
      else cb(null, recordingId);
    }, (state) => state === expected || state === C.RECORDING_STATE.ERROR);
  }

  // ---- peer info ------------------------------------------------------------------------------

  getPeerInfo(peerId?: string): PeerInfo {
    return this.room ? this.room.getPeerInfo(peerId) : this.profile.selfInfo({ room: this.selectedRoom, weight: 0 });
  }

  getUserData(peerId?: string): unknown {
    if (peerId && this.room?.peers.has(peerId)) return this.room.peers.getUserData(peerId);
    return this.profile.userData;
  }

  setUserData(userData: unknown): void {
    this.profile.userData = userData === undefined || userData === null ? '' : userData;
    const room = this.room;
    const selfId = room?.selfId;
    if (!room || !selfId) return;
    room.sendRoom({ type: SIG.UPDATE_USER, userData: this.profile.userData, stamp: this.env.now() });
    this.emit('peerUpdated', selfId, this.getPeerInfo(), true);
  }

  /** Peers in the room with their info (SkylinkJS getPeersInRoom). */
  getPeersInRoom(): Record<string, PeerInfo & { isSelf: boolean }> { return this.room?.peers.getPeersInRoom() ?? {}; }
  getPeersStream(): Record<string, MediaStream | null> { return this.room?.peers.getPeersStream() ?? {}; }

  /** Privileged keys only: asks the server for the peers of the realm. */
  getPeers(showAll?: boolean | Callback, callback?: Callback): void {
    const cb = typeof showAll === 'function' ? showAll : callback;
    if (!this.credentials?.isPrivileged) { log.warn('getPeers() needs a privileged key'); return; }
    // The answer reaches the callback on the room's private channel, whatever the page's listeners do.
    this.room?.requestPeers(showAll === true, cb ? (list) => cb(null, list) : null);
    this.emit('getPeersStateChange', C.GET_PEERS_STATE.ENQUIRED, this.room?.sid ?? '', null);
  }

  introducePeer(sendingPeerId: string, receivingPeerId: string): void {
    if (!this.credentials?.isPrivileged) return;
    this.room?.sendRoom({ type: SIG.INTRODUCE, sendingPeerId, receivingPeerId });
    this.emit('introduceStateChange', C.INTRODUCE_STATE.INTRODUCING, this.room?.sid ?? '', sendingPeerId, receivingPeerId);
  }

  // ---- messages -------------------------------------------------------------------------------

  sendMessage(message: unknown, targetPeerId?: string | string[]): void {
    const room = this.room;
    const selfId = room?.selfId;
    if (!room || !selfId) { log.error('Unable to send message as User is not in Room.'); return; }
    const targets = Array.isArray(targetPeerId) ? targetPeerId : typeof targetPeerId === 'string' && targetPeerId ? [targetPeerId] : null;
    if (!targets) {
      room.sendRoom({ type: SIG.PUBLIC_MESSAGE, cid: room.cid, data: message });
      return; // echoed to the page when actually sent (the session's onSent), as SkylinkJS does
    }
    const list = targets.filter((id) => room.peers.has(id));
    for (const id of list) room.sendRoom({ type: SIG.PRIVATE_MESSAGE, cid: room.cid, data: message, target: id });
    this.emit('incomingMessage', { content: message, isPrivate: true, targetPeerId: targetPeerId ?? null, listOfPeers: list,
      isDataChannel: false, senderPeerId: selfId }, selfId, this.getPeerInfo(), true);
  }

  sendP2PMessage(message: unknown, targetPeerId?: string | string[]): void {
    const room = this.room;
    const selfId = room?.selfId;
    if (!room || !selfId) { log.error('Unable to send message as User is not in Room.'); return; }
    if (!this.initOptions!.enableDataChannel) { log.error('Datachannel is disabled'); return; }
    const isPrivate = Array.isArray(targetPeerId) || (typeof targetPeerId === 'string' && !!targetPeerId);
    const targets = Array.isArray(targetPeerId) ? targetPeerId : isPrivate ? [targetPeerId as string] : room.peers.ids();
    let list: string[];
    if (room.mcu) {
      // SFU rooms: one message to the MCU, which passes it on; over signaling (isDataChannel
      // false on both sides) while the channel to the MCU is not open.
      list = targets.filter((id) => room.peers.has(id));
      if (!room.data.sendP2PMessageVia(MCU_ID, isPrivate ? list : [], message, isPrivate)) { this.sendMessage(message, targetPeerId); return; }
    } else {
      list = targets.filter((id) => room.data.sendP2PMessage(id, message, isPrivate));
    }
    this.emit('incomingMessage', { content: message, isPrivate, targetPeerId: targetPeerId ?? null, listOfPeers: list,
      isDataChannel: true, senderPeerId: selfId }, selfId, this.getPeerInfo(), true);
  }

  // ---- data transfers -------------------------------------------------------------------------

  sendBlobData(data: Blob, timeout?: Loose, targetPeerId?: Loose, sendChunksAsBinary?: Loose, callback?: Callback): void {
    this.startTransfer(data, 'blob', [timeout, targetPeerId, sendChunksAsBinary, callback]);
  }

  sendURLData(data: string, timeout?: Loose, targetPeerId?: Loose, callback?: Callback): void {
    this.startTransfer(data, 'data', [timeout, targetPeerId, callback]);
  }

  private startTransfer(data: Blob | string, sessionType: 'blob' | 'data', args: Loose[]): void {
    let timeout = 60;
    let peers: string[] | null = null;
    let binary = false;
    let cb: Callback | null = null;
    let isPrivate = false;
    // SkylinkJS' loose positional rules: a number is the timeout, a string/array the targets,
    // a boolean the binary flag, a function the callback.
    for (const a of args) {
      if (typeof a === 'number') timeout = a;
      else if (typeof a === 'string' && a) { peers = [a]; isPrivate = true; }
      else if (Array.isArray(a)) { peers = a; isPrivate = true; }
      else if (typeof a === 'boolean') binary = binary || a;
      else if (typeof a === 'function') cb = a as Callback;
    }
    const room = this.room;
    const list = peers ?? room?.peers.ids() ?? [];
    const info = { name: null, size: null, dataType: sessionType === 'blob' ? 'blob' : 'dataURL', timeout, isPrivate, direction: 'upload', percentage: 0 };
    const failAll = (msg: string) => {
      const errs: Record<string, Error> = {};
      if (list.length === 0) errs.self = new Error(msg); else for (const p of list) errs[p] = new Error(msg);
      cb?.({ transferId: null, transferInfo: info, listOfPeers: list, transferErrors: errs }, null);
    };
    if (sessionType === 'blob' && !(typeof Blob !== 'undefined' && data instanceof Blob && data.size > 0)) { failAll('Provided data is not a valid Blob data.'); return; }
    if (sessionType === 'data' && !(typeof data === 'string' && data)) { failAll('Provided data is not a dataURL'); return; }
    if (!room || !room.selfId) { failAll('Unable to send any data. User is not in Room.'); return; }
    if (!this.initOptions!.enableDataChannel) { failAll('Unable to send any data. Datachannel is disabled'); return; }
    if (list.length === 0) { failAll('Unable to send any data. There are no Peers to start data transfer with'); return; }
    room.data.send(data, sessionType, list, timeout, binary, isPrivate, (result, isError) => {
      if (!cb) return;
      if (isError) cb(result, null); else cb(null, result);
    });
  }

  acceptDataTransfer(peerId: string, transferId: string, accept: boolean): void {
    if (!this.room?.data.accept(peerId, transferId, !!accept)) log.error('acceptDataTransfer: no such request', peerId, transferId);
  }
  respondBlobRequest(peerId: string, transferId: string, accept: boolean): void { this.acceptDataTransfer(peerId, transferId, accept); }

  cancelDataTransfer(peerId: string, transferId: string): void {
    if (!this.room?.data.cancel(peerId, transferId)) log.error('cancelDataTransfer: no such transfer', peerId, transferId);
  }
  cancelBlobTransfer(peerId: string, transferId: string): void { this.cancelDataTransfer(peerId, transferId); }

  getCurrentDataTransfers(): Record<string, unknown> { return this.room?.data.current() ?? {}; }

  // ---- media ----------------------------------------------------------------------------------

  /** SkylinkJS getUserMedia(options, callback): gets a camera/microphone stream outside joinRoom. */
  getUserMedia(options?: MediaOptions | Callback, callback?: Callback): void { this.media.getUserMedia(options, callback); }
  sendStream(options: MediaOptions | MediaStream, callback?: Callback): void { this.media.sendStream(options, callback); }
  stopStream(): void { this.media.stopStream(); }
  shareScreen(enableAudio?: boolean | Callback | unknown, mediaSource?: unknown, callback?: Callback): void {
    this.media.shareScreen(enableAudio, mediaSource, callback);
  }
  stopScreen(): void { this.media.stopScreen(); }
  /**
   * Not in SkylinkJS: uses another camera ('video') or microphone ('audio') for our stream while
   * in the room, without renegotiating: the same stream object gets the new track, every peer
   * connection's sender replaceTrack()s to it, mute state is kept. Fires mediaAccessSuccess, and
   * in a room incomingStream and peerUpdated for ourselves; callback(error, stream).
   */
  switchMediaDevice(kind: 'audio' | 'video', deviceId: string, callback?: Callback): void {
    if (!isMediaKind(kind) || typeof deviceId !== 'string' || !deviceId) {
      const e = new Error('switchMediaDevice(kind, deviceId): kind is "audio" or "video", deviceId a device id from enumerateDevices()');
      log.error(e.message);
      callback?.(e, null);
      return;
    }
    this.media.switchDevice(kind, deviceId, callback);
  }
  muteStream(options: { audioMuted?: boolean; videoMuted?: boolean }): void { this.media.muteStream(options); }

  enableAudio(): void { this.muteStream({ audioMuted: false, videoMuted: this.media.muted.videoMuted }); }
  disableAudio(): void { this.muteStream({ audioMuted: true, videoMuted: this.media.muted.videoMuted }); }
  enableVideo(): void { this.muteStream({ videoMuted: false, audioMuted: this.media.muted.audioMuted }); }
  disableVideo(): void { this.muteStream({ videoMuted: true, audioMuted: this.media.muted.audioMuted }); }

  // ---- connections ----------------------------------------------------------------------------

  refreshConnection(targetPeerId?: Loose, iceRestart?: Loose, options?: Loose, callback?: Callback): void {
    let list: string[] = [...this.peers.keys()];
    let ice = false;
    let cb: Callback | null = null;
    for (const a of [targetPeerId, iceRestart, options, callback]) {
      if (typeof a === 'string') list = [a];
      else if (Array.isArray(a)) list = a;
      else if (typeof a === 'boolean') ice = a;
      else if (typeof a === 'function') cb = a as Callback;
    }
    const errors: Record<string, Error> = {};
    const settings: Record<string, unknown> = {};
    if (list.length === 0) errors.self = new Error('There is currently no peer connections to restart');
    for (const id of list) {
      const rec = this.peers.get(id);
      if (!rec) { errors[id] = new Error('Peer connection with peer does not exists. Unable to restart'); continue; }
      rec.session.negotiate({ iceRestart: ice });
      settings[id] = { iceRestart: ice, customSettings: {} };
      this.emit('peerRestart', id, this.getPeerInfo(id), true, ice);
    }
    if (!cb) return;
    if (Object.keys(errors).length > 0) cb({ refreshErrors: errors, listOfPeers: list, refreshSettings: settings }, null);
    else cb(null, { listOfPeers: list, refreshSettings: settings });
  }

  // ---- misc -----------------------------------------------------------------------------------

  setLogLevel(level: number): void { setLevel(level); }
  setDebugMode(on: boolean | Record<string, unknown>): void { if (on) setLevel(C.LOG_LEVEL.DEBUG); }

  generateUUID(): string {
    if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
      const r = (Math.random() * 16) | 0;
      return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
    });
  }

  /** Our peer id in the room, or null outside a room (not in SkylinkJS; handy for tests). */
  get peerId(): string | null { return this.room?.sid ?? null; }
  /** In an SFU room (the API said hasMCU): media goes through the server (not in SkylinkJS 0.6). */
  get hasMCU(): boolean { return !!this.room?.mcu; }
  /** SFU rooms: the room's loudest publisher now (as `activeSpeakerChanged` last said), null when nobody speaks or in a mesh room. */
  get activeSpeaker(): string | null { return this.room?.activeSpeaker ?? null; }
  isRoomLocked(): boolean { return this.room?.state.locked ?? false; }
}

// The constants live on the prototype, as in SkylinkJS (`skylink.READY_STATE_CHANGE...`).
Object.assign(Skylink.prototype, C.CONSTANTS);
