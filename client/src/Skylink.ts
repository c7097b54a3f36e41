// The public face: SkylinkJS 0.6's API (method names, argument juggling, callbacks and events)
// over the signaling client, the peer sessions, the data-transfer manager and media. The order
// of a page's calls does not matter: joinRoom() waits for a running init() and reports its error.
//
// Lifetime: init() creates nothing long-lived; joinRoom() opens the signaling connection and one
// PeerSession per peer; leaveRoom() (or a rejected/failed connection) closes them all, firing
// peerLeft for each peer and then for ourselves.
import * as C from './constants.js';
import { env } from './env.js';
import { InitError, type JoinRoomError } from './errors.js';
import { Emitter, type SkylinkEvents, type PeerInfo, type MessageInfo } from './events.js';
import { logger, setLevel } from './log.js';
import { requestSession, type Credentials, type RoomSession } from './signaling/ApiClient.js';
import { SignalingClient } from './signaling/SignalingClient.js';
import { SignalingState } from './signaling/SignalingState.js';
import { SIG, type SigMessage } from './signaling/messages.js';
import { PeerSession } from './peer/PeerSession.js';
import { computeWeight, isPolite, shouldOffer } from './peer/weight.js';
import { applyUserInfo, isScreensharing, peerStateFromMessage, toPeerInfo, type RemotePeerState } from './peer/peerInfo.js';
import { DataTransferManager } from './data/DataTransferManager.js';
import { parseMediaOptions, screenSettings, type MediaOptions } from './media/settings.js';

const log = logger('skylink');

/* eslint-disable @typescript-eslint/no-explicit-any */
type Callback = (error: any, success: any) => void;

export interface InitOptions {
  appKey?: string;
  apiKey?: string;
  defaultRoom?: string;
  roomServer?: string;
  credentials?: Credentials | null;
  enableDataChannel?: boolean;
  enableIceTrickle?: boolean;
  enableSimultaneousTransfers?: boolean;
  forceTURN?: boolean;
  forceSSL?: boolean;
  audioFallback?: boolean;
  apiTimeout?: number;
  socketTimeout?: number;
  priorityWeightScheme?: string;
  iceServer?: string | string[];
  [k: string]: unknown;
}

export interface JoinRoomOptions extends MediaOptions {
  userData?: unknown;
  bandwidth?: { audio?: number; video?: number; data?: number };
  [k: string]: unknown;
}

interface NormalizedInit {
  appKey: string; defaultRoom: string; roomServer: string; credentials: Credentials | null;
  enableDataChannel: boolean; enableIceTrickle: boolean; enableSimultaneousTransfers: boolean; forceTURN: boolean;
  forceSSL: boolean; audioFallback: boolean; apiTimeout: number; socketTimeout: number; priorityWeightScheme: string;
  iceServer: string[] | null;
}

interface PeerRecord {
  id: string;
  state: RemotePeerState;
  session: PeerSession;
  stamps: { userData: number; audioMuted: number; videoMuted: number };
  hasWelcome: boolean;
  connected: boolean;
  streams: Map<string, { screenshare: boolean; settings: any }>;
}

interface LocalStream { stream: MediaStream; settings: { audio: any; video: any }; screenshare: boolean; audioFallback: boolean }

function browserAgent(): { name: string; version: string } {
  const ua = typeof navigator !== 'undefined' ? navigator.userAgent : '';
  let m = ua.match(/(?:Chrome|Chromium)\/(\d+)/);
  if (m) return { name: 'chrome', version: m[1] };
  m = ua.match(/Firefox\/(\d+)/);
  if (m) return { name: 'firefox', version: m[1] };
  m = ua.match(/Version\/(\d+).*Safari/);
  if (m) return { name: 'safari', version: m[1] };
  return { name: 'other', version: '0' };
}

export class Skylink extends Emitter<SkylinkEvents> {
  private initOptions: NormalizedInit | null = null;
  private readyState: number | null = null;
  private initTask: Promise<RoomSession> | null = null;
  private session: RoomSession | null = null;
  private selectedRoom: string | null = null;
  private signaling: SignalingClient | null = null;
  private sid: string | null = null;
  private weight = 0;
  private inRoom = false;
  private iceServers: RTCIceServer[] = [];
  private peers = new Map<string, PeerRecord>();
  private userData: unknown = '';
  private userMedia: LocalStream | null = null;
  private screen: LocalStream | null = null;
  private muted = { audioMuted: false, videoMuted: false };
  private bandwidth: Record<string, number> = {};
  private joinSeq = 0;
  private roomLocked = false;
  private rejoinPending = false;
  private readonly agent = browserAgent();
  private readonly data: DataTransferManager;

  constructor() {
    super();
    this.data = new DataTransferManager({
      selfId: () => this.sid ?? '',
      agent: () => this.agent,
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
        this.emit('incomingMessage', { content, isPrivate, isDataChannel: true, targetPeerId: this.sid, senderPeerId: sender },
          sender, this.getPeerInfo(sender), false);
      },
      channelState: (state, peerId, error, name, type) => {
        this.emit('dataChannelState', state, peerId, error, name, type, null, { bufferedAmountLow: 0, bufferedAmountLowThreshold: 0 });
        if (state === C.DATA_CHANNEL_STATE.OPEN || state === C.DATA_CHANNEL_STATE.CLOSED) {
          if (type === C.DATA_CHANNEL_TYPE.MESSAGING && this.peers.has(peerId)) this.emit('peerUpdated', peerId, this.getPeerInfo(peerId), false);
        }
      },
    });
  }

  // ---- init -----------------------------------------------------------------------------------

  init(options?: InitOptions | string | Callback, callback?: Callback): void {
    let opts: InitOptions = {};
    let cb: Callback = () => undefined;
    if (typeof options === 'function') cb = options;
    else if (typeof options === 'string') opts = { appKey: options };
    else if (options && typeof options === 'object') opts = { ...options };
    if (typeof callback === 'function') cb = callback;
    const appKey = typeof opts.appKey === 'string' && opts.appKey ? opts.appKey : typeof opts.apiKey === 'string' ? opts.apiKey : '';
    const norm: NormalizedInit = {
      appKey,
      defaultRoom: typeof opts.defaultRoom === 'string' && opts.defaultRoom ? opts.defaultRoom : appKey,
      roomServer: typeof opts.roomServer === 'string' && opts.roomServer ? opts.roomServer
        : env.scriptOrigin ?? (typeof location !== 'undefined' ? `//${location.host}` : '//api.temasys.io'),
      credentials: opts.credentials && typeof opts.credentials === 'object' && typeof opts.credentials.startDateTime === 'string'
        && typeof opts.credentials.credentials === 'string' && typeof opts.credentials.duration === 'number' ? opts.credentials : null,
      enableDataChannel: opts.enableDataChannel !== false,
      enableIceTrickle: opts.enableIceTrickle !== false,
      enableSimultaneousTransfers: opts.enableSimultaneousTransfers !== false,
      forceTURN: opts.forceTURN === true,
      // Unlike SkylinkJS (default true), follow the page's scheme unless asked: our server is
      // usually the page's own origin, on http in development.
      forceSSL: opts.forceSSL === true,
      audioFallback: opts.audioFallback === true,
      apiTimeout: typeof opts.apiTimeout === 'number' ? opts.apiTimeout : 4000,
      socketTimeout: typeof opts.socketTimeout === 'number' && opts.socketTimeout >= 5000 ? opts.socketTimeout : 7000,
      priorityWeightScheme: Object.values(C.PRIORITY_WEIGHT_SCHEME).includes(opts.priorityWeightScheme as any)
        ? (opts.priorityWeightScheme as string) : C.PRIORITY_WEIGHT_SCHEME.AUTO,
      iceServer: typeof opts.iceServer === 'string' ? [opts.iceServer] : Array.isArray(opts.iceServer) && opts.iceServer.length ? opts.iceServer : null,
    };
    this.initOptions = norm;
    this.data.simultaneousTransfers = norm.enableSimultaneousTransfers;
    this.selectedRoom = norm.defaultRoom;
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
      this.session = session;
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
    const o = this.initOptions!;
    const target = room ?? o.defaultRoom;
    const stale = () => seq !== this.joinSeq;
    if (this.inRoom || this.signaling) await this.leaveInternal({ userMedia: media.audio === false && media.video === false, screenshare: true }, false);
    if (stale()) throw new Error('joinRoom() process did not complete');
    if (target !== this.selectedRoom || !this.session) {
      session = await this.fetchSession(o, target);
      this.session = session;
      this.selectedRoom = target;
    }
    if (stale()) throw new Error('joinRoom() process did not complete');
    if (media.userData !== undefined) this.userData = media.userData;
    this.bandwidth = {};
    if (media.bandwidth && typeof media.bandwidth === 'object') {
      for (const k of ['audio', 'video', 'data'] as const) if (typeof media.bandwidth[k] === 'number') this.bandwidth[k] = media.bandwidth[k]!;
    }
    const sig = this.openSignaling(o.socketTimeout);
    const protocol = session.url.startsWith('https:') ? 'https:' : 'http:';
    const ports = protocol === 'https:' ? session.httpsPorts : session.httpPorts;
    await sig.connect(protocol, session.signalingHost, ports);
    if (stale()) throw new Error('joinRoom() process did not complete');
    if (media.audio || media.video) await this.acquireUserMedia(media);
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
      this.sendJoinRoom();
    });
  }

  private sendJoinRoom(): void {
    const s = this.session!;
    this.signaling?.send({
      type: SIG.JOIN_ROOM, uid: s.username, cid: s.cid, rid: s.roomKey, userCred: s.userCred, timeStamp: s.timeStamp,
      apiOwner: s.apiOwner, roomCred: s.roomCred, start: s.start, len: s.len, isPrivileged: s.isPrivileged,
      autoIntroduce: s.autoIntroduce, key: this.initOptions!.appKey,
    });
  }

  private openSignaling(timeoutMs: number): SignalingClient {
    const sig = new SignalingClient({
      onStateChange: (state, prev) => this.onSignalingState(sig, state, prev),
      onMessage: (msg) => { if (this.signaling === sig) this.onSignal(msg); },
      onSocketError: (code, err, type, session) => this.emit('socketError', code, err, type, session),
      onChannelRetry: (type, attempt, session) => this.emit('channelRetry', type, attempt, session),
      onChannelError: (err, session) => this.emit('channelError', err, session),
      onSent: (msg) => {
        if (msg.type === SIG.PUBLIC_MESSAGE && this.sid) {
          this.emit('incomingMessage', { content: msg.data, isPrivate: false, targetPeerId: null, listOfPeers: [...this.peers.keys()],
            isDataChannel: false, senderPeerId: this.sid }, this.sid, this.getPeerInfo(), true);
        }
      },
    }, { timeoutMs, attemptsPerTarget: 1, delayMs: 500, delayMaxMs: 2000, reconnectAttempts: 3 });
    this.signaling = sig;
    return sig;
  }

  private onSignalingState(sig: SignalingClient, state: SignalingState, prev: SignalingState): void {
    if (this.signaling !== sig) return;
    const session = { ...sig.session };
    if (state === SignalingState.Open) {
      this.emit('channelOpen', session);
      if (this.rejoinPending) { this.rejoinPending = false; this.sendJoinRoom(); }
    } else if (state === SignalingState.Reconnecting) {
      this.emit('channelClose', session);
      if (this.inRoom) {
        // The server dropped us from the room with the socket: peers are gone; rejoin when back.
        for (const id of [...this.peers.keys()]) this.removePeer(id);
        this.inRoom = false;
        this.rejoinPending = true;
      }
    } else if (state === SignalingState.Failed && prev === SignalingState.Reconnecting) {
      const selfId = this.sid;
      this.rejoinPending = false;
      this.signaling = null;
      if (selfId) this.emit('sessionDisconnect', selfId, this.getPeerInfo());
      this.sid = null;
    } else if (state === SignalingState.Closed && prev === SignalingState.Open) {
      this.emit('channelClose', session);
    }
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
    const wasIn = this.inRoom || !!this.signaling;
    const selfId = this.sid;
    const room = this.selectedRoom;
    this.leaveInternal(stop, true).then(() => {
      if (!wasIn) { cb?.(new Error('Unable to leave room as user is not in any room'), null); return; }
      cb?.(null, { peerId: selfId, previousRoom: room });
    });
  }

  private async leaveInternal(stop: { userMedia: boolean; screenshare: boolean }, emitSelf: boolean): Promise<void> {
    const selfId = this.sid;
    const wasIn = this.inRoom;
    for (const id of [...this.peers.keys()]) this.removePeer(id);
    this.inRoom = false;
    this.rejoinPending = false;
    const sig = this.signaling;
    this.signaling = null;
    if (sig) {
      // Emit channelClose ourselves: the client no longer reports to us.
      const open = sig.state === SignalingState.Open;
      sig.close();
      if (open) this.emit('channelClose', { ...sig.session });
    }
    if (stop.screenshare && this.screen) this.stopLocal('screen');
    if (stop.userMedia && this.userMedia) this.stopLocal('user');
    this.sid = null;
    if (emitSelf && wasIn && selfId) this.emit('peerLeft', selfId, this.selfInfo(selfId), true);
  }

  lockRoom(): void { this.setLock(true); }
  unlockRoom(): void { this.setLock(false); }

  private setLock(lock: boolean): void {
    if (!this.inRoom || !this.sid) return;
    this.sendRoom({ type: SIG.ROOM_LOCK, lock });
    this.roomLocked = lock;
    this.emit('roomLock', lock, this.sid, this.getPeerInfo(), true);
  }

  // ---- signaling messages ---------------------------------------------------------------------

  private sendRoom(msg: SigMessage): void {
    if (!this.signaling || !this.sid || !this.session) return;
    this.signaling.send({ ...msg, mid: this.sid, rid: this.session.roomKey });
  }

  private onSignal(msg: SigMessage): void {
    if (msg.mid && msg.mid === this.sid && msg.type !== SIG.IN_ROOM && msg.type !== SIG.REDIRECT) return;
    const from = msg.mid ?? '';
    switch (msg.type) {
      case SIG.IN_ROOM: this.onInRoom(msg); break;
      case SIG.ENTER: this.onEnter(msg); break;
      case SIG.WELCOME: this.onWelcome(msg); break;
      case SIG.RESTART: this.onRestart(msg); break;
      case SIG.OFFER: this.peers.get(from)?.session.handleOffer(String(msg.sdp ?? ''), msg.userInfo); break;
      case SIG.ANSWER: this.peers.get(from)?.session.handleAnswer(String(msg.sdp ?? ''), msg.userInfo); break;
      case SIG.CANDIDATE:
        if (typeof msg.candidate === 'string') {
          this.peers.get(from)?.session.handleCandidate({ candidate: msg.candidate, sdpMid: msg.id ?? null, sdpMLineIndex: typeof msg.label === 'number' ? msg.label : null });
        }
        break;
      case SIG.BYE: if (from !== this.sid) this.removePeer(from); break;
      case SIG.REDIRECT: this.onRedirect(msg); break;
      case SIG.PUBLIC_MESSAGE:
      case SIG.PRIVATE_MESSAGE: {
        const isPrivate = msg.type === SIG.PRIVATE_MESSAGE;
        const m: MessageInfo = { content: msg.data, isPrivate, targetPeerId: isPrivate ? msg.target : null, isDataChannel: false, senderPeerId: from };
        this.emit('incomingMessage', m, from, this.getPeerInfo(from), false);
        break;
      }
      case SIG.UPDATE_USER: this.onStatus(msg, 'userData', (p) => { p.state.userData = msg.userData ?? ''; }); break;
      case SIG.MUTE_AUDIO: this.onStatus(msg, 'audioMuted', (p) => { p.state.mediaStatus.audioMuted = !!msg.muted; }, true); break;
      case SIG.MUTE_VIDEO: this.onStatus(msg, 'videoMuted', (p) => { p.state.mediaStatus.videoMuted = !!msg.muted; }, true); break;
      case SIG.STREAM: this.onStreamStatus(msg); break;
      case SIG.ROOM_LOCK:
        this.roomLocked = !!msg.lock;
        this.emit('roomLock', !!msg.lock, from, this.getPeerInfo(from), false);
        break;
      case SIG.PEER_LIST: this.emit('getPeersStateChange', C.GET_PEERS_STATE.RECEIVED, this.sid ?? '', msg.result); break;
      case SIG.INTRODUCE_ERROR:
        this.emit('introduceStateChange', C.INTRODUCE_STATE.ERROR, this.sid ?? '', msg.sendingPeerId, msg.receivingPeerId, msg.reason);
        break;
      case SIG.APPROACH: if (typeof msg.target === 'string') this.sendEnter(msg.target); break;
      case SIG.END_OF_CANDIDATES: break; // Chromium ends remote gathering by itself.
      default: log.debug('unhandled message', msg.type);
    }
  }

  private onInRoom(msg: SigMessage): void {
    this.sid = String(msg.sid);
    this.weight = computeWeight(Number(msg.tieBreaker) || 0, this.initOptions!.priorityWeightScheme);
    this.iceServers = this.parseIceServers(msg.pc_config?.iceServers);
    this.inRoom = true;
    this.signaling?.setIdentity(this.sid, this.session!.roomKey);
    this.emit('peerJoined', this.sid, this.getPeerInfo(), true);
    this.emit('handshakeProgress', C.HANDSHAKE_PROGRESS.ENTER, this.sid);
    const local = this.activeLocal();
    if (local) this.emit('incomingStream', this.sid, local.stream, true, this.getPeerInfo(), local.screenshare, local.stream.id);
    this.sendEnter();
  }

  private parseIceServers(list: unknown): RTCIceServer[] {
    if (this.initOptions?.iceServer) return [{ urls: this.initOptions.iceServer }];
    const out: RTCIceServer[] = [];
    if (!Array.isArray(list)) return out;
    for (const s of list) {
      if (!s || typeof s !== 'object') continue;
      let urls = (s as any).urls ?? null;
      let username = (s as any).username;
      if (!urls && typeof (s as any).url === 'string') {
        // Old entry `turn:USER@HOST:PORT?transport=udp`.
        const m = /^(turns?|stun):(?:([^@]+)@)?(.+)$/.exec((s as any).url);
        if (m) { urls = `${m[1]}:${m[3]}`; if (m[2] && !username) username = m[2]; }
      }
      if (!urls) continue;
      const entry: RTCIceServer = { urls };
      if (username) entry.username = username;
      if ((s as any).credential) entry.credential = (s as any).credential;
      out.push(entry);
    }
    return out;
  }

  private handshakeFields(target?: string): SigMessage {
    const m: SigMessage = {
      type: '', agent: this.agent.name, version: this.agent.version,
      os: typeof navigator !== 'undefined' ? navigator.platform : '', userInfo: this.buildUserInfo(),
      receiveOnly: !this.activeLocal(), weight: this.weight, temasysPluginVersion: null,
      enableIceTrickle: this.initOptions!.enableIceTrickle, enableDataChannel: this.initOptions!.enableDataChannel,
      enableIceRestart: true, SMProtocolVersion: C.SM_PROTOCOL_VERSION, DTProtocolVersion: C.DT_PROTOCOL_VERSION,
    };
    if (target) m.target = target;
    return m;
  }

  private sendEnter(target?: string): void {
    this.sendRoom({ ...this.handshakeFields(target), type: SIG.ENTER });
  }

  private addPeer(msg: SigMessage): PeerRecord {
    const id = String(msg.mid);
    const existing = this.peers.get(id);
    if (existing) return existing;
    const state = peerStateFromMessage(msg);
    const config: RTCConfiguration = {
      iceServers: this.iceServers,
      iceTransportPolicy: this.initOptions!.forceTURN ? 'relay' : 'all',
      bundlePolicy: 'balanced',
      rtcpMuxPolicy: 'require',
    };
    let rec: PeerRecord;
    const session = new PeerSession({ peerId: id, polite: isPolite(this.weight, state.config.priorityWeight), config, trickle: true }, {
      send: (m) => this.sendRoom({ ...m, target: id }),
      userInfo: () => this.buildUserInfo(),
      onRemoteUserInfo: (ui) => { applyUserInfo(rec.state, ui); this.emit('peerUpdated', id, this.getPeerInfo(id), false); },
      onRemoteStream: (stream) => {
        const screenshare = isScreensharing(rec.state.settings);
        rec.streams.set(stream.id, { screenshare, settings: { audio: rec.state.settings.audio, video: rec.state.settings.video } });
        this.emit('incomingStream', id, stream, false, this.getPeerInfo(id), screenshare, stream.id);
        this.emit('peerUpdated', id, this.getPeerInfo(id), false);
      },
      onDataChannel: (ch) => { if (this.initOptions!.enableDataChannel) this.data.addChannel(id, ch); else ch.close(); },
      beforeOffer: (pc) => {
        if (this.initOptions!.enableDataChannel && rec.state.config.enableDataChannel && !this.data.hasMainChannel(id)) {
          this.data.addChannel(id, pc.createDataChannel(`${this.sid}_${id}`, { ordered: true }));
        }
      },
      onSignalingState: (s) => this.emit('peerConnectionState', s, id),
      onIceState: (s) => {
        rec.connected = s === 'connected' || s === 'completed';
        this.emit('iceConnectionState', s, id);
        if (s === 'failed' && this.initOptions!.enableIceTrickle) this.emit('iceConnectionState', C.ICE_CONNECTION_STATE.TRICKLE_FAILED, id);
      },
      onGatheringState: (s) => this.emit('candidateGenerationState', s, id),
      onHandshake: (s, err) => this.emit('handshakeProgress', s, id, err ?? null),
    });
    rec = { id, state, session, stamps: { userData: 0, audioMuted: 0, videoMuted: 0 }, hasWelcome: false, connected: false, streams: new Map() };
    this.peers.set(id, rec);
    void session.setLocalMedia({ stream: this.activeLocal()?.stream ?? null });
    this.emit('peerJoined', id, this.getPeerInfo(id), false);
    this.emit('handshakeProgress', C.HANDSHAKE_PROGRESS.ENTER, id);
    return rec;
  }

  private onEnter(msg: SigMessage): void {
    if (!msg.mid) return;
    const isNew = !this.peers.has(msg.mid);
    this.addPeer(msg);
    this.sendRoom({ ...this.handshakeFields(msg.mid), type: SIG.WELCOME });
    if (isNew) this.emit('handshakeProgress', C.HANDSHAKE_PROGRESS.WELCOME, msg.mid);
  }

  private onWelcome(msg: SigMessage): void {
    if (!msg.mid) return;
    const isNew = !this.peers.has(msg.mid);
    const rec = this.addPeer(msg);
    if (isNew) this.emit('handshakeProgress', C.HANDSHAKE_PROGRESS.WELCOME, rec.id);
    const theirs = typeof msg.weight === 'number' ? msg.weight : 0;
    rec.state.config.priorityWeight = theirs;
    rec.session.polite = isPolite(this.weight, theirs);
    if (shouldOffer(this.weight, theirs)) {
      if (rec.hasWelcome) return;
      rec.hasWelcome = true;
      rec.session.negotiate();
    } else {
      this.sendRoom({ ...this.handshakeFields(rec.id), type: SIG.WELCOME });
    }
  }

  private onRestart(msg: SigMessage): void {
    const rec = msg.mid ? this.peers.get(msg.mid) : undefined;
    if (!rec) return;
    const fresh = peerStateFromMessage(msg);
    rec.state.agent = fresh.agent;
    rec.state.config = fresh.config;
    if (msg.userInfo) applyUserInfo(rec.state, msg.userInfo);
    const ice = msg.doIceRestart === true;
    if (shouldOffer(this.weight, fresh.config.priorityWeight) || msg.isRestartResend === true) {
      rec.session.negotiate({ iceRestart: ice });
    } else {
      this.sendRoom({ ...this.handshakeFields(rec.id), type: SIG.RESTART, doIceRestart: ice, isRestartResend: true, lastRestart: env.now() });
    }
    this.emit('peerRestart', rec.id, this.getPeerInfo(rec.id), false, ice);
  }

  private onRedirect(msg: SigMessage): void {
    const action = String(msg.action ?? '');
    const reason = msg.reason === 'toClose' ? 'toclose' : String(msg.reason ?? '');
    if (action === C.SYSTEM_ACTION.REJECT) {
      for (const id of [...this.peers.keys()]) this.removePeer(id);
    }
    this.emit('systemAction', action, String(msg.info ?? ''), reason);
    if (action === C.SYSTEM_ACTION.REJECT) {
      const wasIn = this.inRoom;
      const selfId = this.sid;
      this.inRoom = false;
      const sig = this.signaling;
      this.signaling = null;
      if (sig) { const open = sig.state === SignalingState.Open; sig.close(); if (open) this.emit('channelClose', { ...sig.session }); }
      if (wasIn && selfId) this.emit('sessionDisconnect', selfId, this.getPeerInfo());
      this.sid = null;
    }
  }

  private onStatus(msg: SigMessage, key: 'userData' | 'audioMuted' | 'videoMuted', apply: (p: PeerRecord) => void, muteEvent = false): void {
    const rec = msg.mid ? this.peers.get(msg.mid) : undefined;
    if (!rec) return;
    if (typeof msg.stamp === 'number') {
      if (msg.stamp < rec.stamps[key]) return; // outdated
      rec.stamps[key] = msg.stamp;
    }
    apply(rec);
    if (muteEvent) this.emit('streamMuted', rec.id, this.getPeerInfo(rec.id), false, isScreensharing(rec.state.settings));
    this.emit('peerUpdated', rec.id, this.getPeerInfo(rec.id), false);
  }

  private onStreamStatus(msg: SigMessage): void {
    const rec = msg.mid ? this.peers.get(msg.mid) : undefined;
    if (!rec || msg.status !== 'ended' || typeof msg.streamId !== 'string') return;
    const known = rec.streams.get(msg.streamId);
    const settings = known?.settings ?? msg.settings ?? {};
    rec.streams.delete(msg.streamId);
    const info = this.getPeerInfo(rec.id);
    info.settings.audio = settings.audio ?? false;
    info.settings.video = settings.video ?? false;
    this.emit('streamEnded', rec.id, info, false, known ? known.screenshare : isScreensharing(settings), msg.streamId);
  }

  private removePeer(id: string): void {
    const rec = this.peers.get(id);
    if (!rec) return;
    const info = this.getPeerInfo(id);
    this.peers.delete(id);
    this.data.removePeer(id);
    rec.session.close();
    this.emit('peerLeft', id, info, false);
    for (const [streamId, s] of rec.streams) {
      const i = { ...info, settings: { ...info.settings, audio: s.settings.audio ?? false, video: s.settings.video ?? false } };
      this.emit('streamEnded', id, i, false, s.screenshare, streamId);
    }
  }

  // ---- peer info ------------------------------------------------------------------------------

  private buildUserInfo(): Record<string, unknown> {
    const local = this.activeLocal();
    const settings: Record<string, any> = local ? JSON.parse(JSON.stringify(local.settings)) : { audio: false, video: false };
    if (Object.keys(this.bandwidth).length > 0) settings.maxBandwidth = { ...this.bandwidth };
    const mediaStatus = { audioMuted: !settings.audio || this.muted.audioMuted, videoMuted: !settings.video || this.muted.videoMuted };
    return { userData: this.userData ?? '', settings, mediaStatus };
  }

  private selfInfo(_selfId: string | null): PeerInfo {
    const ui = this.buildUserInfo() as any;
    const settings = { ...ui.settings, bandwidth: { ...this.bandwidth }, googleXBandwidth: {}, data: !!this.initOptions?.enableDataChannel };
    delete settings.maxBandwidth;
    return {
      userData: ui.userData,
      settings,
      mediaStatus: ui.mediaStatus,
      agent: { name: this.agent.name, version: parseFloat(this.agent.version) || 0, os: typeof navigator !== 'undefined' ? navigator.platform : '',
        pluginVersion: null, SMProtocolVersion: C.SM_PROTOCOL_VERSION, DTProtocolVersion: C.DT_PROTOCOL_VERSION },
      room: this.selectedRoom,
      config: {
        enableDataChannel: !!this.initOptions?.enableDataChannel, enableIceTrickle: !!this.initOptions?.enableIceTrickle,
        enableIceRestart: true, priorityWeight: this.weight, receiveOnly: !this.activeLocal(), publishOnly: false,
      },
      parentId: null,
      connected: null,
      init: null,
    };
  }

  getPeerInfo(peerId?: string): PeerInfo {
    if (typeof peerId === 'string' && peerId !== this.sid) {
      const rec = this.peers.get(peerId);
      if (!rec) return this.selfInfo(this.sid); // SkylinkJS answers with our own info
      return toPeerInfo(rec.state, this.selectedRoom ?? '', { connected: rec.connected, dataOpen: this.data.isMainOpen(peerId) });
    }
    return this.selfInfo(this.sid);
  }

  getUserData(peerId?: string): unknown {
    if (peerId && this.peers.has(peerId)) return this.peers.get(peerId)!.state.userData ?? '';
    return this.userData;
  }

  setUserData(userData: unknown): void {
    this.userData = userData === undefined || userData === null ? '' : userData;
    if (!this.inRoom || !this.sid) return;
    this.sendRoom({ type: SIG.UPDATE_USER, userData: this.userData, stamp: env.now() });
    this.emit('peerUpdated', this.sid, this.getPeerInfo(), true);
  }

  /** Peers in the room with their info (SkylinkJS getPeersInRoom). */
  getPeersInRoom(): Record<string, PeerInfo & { isSelf: boolean }> {
    const out: Record<string, any> = {};
    if (this.sid) out[this.sid] = { ...this.getPeerInfo(), isSelf: true };
    for (const id of this.peers.keys()) out[id] = { ...this.getPeerInfo(id), isSelf: false };
    return out;
  }

  getPeersStream(): Record<string, MediaStream | null> {
    const out: Record<string, MediaStream | null> = {};
    for (const [id, rec] of this.peers) {
      const recv = rec.session.pc.getReceivers().map((r) => r.track).filter(Boolean) as MediaStreamTrack[];
      out[id] = recv.length ? new MediaStream(recv) : null;
    }
    if (this.sid) out[this.sid] = this.activeLocal()?.stream ?? null;
    return out;
  }

  /** Privileged keys only: asks the server for the peers of the realm. */
  getPeers(showAll?: boolean | Callback, callback?: Callback): void {
    const cb = typeof showAll === 'function' ? showAll : callback;
    if (!this.session?.isPrivileged) { log.warn('getPeers() needs a privileged key'); return; }
    if (cb) this.once('getPeersStateChange', (_s, _id, list) => cb(null, list), (s) => s === C.GET_PEERS_STATE.RECEIVED);
    this.sendRoom({ type: SIG.GET_PEERS, showAll: showAll === true });
    this.emit('getPeersStateChange', C.GET_PEERS_STATE.ENQUIRED, this.sid ?? '', null);
  }

  introducePeer(sendingPeerId: string, receivingPeerId: string): void {
    if (!this.session?.isPrivileged) return;
    this.sendRoom({ type: SIG.INTRODUCE, sendingPeerId, receivingPeerId });
    this.emit('introduceStateChange', C.INTRODUCE_STATE.INTRODUCING, this.sid ?? '', sendingPeerId, receivingPeerId);
  }

  // ---- messages -------------------------------------------------------------------------------

  sendMessage(message: unknown, targetPeerId?: string | string[]): void {
    if (!this.inRoom || !this.sid) { log.error('Unable to send message as User is not in Room.'); return; }
    const targets = Array.isArray(targetPeerId) ? targetPeerId : typeof targetPeerId === 'string' && targetPeerId ? [targetPeerId] : null;
    if (!targets) {
      this.sendRoom({ type: SIG.PUBLIC_MESSAGE, cid: this.session!.cid, data: message });
      return; // echoed to the page when actually sent (onSent), as SkylinkJS does
    }
    const list = targets.filter((id) => this.peers.has(id));
    for (const id of list) this.sendRoom({ type: SIG.PRIVATE_MESSAGE, cid: this.session!.cid, data: message, target: id });
    this.emit('incomingMessage', { content: message, isPrivate: true, targetPeerId: targetPeerId ?? null, listOfPeers: list,
      isDataChannel: false, senderPeerId: this.sid }, this.sid, this.getPeerInfo(), true);
  }

  sendP2PMessage(message: unknown, targetPeerId?: string | string[]): void {
    if (!this.inRoom || !this.sid) { log.error('Unable to send message as User is not in Room.'); return; }
    if (!this.initOptions!.enableDataChannel) { log.error('Datachannel is disabled'); return; }
    const isPrivate = Array.isArray(targetPeerId) || (typeof targetPeerId === 'string' && !!targetPeerId);
    const targets = Array.isArray(targetPeerId) ? targetPeerId : isPrivate ? [targetPeerId as string] : [...this.peers.keys()];
    const list = targets.filter((id) => this.data.sendP2PMessage(id, message, isPrivate));
    this.emit('incomingMessage', { content: message, isPrivate, targetPeerId: targetPeerId ?? null, listOfPeers: list,
      isDataChannel: true, senderPeerId: this.sid }, this.sid, this.getPeerInfo(), true);
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
    if (!this.inRoom || !this.sid) { failAll('Unable to send any data. User is not in Room.'); return; }
    if (!this.initOptions!.enableDataChannel) { failAll('Unable to send any data. Datachannel is disabled'); return; }
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

  private activeLocal(): LocalStream | null { return this.screen ?? this.userMedia; }

  private async acquireUserMedia(options: MediaOptions): Promise<MediaStream> {
    const parsed = parseMediaOptions(options);
    let stream: MediaStream;
    let audioFallback = false;
    try {
      stream = await navigator.mediaDevices.getUserMedia(parsed.constraints);
    } catch (e) {
      if (!(this.initOptions?.audioFallback && parsed.settings.audio && parsed.settings.video)) {
        this.emit('mediaAccessError', e as Error, false, false);
        throw e;
      }
      this.emit('mediaAccessFallback', { error: e as Error, diff: null }, C.MEDIA_ACCESS_FALLBACK_STATE.FALLBACKING, false, true);
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: parsed.constraints.audio });
        parsed.settings.video = false;
        audioFallback = true;
      } catch (e2) {
        this.emit('mediaAccessError', e2 as Error, false, true);
        this.emit('mediaAccessFallback', { error: e2 as Error, diff: null }, C.MEDIA_ACCESS_FALLBACK_STATE.ERROR, false, true);
        throw e2;
      }
    }
    if (this.userMedia) this.stopLocal('user', true);
    if (parsed.muted.audio) this.muted.audioMuted = true;
    if (parsed.muted.video) this.muted.videoMuted = true;
    this.userMedia = { stream, settings: parsed.settings, screenshare: false, audioFallback };
    this.watchEnded(this.userMedia);
    this.applyMute();
    this.emit('mediaAccessSuccess', stream, false, audioFallback, stream.id);
    return stream;
  }

  /** SkylinkJS getUserMedia(options, callback): gets a camera/microphone stream outside joinRoom. */
  getUserMedia(options?: MediaOptions | Callback, callback?: Callback): void {
    let o: MediaOptions = { audio: true, video: true };
    let cb: Callback | null = null;
    if (typeof options === 'function') cb = options;
    else if (options && typeof options === 'object') o = options;
    if (typeof callback === 'function') cb = callback;
    this.acquireUserMedia(o).then((s) => { this.onLocalMediaChanged(false); cb?.(null, s); }, (e) => cb?.(e, null));
  }

  sendStream(options: MediaOptions | MediaStream, callback?: Callback): void {
    if (typeof MediaStream !== 'undefined' && options instanceof MediaStream) {
      if (this.userMedia) this.stopLocal('user', true);
      this.userMedia = { stream: options, settings: { audio: options.getAudioTracks().length ? { stereo: false } : false,
        video: options.getVideoTracks().length ? { screenshare: false } : false }, screenshare: false, audioFallback: false };
      this.watchEnded(this.userMedia);
      this.emit('mediaAccessSuccess', options, false, false, options.id);
      this.onLocalMediaChanged(true);
      callback?.(null, options);
      return;
    }
    this.acquireUserMedia(options as MediaOptions).then((s) => { this.onLocalMediaChanged(true); callback?.(null, s); }, (e) => callback?.(e, null));
  }

  stopStream(): void { if (this.userMedia) { this.stopLocal('user'); this.onLocalMediaChanged(false); } }

  shareScreen(enableAudio?: boolean | Callback | unknown, mediaSource?: unknown, callback?: Callback): void {
    let withAudio = false;
    let cb: Callback | null = null;
    if (typeof enableAudio === 'boolean') withAudio = enableAudio;
    else if (enableAudio && typeof enableAudio === 'object' && !Array.isArray(enableAudio)) withAudio = true;
    else if (typeof enableAudio === 'function') cb = enableAudio as Callback;
    if (typeof mediaSource === 'function') cb = mediaSource as Callback;
    if (typeof callback === 'function') cb = callback;
    (async () => {
      const md = navigator.mediaDevices as MediaDevices & { getDisplayMedia?: (c?: any) => Promise<MediaStream> };
      if (!md.getDisplayMedia) throw new Error('Screensharing is not supported');
      const display = await md.getDisplayMedia({ video: true, audio: false });
      const tracks: MediaStreamTrack[] = [...display.getVideoTracks()];
      if (withAudio) {
        const mic = this.userMedia?.stream.getAudioTracks()[0];
        if (mic) tracks.push(mic.clone());
        else {
          try { tracks.push(...(await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()); } catch { /* screen only */ }
        }
      }
      const stream = new MediaStream(tracks);
      if (this.screen) this.stopLocal('screen', true);
      this.screen = { stream, settings: screenSettings(stream.getAudioTracks().length > 0), screenshare: true, audioFallback: false };
      this.watchEnded(this.screen);
      // The browser's "Stop sharing" ends the video track: behave as stopScreen().
      display.getVideoTracks()[0]?.addEventListener('ended', () => { if (this.screen?.stream === stream) this.stopScreen(); });
      this.applyMute();
      this.emit('mediaAccessSuccess', stream, true, false, stream.id);
      this.onLocalMediaChanged(true);
      return stream;
    })().then((s) => cb?.(null, s), (e) => { this.emit('mediaAccessError', e as Error, true, false); cb?.(e, null); });
  }

  stopScreen(): void {
    if (!this.screen) return;
    this.stopLocal('screen');
    this.onLocalMediaChanged(true);
  }

  private watchEnded(local: LocalStream): void {
    let fired = false;
    const onEnded = () => {
      if (fired || local.stream.getTracks().some((t) => t.readyState === 'live')) return;
      fired = true;
      this.localEnded(local);
    };
    for (const t of local.stream.getTracks()) t.addEventListener('ended', onEnded);
    (local as LocalStream & { onEnded?: () => void }).onEnded = onEnded;
  }

  private localEnded(local: LocalStream): void {
    this.emit('mediaAccessStopped', local.screenshare, local.audioFallback, local.stream.id);
    if (this.inRoom && this.sid) {
      this.sendRoom({ type: SIG.STREAM, cid: this.session!.cid, streamId: local.stream.id, settings: local.settings, status: 'ended' });
      this.emit('streamEnded', this.sid, this.getPeerInfo(), true, local.screenshare, local.stream.id);
    }
  }

  /** Stops our stream (tracks end: the page's stop also lands here through watchEnded). */
  private stopLocal(which: 'user' | 'screen', replacing = false): void {
    const local = which === 'user' ? this.userMedia : this.screen;
    if (!local) return;
    if (which === 'user') this.userMedia = null; else this.screen = null;
    for (const t of local.stream.getTracks()) t.stop();
    // Track.stop() fires no 'ended' event: report it ourselves.
    (local as LocalStream & { onEnded?: () => void }).onEnded?.();
    if (!replacing && this.inRoom && this.sid) this.emit('peerUpdated', this.sid, this.getPeerInfo(), true);
  }

  private onLocalMediaChanged(announce: boolean): void {
    const local = this.activeLocal();
    for (const rec of this.peers.values()) void rec.session.setLocalMedia({ stream: local?.stream ?? null });
    if (this.inRoom && this.sid && announce) {
      if (local) this.emit('incomingStream', this.sid, local.stream, true, this.getPeerInfo(), local.screenshare, local.stream.id);
      this.emit('peerUpdated', this.sid, this.getPeerInfo(), true);
    }
  }

  private applyMute(): { hasAudio: boolean; hasVideo: boolean } {
    let hasAudio = false;
    let hasVideo = false;
    for (const l of [this.userMedia, this.screen]) {
      if (!l) continue;
      for (const t of l.stream.getAudioTracks()) { t.enabled = !this.muted.audioMuted; hasAudio = true; }
      for (const t of l.stream.getVideoTracks()) { t.enabled = !this.muted.videoMuted; hasVideo = true; }
    }
    return { hasAudio, hasVideo };
  }

  muteStream(options: { audioMuted?: boolean; videoMuted?: boolean }): void {
    if (!options || typeof options !== 'object') { log.error('Provided settings is not an object'); return; }
    if (!this.userMedia && !this.screen) { log.warn('No streams are available to mute / unmute!'); return; }
    const audioMuted = typeof options.audioMuted === 'boolean' ? options.audioMuted : true;
    const videoMuted = typeof options.videoMuted === 'boolean' ? options.videoMuted : true;
    const toggledAudio = this.muted.audioMuted !== audioMuted;
    const toggledVideo = this.muted.videoMuted !== videoMuted;
    if (!toggledAudio && !toggledVideo) return;
    this.muted = { audioMuted, videoMuted };
    const has = this.applyMute();
    const stamp = env.now();
    if (this.inRoom) {
      if (toggledVideo) this.sendRoom({ type: SIG.MUTE_VIDEO, muted: videoMuted, stamp });
      if (toggledAudio) this.sendRoom({ type: SIG.MUTE_AUDIO, muted: audioMuted, stamp });
    }
    if ((has.hasVideo && toggledVideo) || (has.hasAudio && toggledAudio)) {
      this.emit('localMediaMuted', { audioMuted: has.hasAudio ? audioMuted : true, videoMuted: has.hasVideo ? videoMuted : true });
      if (this.inRoom && this.sid) {
        this.emit('streamMuted', this.sid, this.getPeerInfo(), true, !!this.screen);
        this.emit('peerUpdated', this.sid, this.getPeerInfo(), true);
      }
    }
  }

  enableAudio(): void { this.muteStream({ audioMuted: false, videoMuted: this.muted.videoMuted }); }
  disableAudio(): void { this.muteStream({ audioMuted: true, videoMuted: this.muted.videoMuted }); }
  enableVideo(): void { this.muteStream({ videoMuted: false, audioMuted: this.muted.audioMuted }); }
  disableVideo(): void { this.muteStream({ videoMuted: true, audioMuted: this.muted.audioMuted }); }

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
  get peerId(): string | null { return this.sid; }
  isRoomLocked(): boolean { return this.roomLocked; }
}

// The constants live on the prototype, as in SkylinkJS (`skylink.READY_STATE_CHANGE...`).
Object.assign(Skylink.prototype, C.CONSTANTS);
export interface Skylink extends Readonly<typeof C.CONSTANTS> {} // eslint-disable-line @typescript-eslint/no-empty-object-type
