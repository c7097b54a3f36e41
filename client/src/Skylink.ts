// The public face: SkylinkJS 0.6's API (method names, argument juggling, callbacks and events)
// over the signaling client, the peer sessions, the data-transfer manager and media. The order
// of a page's calls does not matter: joinRoom() waits for a running init() and reports its error.
//
// Lifetime: init() creates nothing long-lived; joinRoom() opens the signaling connection and one
// PeerSession per peer; leaveRoom() (or a rejected/failed connection) closes them all, firing
// peerLeft for each peer and then for ourselves.
//
// Skylink is a facade: the room's signaling lives in room/RoomSignaling, our streams in
// media/LocalMedia, peer info in peer/PeerDirectory; they share one SkylinkState (context.ts).
import * as C from './constants.js';
import { InitError, type JoinRoomError } from './errors.js';
import { Emitter, type SkylinkEvents, type PeerInfo } from './events.js';
import { logger, setLevel } from './log.js';
import { requestSession, type RoomSession } from './signaling/ApiClient.js';
import { SIG } from './signaling/messages.js';
import { DataTransferManager } from './data/DataTransferManager.js';
import type { MediaOptions } from './media/settings.js';
import { LocalMedia } from './media/LocalMedia.js';
import { isMediaKind } from './media/devices.js';
import { PeerDirectory } from './peer/PeerDirectory.js';
import { RoomSignaling } from './room/RoomSignaling.js';
import { normalizeInit, type InitOptions, type NormalizedInit } from './config.js';
import { browserAgent, type Callback, type Emit, type PartContext, type SkylinkState } from './context.js';

export type { InitOptions } from './config.js';

const log = logger('skylink');

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface JoinRoomOptions extends MediaOptions {
  userData?: unknown;
  bandwidth?: { audio?: number; video?: number; data?: number };
  [k: string]: unknown;
}

export class Skylink extends Emitter<SkylinkEvents> {
  private readyState: number | null = null;
  private initTask: Promise<RoomSession> | null = null;
  private joinSeq = 0;
  private readonly state: SkylinkState = {
    initOptions: null, session: null, selectedRoom: null, signaling: null, sid: null, weight: 0, inRoom: false,
    roomLocked: false, rejoinPending: false, iceServers: [], peers: new Map(), userData: '', bandwidth: {}, agent: browserAgent(),
  };
  /** The same map as state.peers, kept on the instance: the e2e suite inspects `skylink.peers`. */
  private readonly peers = this.state.peers;
  private readonly data: DataTransferManager;
  private readonly media: LocalMedia;
  private readonly peerDir: PeerDirectory;
  private readonly room: RoomSignaling;

  constructor() {
    super();
    const emit: Emit = (name, ...args) => this.emit(name, ...args);
    const ctx: PartContext = { state: this.state, emit };
    this.data = new DataTransferManager({
      selfId: () => this.state.sid ?? '',
      agent: () => this.state.agent,
      peerDtVersion: (peerId) => this.peers.get(peerId)?.state.agent.DTProtocolVersion ?? '0.1.0',
      createChannel: (peerId, label) => {
        const p = this.peers.get(peerId);
        if (!p || p.session.isClosed) return null;
        try { return p.session.pc.createDataChannel(label, { ordered: true }); } catch (e) { log.error(e); return null; }
      },
      transferState: (state, tid, peerId, info, error) => this.emit('dataTransferState', state, tid, peerId, info, error),
      incomingDataRequest: (tid, peerId, info, isSelf) => this.emit('incomingDataRequest', tid, peerId, info, isSelf),
      incomingData: (d, tid, peerId, info, isSelf) => this.emit('incomingData', d, tid, peerId, info, isSelf),
      incomingP2PMessage: (sender, content, isPrivate) => {
        this.emit('incomingMessage', { content, isPrivate, isDataChannel: true, targetPeerId: this.state.sid, senderPeerId: sender },
          sender, this.getPeerInfo(sender), false);
      },
      channelState: (state, peerId, error, name, type) => {
        this.emit('dataChannelState', state, peerId, error, name, type, null, { bufferedAmountLow: 0, bufferedAmountLowThreshold: 0 });
        if (state === C.DATA_CHANNEL_STATE.OPEN || state === C.DATA_CHANNEL_STATE.CLOSED) {
          if (type === C.DATA_CHANNEL_TYPE.MESSAGING && this.peers.has(peerId)) this.emit('peerUpdated', peerId, this.getPeerInfo(peerId), false);
        }
      },
    });
    // The parts reach each other late (through these getters), so construction order is free.
    const data = this.data;
    const parts = this;
    this.media = new LocalMedia({ ...ctx, get room() { return parts.room; }, get info() { return parts.peerDir; } });
    this.peerDir = new PeerDirectory({ ...ctx, media: this.media, get room() { return parts.room; }, data });
    this.room = new RoomSignaling({ ...ctx, media: this.media, info: this.peerDir, data });
  }

  // ---- init -----------------------------------------------------------------------------------

  init(options?: InitOptions | string | Callback, callback?: Callback): void {
    let opts: InitOptions = {};
    let cb: Callback = () => undefined;
    if (typeof options === 'function') cb = options;
    else if (typeof options === 'string') opts = { appKey: options };
    else if (options && typeof options === 'object') opts = { ...options };
    if (typeof callback === 'function') cb = callback;
    const norm = normalizeInit(opts);
    this.state.initOptions = norm;
    this.data.simultaneousTransfers = norm.enableSimultaneousTransfers;
    this.state.selectedRoom = norm.defaultRoom;
    const room = norm.defaultRoom;
    const task = this.runInit(norm, room);
    this.initTask = task;
    task.then((session) => {
      if (this.initTask !== task) return;
      cb(null, { ...norm, serverUrl: session.url, readyState: this.readyState, selectedRoom: room });
    }, (e: InitError) => {
      if (this.initTask !== task) return;
      cb({ error: new Error(e.message), errorCode: e.errorCode, status: e.status }, null);
    });
  }

  private async runInit(o: NormalizedInit, room: string): Promise<RoomSession> {
    this.setReadyState(C.READY_STATE_CHANGE.INIT, null, room);
    try {
      if (!o.appKey) throw InitError.noKey();
      if (typeof RTCPeerConnection === 'undefined') {
        throw new InitError('badReply', 'WebRTC not available', C.READY_STATE_CHANGE_ERROR.NO_WEBRTC_SUPPORT, -2);
      }
      this.setReadyState(C.READY_STATE_CHANGE.LOADING, null, room);
      const session = await this.fetchSession(o, room);
      this.state.session = session;
      this.setReadyState(C.READY_STATE_CHANGE.COMPLETED, null, room);
      return session;
    } catch (e) {
      const err = e instanceof InitError ? e : InitError.network(0);
      this.setReadyState(C.READY_STATE_CHANGE.ERROR, err, room);
      throw err;
    }
  }

  private fetchSession(o: NormalizedInit, room: string): Promise<RoomSession> {
    return requestSession({
      roomServer: o.roomServer, appKey: o.appKey, room, credentials: o.credentials, forceSSL: o.forceSSL,
      timeoutMs: o.apiTimeout, retries: 2,
    });
  }

  private setReadyState(state: number, error: InitError | null, room: string): void {
    this.readyState = state;
    this.emit('readyStateChange', state, error ? error.toReadyStateError() : null, room);
  }

  // ---- joinRoom / leaveRoom -------------------------------------------------------------------

  joinRoom(room?: string | JoinRoomOptions | Callback, options?: JoinRoomOptions | Callback, callback?: Callback): void {
    let selected = this.state.initOptions?.defaultRoom ?? null;
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
      cb?.(null, { room: this.state.selectedRoom, peerId, peerInfo: this.getPeerInfo() });
    }, (e: any) => {
      if (seq !== this.joinSeq) return;
      if (e instanceof InitError) fail(new Error(e.message), e.errorCode);
      else fail(e instanceof Error ? e : new Error(String(e)), this.readyState);
    });
  }

  private async doJoin(seq: number, room: string | null, media: JoinRoomOptions): Promise<string> {
    // The seed calls joinRoom() right after init(): wait for it (and fail with its error).
    if (!this.initTask) throw new InitError('noKey', 'init() has not been called', C.READY_STATE_CHANGE_ERROR.NO_PATH, -2);
    let session = await this.initTask;
    const o = this.state.initOptions!;
    const target = room ?? o.defaultRoom;
    const stale = () => seq !== this.joinSeq;
    if (this.state.inRoom || this.state.signaling) await this.leaveInternal({ userMedia: media.audio === false && media.video === false, screenshare: true }, false);
    if (stale()) throw new Error('joinRoom() process did not complete');
    if (target !== this.state.selectedRoom || !this.state.session) {
      session = await this.fetchSession(o, target);
      this.state.session = session;
      this.state.selectedRoom = target;
    }
    if (stale()) throw new Error('joinRoom() process did not complete');
    if (media.userData !== undefined) this.state.userData = media.userData;
    this.state.bandwidth = {};
    if (media.bandwidth && typeof media.bandwidth === 'object') {
      for (const k of ['audio', 'video', 'data'] as const) if (typeof media.bandwidth[k] === 'number') this.state.bandwidth[k] = media.bandwidth[k]!;
    }
    const sig = this.room.openSignaling(o.socketTimeout);
    const protocol = session.url.startsWith('https:') ? 'https:' : 'http:';
    const ports = protocol === 'https:' ? session.httpsPorts : session.httpPorts;
    await sig.connect(protocol, session.signalingHost, ports);
    if (stale()) throw new Error('joinRoom() process did not complete');
    if (media.audio || media.video) await this.media.acquireUserMedia(media);
    if (stale()) throw new Error('joinRoom() process did not complete');
    return new Promise<string>((resolve, reject) => {
      const onJoined = (peerId: string, _info: PeerInfo, isSelf: boolean) => {
        if (!isSelf) return;
        cleanup();
        resolve(peerId);
      };
      const onSystem = (action: string, message: string) => {
        if (action !== C.SYSTEM_ACTION.REJECT) return;
        cleanup();
        reject(new Error(message || 'Rejected by the signaling server'));
      };
      const onClose = () => { cleanup(); reject(new Error('Channel closed abruptly before session was established')); };
      const cleanup = () => { this.off('peerJoined', onJoined); this.off('systemAction', onSystem); this.off('channelClose', onClose); };
      this.on('peerJoined', onJoined);
      this.on('systemAction', onSystem);
      this.on('channelClose', onClose);
      this.room.sendJoinRoom();
    });
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
    const wasIn = this.state.inRoom || !!this.state.signaling;
    const selfId = this.state.sid;
    const room = this.state.selectedRoom;
    this.leaveInternal(stop, true).then(() => {
      if (!wasIn) { cb?.(new Error('Unable to leave room as user is not in any room'), null); return; }
      cb?.(null, { peerId: selfId, previousRoom: room });
    });
  }

  private async leaveInternal(stop: { userMedia: boolean; screenshare: boolean }, emitSelf: boolean): Promise<void> {
    const selfId = this.state.sid;
    const wasIn = this.state.inRoom;
    this.room.removeAllPeers();
    this.state.inRoom = false;
    this.state.rejoinPending = false;
    // Emits channelClose itself: the client no longer reports to us.
    this.room.closeSignaling();
    if (stop.screenshare && this.media.hasScreen()) this.media.stopLocal('screen');
    if (stop.userMedia && this.media.hasUserMedia()) this.media.stopLocal('user');
    this.state.sid = null;
    if (emitSelf && wasIn && selfId) this.emit('peerLeft', selfId, this.peerDir.selfInfo(), true);
  }

  lockRoom(): void { this.setLock(true); }
  unlockRoom(): void { this.setLock(false); }

  private setLock(lock: boolean): void {
    if (!this.state.inRoom || !this.state.sid) return;
    this.room.sendRoom({ type: SIG.ROOM_LOCK, lock });
    this.state.roomLocked = lock;
    this.emit('roomLock', lock, this.state.sid, this.getPeerInfo(), true);
  }

  // ---- peer info ------------------------------------------------------------------------------

  getPeerInfo(peerId?: string): PeerInfo { return this.peerDir.getPeerInfo(peerId); }
  getUserData(peerId?: string): unknown { return this.peerDir.getUserData(peerId); }
  setUserData(userData: unknown): void { this.peerDir.setUserData(userData); }
  /** Peers in the room with their info (SkylinkJS getPeersInRoom). */
  getPeersInRoom(): Record<string, PeerInfo & { isSelf: boolean }> { return this.peerDir.getPeersInRoom(); }
  getPeersStream(): Record<string, MediaStream | null> { return this.peerDir.getPeersStream(); }

  /** Privileged keys only: asks the server for the peers of the realm. */
  getPeers(showAll?: boolean | Callback, callback?: Callback): void {
    const cb = typeof showAll === 'function' ? showAll : callback;
    if (!this.state.session?.isPrivileged) { log.warn('getPeers() needs a privileged key'); return; }
    if (cb) this.once('getPeersStateChange', (_s, _id, list) => cb(null, list), (s) => s === C.GET_PEERS_STATE.RECEIVED);
    this.room.sendRoom({ type: SIG.GET_PEERS, showAll: showAll === true });
    this.emit('getPeersStateChange', C.GET_PEERS_STATE.ENQUIRED, this.state.sid ?? '', null);
  }

  introducePeer(sendingPeerId: string, receivingPeerId: string): void {
    if (!this.state.session?.isPrivileged) return;
    this.room.sendRoom({ type: SIG.INTRODUCE, sendingPeerId, receivingPeerId });
    this.emit('introduceStateChange', C.INTRODUCE_STATE.INTRODUCING, this.state.sid ?? '', sendingPeerId, receivingPeerId);
  }

  // ---- messages -------------------------------------------------------------------------------

  sendMessage(message: unknown, targetPeerId?: string | string[]): void {
    if (!this.state.inRoom || !this.state.sid) { log.error('Unable to send message as User is not in Room.'); return; }
    const targets = Array.isArray(targetPeerId) ? targetPeerId : typeof targetPeerId === 'string' && targetPeerId ? [targetPeerId] : null;
    if (!targets) {
      this.room.sendRoom({ type: SIG.PUBLIC_MESSAGE, cid: this.state.session!.cid, data: message });
      return; // echoed to the page when actually sent (onSent), as SkylinkJS does
    }
    const list = targets.filter((id) => this.peers.has(id));
    for (const id of list) this.room.sendRoom({ type: SIG.PRIVATE_MESSAGE, cid: this.state.session!.cid, data: message, target: id });
    this.emit('incomingMessage', { content: message, isPrivate: true, targetPeerId: targetPeerId ?? null, listOfPeers: list,
      isDataChannel: false, senderPeerId: this.state.sid }, this.state.sid, this.getPeerInfo(), true);
  }

  sendP2PMessage(message: unknown, targetPeerId?: string | string[]): void {
    if (!this.state.inRoom || !this.state.sid) { log.error('Unable to send message as User is not in Room.'); return; }
    if (!this.state.initOptions!.enableDataChannel) { log.error('Datachannel is disabled'); return; }
    const isPrivate = Array.isArray(targetPeerId) || (typeof targetPeerId === 'string' && !!targetPeerId);
    const targets = Array.isArray(targetPeerId) ? targetPeerId : isPrivate ? [targetPeerId as string] : [...this.peers.keys()];
    const list = targets.filter((id) => this.data.sendP2PMessage(id, message, isPrivate));
    this.emit('incomingMessage', { content: message, isPrivate, targetPeerId: targetPeerId ?? null, listOfPeers: list,
      isDataChannel: true, senderPeerId: this.state.sid }, this.state.sid, this.getPeerInfo(), true);
  }

  // ---- data transfers -------------------------------------------------------------------------

  sendBlobData(data: Blob, timeout?: any, targetPeerId?: any, sendChunksAsBinary?: any, callback?: Callback): void {
    this.startTransfer(data, 'blob', [timeout, targetPeerId, sendChunksAsBinary, callback]);
  }

  sendURLData(data: string, timeout?: any, targetPeerId?: any, callback?: Callback): void {
    this.startTransfer(data, 'data', [timeout, targetPeerId, callback]);
  }

  private startTransfer(data: Blob | string, sessionType: 'blob' | 'data', args: any[]): void {
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
      else if (typeof a === 'function') cb = a;
    }
    const list = peers ?? [...this.peers.keys()];
    const info = { name: null, size: null, dataType: sessionType === 'blob' ? 'blob' : 'dataURL', timeout, isPrivate, direction: 'upload', percentage: 0 };
    const failAll = (msg: string) => {
      const errs: Record<string, Error> = {};
      if (list.length === 0) errs.self = new Error(msg); else for (const p of list) errs[p] = new Error(msg);
      cb?.({ transferId: null, transferInfo: info, listOfPeers: list, transferErrors: errs }, null);
    };
    if (sessionType === 'blob' && !(typeof Blob !== 'undefined' && data instanceof Blob && data.size > 0)) { failAll('Provided data is not a valid Blob data.'); return; }
    if (sessionType === 'data' && !(typeof data === 'string' && data)) { failAll('Provided data is not a dataURL'); return; }
    if (!this.state.inRoom || !this.state.sid) { failAll('Unable to send any data. User is not in Room.'); return; }
    if (!this.state.initOptions!.enableDataChannel) { failAll('Unable to send any data. Datachannel is disabled'); return; }
    if (list.length === 0) { failAll('Unable to send any data. There are no Peers to start data transfer with'); return; }
    this.data.send(data, sessionType, list, timeout, binary, isPrivate, (result, isError) => {
      if (!cb) return;
      if (isError) cb(result, null); else cb(null, result);
    });
  }

  acceptDataTransfer(peerId: string, transferId: string, accept: boolean): void {
    if (!this.data.accept(peerId, transferId, !!accept)) log.error('acceptDataTransfer: no such request', peerId, transferId);
  }
  respondBlobRequest(peerId: string, transferId: string, accept: boolean): void { this.acceptDataTransfer(peerId, transferId, accept); }

  cancelDataTransfer(peerId: string, transferId: string): void {
    if (!this.data.cancel(peerId, transferId)) log.error('cancelDataTransfer: no such transfer', peerId, transferId);
  }
  cancelBlobTransfer(peerId: string, transferId: string): void { this.cancelDataTransfer(peerId, transferId); }

  getCurrentDataTransfers(): Record<string, unknown> { return this.data.current(); }

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

  refreshConnection(targetPeerId?: any, iceRestart?: any, options?: any, callback?: Callback): void {
    let list = [...this.peers.keys()];
    let ice = false;
    let cb: Callback | null = null;
    for (const a of [targetPeerId, iceRestart, options, callback]) {
      if (typeof a === 'string') list = [a];
      else if (Array.isArray(a)) list = a;
      else if (typeof a === 'boolean') ice = a;
      else if (typeof a === 'function') cb = a;
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
  get peerId(): string | null { return this.state.sid; }
  isRoomLocked(): boolean { return this.state.roomLocked; }
}

// The constants live on the prototype, as in SkylinkJS (`skylink.READY_STATE_CHANGE...`).
Object.assign(Skylink.prototype, C.CONSTANTS);
export interface Skylink extends Readonly<typeof C.CONSTANTS> {} // eslint-disable-line @typescript-eslint/no-empty-object-type
