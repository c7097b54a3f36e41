// The room's messages from the signaling server and the peers: the enter/welcome/restart
// handshakes, SDP and candidates, status updates, chat, room lock, redirects. Creates one
// PeerSession per peer and removes it when the peer leaves. A part of RoomSession, which owns the
// signaling connection, the peers and the room state, and hands this handler only what it uses
// (RoomSignalingHost).
import * as C from '../constants.js';
import type { HostEnv, TimerId } from '../env.js';
import type { MessageInfo, PeerInfo } from '../events.js';
import { logger } from '../log.js';
import { SIG, type SigMessage } from '../signaling/messages.js';
import { PeerSession, type PeerHost } from '../peer/PeerSession.js';
import type { PeerDirectory } from '../peer/PeerDirectory.js';
import type { LocalProfile } from '../peer/LocalProfile.js';
import { computeWeight, isPolite, shouldOffer } from '../peer/weight.js';
import { applyUserInfo, isScreensharing, peerStateFromMessage } from '../peer/peerInfo.js';
import type { DataTransferManager } from '../data/DataTransferManager.js';
import type { NormalizedInit } from '../config.js';
import type { Emit, LocalMediaSource, PeerRecord } from '../context.js';
import { MCU_ID, type McuLink } from './McuLink.js';
import type { RoomRecordings } from './RoomRecordings.js';

const log = logger('skylink');

/** Auto rooms: how long a mesh connection waits at most for the MCU's media of that peer. */
const ADOPT_WAIT_MS = 3000;

/** The state of one joined room (owned by its RoomSession). */
export interface RoomState {
  /** Our peer id, from `inRoom` (kept while the socket reconnects; null once out). */
  sid: string | null;
  weight: number;
  /** In the room: `inRoom` came and the socket has not dropped since. */
  inRoom: boolean;
  locked: boolean;
  /** The socket dropped while in the room: send joinRoom again when it is back. */
  rejoinPending: boolean;
  iceServers: RTCIceServer[];
  /** Not in Skylink: the room's owner as aerie names it (the member longest in the room); null when the server does not say. */
  owner: string | null;
}

/** What the handler gets from its room session. */
export interface RoomSignalingHost {
  readonly state: RoomState;
  readonly options: Readonly<NormalizedInit>;
  readonly roomKey: string;
  readonly peers: PeerDirectory;
  readonly data: Pick<DataTransferManager, 'addChannel' | 'hasMainChannel' | 'removePeer'>;
  readonly media: LocalMediaSource;
  readonly profile: Pick<LocalProfile, 'buildUserInfo' | 'agent' | 'platform'>;
  readonly env: PeerHost & Pick<HostEnv, 'now'>;
  /** Public events (the page's). */
  readonly emit: Emit;
  /** SFU rooms (hasMCU): our one connection, to the server's peer 'MCU'; null in mesh rooms. */
  readonly mcu: McuLink | null;
  /** The recordings we hear of (`recordingEvent`). */
  readonly recordings: Pick<RoomRecordings, 'onEvent'>;
  /** An auto room's switch (mediaMode): make or end the connection to the MCU. */
  startMcu(): McuLink;
  stopMcu(): void;
  getPeerInfo(peerId?: string): PeerInfo;
  sendRoom(msg: SigMessage): void;
  // Internal flow (never through the page's events):
  /** `inRoom`: we have our peer id (group messages carry it from now on). */
  entered(sid: string): void;
  /** We are in the room and the page knows it (after our own peerJoined). */
  joined(sid: string): void;
  /** The server turned us away (`redirect` reject): the session closes itself. */
  rejected(message: string): void;
  /** `peerList` (getPeers()'s answer). */
  peerListReceived(list: unknown): void;
}

export class RoomSignaling {
  /** SFU rooms: the connection to the MCU is up (every peer's `connected`). */
  private mcuConnected = false;
  /** SFU rooms: the room's loudest publisher as the MCU last named it (null: nobody speaks). */
  private speaker: string | null = null;
  /** Auto rooms, to the SFU: peers whose MCU stream we wait to carry media before adopting it. */
  private readonly adoptWaits = new Map<string, TimerId | 'expired'>();

  get activeSpeaker(): string | null { return this.speaker; }

  constructor(private readonly host: RoomSignalingHost) {}

  private get s(): RoomState { return this.host.state; }

  onSignal(msg: SigMessage): void {
    const s = this.s;
    const { emit, peers } = this.host;
    if (msg.mid && msg.mid === s.sid && msg.type !== SIG.IN_ROOM && msg.type !== SIG.REDIRECT) return;
    const from = msg.mid ?? '';
    if (this.host.mcu && this.onMcuSignal(this.host.mcu, msg)) return;
    switch (msg.type) {
      case SIG.IN_ROOM: this.onInRoom(msg); break;
      case SIG.ENTER: this.onEnter(msg); break;
      case SIG.WELCOME: this.onWelcome(msg); break;
      case SIG.RESTART: this.onRestart(msg); break;
      case SIG.OFFER: peers.get(from)?.session.handleOffer(String(msg.sdp ?? ''), msg.userInfo); break;
      case SIG.ANSWER: peers.get(from)?.session.handleAnswer(String(msg.sdp ?? ''), msg.userInfo); break;
      case SIG.CANDIDATE:
        if (typeof msg.candidate === 'string') {
          peers.get(from)?.session.handleCandidate({ candidate: msg.candidate, sdpMid: msg.id ?? null, sdpMLineIndex: typeof msg.label === 'number' ? msg.label : null });
        }
        break;
      case SIG.BYE:
        if (from !== s.sid) this.removePeer(from);
        if (typeof msg.owner === 'string') this.setOwner(msg.owner); // the owner left: aerie names the next
        break;
      case SIG.REDIRECT: this.onRedirect(msg); break;
      case SIG.PUBLIC_MESSAGE:
      case SIG.PRIVATE_MESSAGE: {
        const isPrivate = msg.type === SIG.PRIVATE_MESSAGE;
        const m: MessageInfo = { content: msg.data, isPrivate, targetPeerId: isPrivate ? msg.target : null, isDataChannel: false, senderPeerId: from };
        emit('incomingMessage', m, from, this.host.getPeerInfo(from), false);
        break;
      }
      case SIG.UPDATE_USER: this.onStatus(msg, 'userData', (p) => { p.state.userData = msg.userData ?? ''; }); break;
      case SIG.MUTE_AUDIO: this.onStatus(msg, 'audioMuted', (p) => { p.state.mediaStatus.audioMuted = !!msg.muted; }, true); break;
      case SIG.MUTE_VIDEO: this.onStatus(msg, 'videoMuted', (p) => { p.state.mediaStatus.videoMuted = !!msg.muted; }, true); break;
      case SIG.STREAM: this.onStreamStatus(msg); break;
      case SIG.ROOM_LOCK:
        s.locked = !!msg.lock;
        emit('roomLock', !!msg.lock, from, this.host.getPeerInfo(from), false);
        break;
      case SIG.PEER_LIST:
        emit('getPeersStateChange', C.GET_PEERS_STATE.RECEIVED, s.sid ?? '', msg.result);
        this.host.peerListReceived(msg.result);
        break;
      case SIG.INTRODUCE_ERROR:
        emit('introduceStateChange', C.INTRODUCE_STATE.ERROR, s.sid ?? '', msg.sendingPeerId, msg.receivingPeerId, msg.reason);
        break;
      case SIG.APPROACH: if (typeof msg.target === 'string') this.sendEnter(msg.target); break;
      case SIG.MEDIA_MODE: this.onMediaMode(msg); break;
      case SIG.RECORDING: this.host.recordings.onEvent(msg); break;
      case SIG.END_OF_CANDIDATES: break; // Chromium ends remote gathering by itself.
      default: log.debug('unhandled message', msg.type);
    }
  }

  private onInRoom(msg: SigMessage): void {
    const s = this.s;
    const { emit } = this.host;
    const sid = String(msg.sid);
    s.sid = sid;
    s.weight = computeWeight(Number(msg.tieBreaker) || 0, this.host.options.priorityWeightScheme);
    s.iceServers = this.parseIceServers(msg.pc_config?.iceServers);
    s.inRoom = true;
    this.host.entered(sid);
    emit('peerJoined', sid, this.host.getPeerInfo(), true);
    this.setOwner(typeof msg.owner === 'string' && msg.owner ? msg.owner : null);
    this.host.joined(sid);
    emit('handshakeProgress', C.HANDSHAKE_PROGRESS.ENTER, sid);
    const local = this.host.media.activeLocal();
    if (local) emit('incomingStream', sid, local.stream, true, this.host.getPeerInfo(), local.screenshare, local.stream.id);
    // An auto room that is through the SFU already.
    if (msg.mediaMode === 'sfu' && !this.host.mcu) this.host.startMcu();
    // SFU rooms: only the MCU hears our enter (SkylinkJS 2.x: target 'MCU', publisherId).
    if (this.host.mcu) this.enterMcu(this.host.mcu);
    else this.sendEnter();
  }

  /** aerie's `owner` (inRoom, and the bye of an owner): `roomOwnerChanged` when it changes. */
  private setOwner(owner: string | null): void {
    if (owner === this.s.owner) return;
    this.s.owner = owner;
    this.host.emit('roomOwnerChanged', owner, owner !== null && owner === this.s.sid);
  }

  // ---- auto rooms: the server switches the room between mesh and SFU ---------------------------

  /**
   * `mediaMode` from the server. To `sfu`: we connect to the MCU and keep each peer's mesh
   * connection until the MCU brings that peer's media (onPublisherStream adopts it), so the
   * picture goes on. To `mesh`: the MCU's connection ends and we enter again as in a mesh room;
   * each peer gets a mesh connection of its own.
   */
  private onMediaMode(msg: SigMessage): void {
    const sid = this.s.sid;
    if (!sid) return;
    if (msg.mode === 'sfu' && !this.host.mcu) {
      log.info('the room goes through the SFU now');
      this.enterMcu(this.host.startMcu());
    } else if (msg.mode === 'mesh' && this.host.mcu) {
      log.info('the room is a mesh again');
      this.cancelAdoption();
      this.host.stopMcu();
      this.onMcuIceState('closed');
      for (const rec of this.host.peers.all()) {
        if (!rec.viaMcu) continue;
        rec.viaMcu = false;
        rec.hasWelcome = false;
        rec.session = this.meshSession(rec.id, rec);
        void rec.session.setLocalMedia({ stream: this.host.media.activeLocal()?.stream ?? null });
      }
      this.sendEnter();
    }
  }

  // ---- SFU rooms: everything negotiates with the MCU -------------------------------------------

  /** The messages that differ in an SFU room; false: handle as in a mesh room. */
  private onMcuSignal(mcu: McuLink, msg: SigMessage): boolean {
    const from = msg.mid ?? '';
    switch (msg.type) {
      // Members already there come in the MCU's welcome, later ones as an enter it forwards (no
      // welcome back: the MCU would swallow it).
      case SIG.ENTER: if (from && from !== MCU_ID) this.addMcuPeer(mcu, msg); return true;
      case SIG.WELCOME: if (from === MCU_ID) this.onMcuWelcome(mcu, msg); return true;
      case SIG.OFFER: if (from === MCU_ID) mcu.handleOffer(msg); return true;
      case SIG.ANSWER: if (from === MCU_ID) mcu.handleAnswer(msg); return true;
      case SIG.CANDIDATE:
        if (from === MCU_ID && typeof msg.candidate === 'string') {
          mcu.handleCandidate({ candidate: msg.candidate, sdpMid: msg.id ?? null, sdpMLineIndex: typeof msg.label === 'number' ? msg.label : null });
        }
        return true;
      case SIG.ANSWER_ACK: return true; // the MCU took our answer: nothing waits for it here
      case SIG.MEDIA_INFO: this.onMediaInfo(msg); return true;
      case SIG.ACTIVE_SPEAKER: if (from === MCU_ID) this.setActiveSpeaker(typeof msg.publisherId === 'string' && msg.publisherId ? msg.publisherId : null); return true;
      case SIG.RESTART: return true;
      case SIG.BYE:
        // The MCU lost our media connection (ICE consent, DTLS): enter again for a new one.
        if (from === MCU_ID && msg.publisherId === MCU_ID) { this.reenterMcu(mcu); return true; }
        return false;
      default: return false;
    }
  }

  private reenterMcu(mcu: McuLink): void {
    log.warn('the MCU lost our media connection: entering again');
    mcu.close();
    this.onMcuIceState('closed');
    this.enterMcu(mcu);
  }

  /**
   * Our enter to the MCU, and at once our offer: the server takes them in that order, so the
   * connection need not wait for the MCU's welcome (which lists the members for peerJoined; the
   * welcome's start() is then a no-op). Saves a round trip through a busy page at a switch.
   */
  private enterMcu(mcu: McuLink): void {
    const sid = this.s.sid;
    if (!sid) return;
    this.host.sendRoom({ ...this.handshakeFields(MCU_ID), type: SIG.ENTER, publisherId: sid });
    mcu.start(this.host.media.activeLocal()?.stream ?? null);
  }

  private onMcuWelcome(mcu: McuLink, msg: SigMessage): void {
    const list: unknown[] = Array.isArray(msg.peersInRoom) ? msg.peersInRoom : [];
    for (const entry of list) {
      if (!entry || typeof entry !== 'object') continue;
      const m = entry as SigMessage;
      if (typeof m.mid === 'string' && m.mid && m.mid !== this.s.sid && m.mid !== MCU_ID) this.addMcuPeer(mcu, m);
    }
    mcu.start(this.host.media.activeLocal()?.stream ?? null);
    // After a new connection to the MCU (reenterMcu), the members are reached through it.
    for (const rec of this.host.peers.all()) if (rec.viaMcu) rec.session = mcu.session;
  }

  private addMcuPeer(mcu: McuLink, msg: SigMessage): void {
    const { emit, peers } = this.host;
    const id = String(msg.mid);
    if (peers.has(id)) return;
    const rec: PeerRecord = {
      id, state: peerStateFromMessage(msg), session: mcu.session, stamps: { userData: 0, audioMuted: 0, videoMuted: 0 },
      hasWelcome: true, connected: this.mcuConnected, streams: new Map(), viaMcu: true, remoteStream: null,
    };
    peers.add(rec);
    emit('peerJoined', id, this.host.getPeerInfo(id), false);
    emit('handshakeProgress', C.HANDSHAKE_PROGRESS.ENTER, id);
    const stream = mcu.streamOf(id);
    if (stream) this.onPublisherStream(id, stream);
  }

  /** The MCU's tracks of one publisher (McuLink sorts them by mediaInfoList): that peer's stream. */
  onPublisherStream(id: string, stream: MediaStream): void {
    const rec = this.host.peers.get(id);
    if (!rec) return; // left, or not known yet (announced when it is)
    if (!rec.viaMcu) {
      // An auto room's switch to the SFU: the MCU brings this peer's media now, so its mesh
      // connection (and the data channels on it) can go, once the MCU's picture has come: until
      // then the page keeps showing the mesh one.
      if (!this.host.mcu) return;
      if (!this.mediaArrived(id, stream)) return;
      rec.session.close();
      this.host.data.removePeer(id);
      rec.viaMcu = true;
      rec.session = this.host.mcu.session;
      rec.connected = this.mcuConnected;
    }
    rec.remoteStream = stream;
    const screenshare = isScreensharing(rec.state.settings);
    rec.streams.set(stream.id, { screenshare, settings: { audio: rec.state.settings.audio, video: rec.state.settings.video } });
    const info = this.host;
    this.host.emit('incomingStream', id, stream, false, info.getPeerInfo(id), screenshare, stream.id);
    this.host.emit('peerUpdated', id, info.getPeerInfo(id), false);
  }

  /**
   * Whether the MCU's stream of a peer we still have a mesh connection to carries media: its
   * video (or, without video, its audio) has had packets (a remote track is muted until then).
   * If not, onPublisherStream runs again when it has, or after ADOPT_WAIT_MS whatever happens
   * (a publisher whose media does not come through the MCU must not keep two connections).
   */
  private mediaArrived(id: string, stream: MediaStream): boolean {
    const tracks = stream.getVideoTracks().length ? stream.getVideoTracks() : stream.getAudioTracks();
    if (tracks.length === 0 || tracks.some((t) => !t.muted) || this.adoptWaits.get(id) === 'expired') {
      this.adoptWaits.delete(id);
      return true;
    }
    if (this.adoptWaits.has(id)) return false;
    const again = (): void => {
      if (this.adoptWaits.get(id) !== timer) return;
      this.host.env.clearTimeout(timer);
      this.adoptWaits.delete(id);
      this.onPublisherStream(id, stream);
    };
    const timer = this.host.env.setTimeout(() => {
      if (this.adoptWaits.get(id) !== timer) return;
      this.adoptWaits.set(id, 'expired');
      this.onPublisherStream(id, stream);
    }, ADOPT_WAIT_MS);
    this.adoptWaits.set(id, timer);
    for (const t of tracks) t.addEventListener('unmute', again, { once: true });
    return false;
  }

  /** Stops waiting to adopt a peer's MCU stream (it left), or every peer's (no MCU any more). */
  private cancelAdoption(id?: string): void {
    for (const [peer, timer] of [...this.adoptWaits]) {
      if (id !== undefined && peer !== id) continue;
      if (timer !== 'expired') this.host.env.clearTimeout(timer);
      this.adoptWaits.delete(peer);
    }
  }

  onMcuIceState(st: string): void {
    this.mcuConnected = st === 'connected' || st === 'completed';
    for (const rec of this.host.peers.all()) if (rec.viaMcu) rec.connected = this.mcuConnected;
    this.host.emit('iceConnectionState', st, MCU_ID);
    if (st === 'failed' && this.host.options.enableIceTrickle) this.host.emit('iceConnectionState', C.ICE_CONNECTION_STATE.TRICKLE_FAILED, MCU_ID);
  }

  /**
   * The MCU's `activeSpeaker` (sent when the room's loudest publisher changes; "" when it fell
   * silent), or a speaker that left: `activeSpeakerChanged` when the value changes.
   */
  private setActiveSpeaker(id: string | null): void {
    if (id === this.speaker) return;
    this.speaker = id;
    this.host.emit('activeSpeakerChanged', id, id !== null && id === this.s.sid);
  }

  /** A publisher's mute state through the MCU (SkylinkJS 2.x peers send only this). */
  private onMediaInfo(msg: SigMessage): void {
    const rec = typeof msg.publisherId === 'string' ? this.host.peers.get(msg.publisherId) : undefined;
    if (!rec) return;
    const state = String(msg.mediaState ?? '');
    if (state !== 'muted' && state !== 'active') return; // stopped, unavailable: no mute change
    const type = String(msg.mediaType ?? '');
    const key = type === 'audioMic' ? 'audioMuted' : type === 'videoCamera' || type === 'videoScreen' ? 'videoMuted' : null;
    if (!key) return;
    const muted = state === 'muted';
    // Our library's peers also broadcast muteAudioEvent/muteVideoEvent: whichever comes first tells.
    if (rec.state.mediaStatus[key] === muted) return;
    rec.state.mediaStatus[key] = muted;
    this.host.emit('streamMuted', rec.id, this.host.getPeerInfo(rec.id), false, isScreensharing(rec.state.settings));
    this.host.emit('peerUpdated', rec.id, this.host.getPeerInfo(rec.id), false);
  }

  /** RTCPeerConnection settings for a peer (or the MCU). */
  rtcConfig(): RTCConfiguration {
    return {
      iceServers: this.s.iceServers,
      iceTransportPolicy: this.host.options.forceTURN ? 'relay' : 'all',
      bundlePolicy: 'balanced',
      rtcpMuxPolicy: 'require',
    };
  }

  private parseIceServers(list: unknown): RTCIceServer[] {
    const o = this.host.options;
    if (o.iceServer) return [{ urls: o.iceServer }];
    const out: RTCIceServer[] = [];
    if (!Array.isArray(list)) return out;
    for (const item of list) {
      if (!item || typeof item !== 'object') continue;
      // As the server sends them: RTCIceServer fields, or an old `url`.
      const s = item as { urls?: string | string[]; url?: unknown; username?: string; credential?: string };
      let urls = s.urls ?? null;
      let username = s.username;
      if (!urls && typeof s.url === 'string') {
        // Old entry `turn:USER@HOST:PORT?transport=udp`.
        const m = /^(turns?|stun):(?:([^@]+)@)?(.+)$/.exec(s.url);
        if (m) { urls = `${m[1]}:${m[3]}`; if (m[2] && !username) username = m[2]; }
      }
      if (!urls) continue;
      const entry: RTCIceServer = { urls };
      if (username) entry.username = username;
      if (s.credential) entry.credential = s.credential;
      out.push(entry);
    }
    return out;
  }

  private handshakeFields(target?: string): SigMessage {
    const { profile, options } = this.host;
    const m: SigMessage = {
      type: '', agent: profile.agent.name, version: profile.agent.version,
      os: profile.platform(), userInfo: profile.buildUserInfo(),
      receiveOnly: !this.host.media.activeLocal(), weight: this.s.weight, temasysPluginVersion: null,
      enableIceTrickle: options.enableIceTrickle, enableDataChannel: options.enableDataChannel,
      enableIceRestart: true, SMProtocolVersion: C.SM_PROTOCOL_VERSION, DTProtocolVersion: C.DT_PROTOCOL_VERSION,
    };
    if (target) m.target = target;
    return m;
  }

  private sendEnter(target?: string): void {
    this.host.sendRoom({ ...this.handshakeFields(target), type: SIG.ENTER });
  }

  private addPeer(msg: SigMessage): PeerRecord {
    const { emit, peers } = this.host;
    const info = this.host;
    const id = String(msg.mid);
    const existing = peers.get(id);
    if (existing) return existing;
    const state = peerStateFromMessage(msg);
    // The record and its session's listener refer to each other; the listener runs only later.
    const rec: PeerRecord = { id, state, session: null as unknown as PeerSession, stamps: { userData: 0, audioMuted: 0, videoMuted: 0 }, hasWelcome: false, connected: false, streams: new Map() };
    rec.session = this.meshSession(id, rec);
    peers.add(rec);
    void rec.session.setLocalMedia({ stream: this.host.media.activeLocal()?.stream ?? null });
    emit('peerJoined', id, info.getPeerInfo(id), false);
    emit('handshakeProgress', C.HANDSHAKE_PROGRESS.ENTER, id);
    return rec;
  }

  /** A mesh connection to peer `id` (its record `rec`). */
  private meshSession(id: string, rec: PeerRecord): PeerSession {
    const s = this.s;
    const { emit, data, options } = this.host;
    const info = this.host;
    const config = this.rtcConfig();
    return new PeerSession({ peerId: id, polite: isPolite(s.weight, rec.state.config.priorityWeight), config, trickle: true }, {
      send: (m) => this.host.sendRoom({ ...m, target: id }),
      userInfo: () => this.host.profile.buildUserInfo(),
      onRemoteUserInfo: (ui) => { applyUserInfo(rec.state, ui); emit('peerUpdated', id, info.getPeerInfo(id), false); },
      onRemoteStream: (stream) => {
        const screenshare = isScreensharing(rec.state.settings);
        rec.streams.set(stream.id, { screenshare, settings: { audio: rec.state.settings.audio, video: rec.state.settings.video } });
        emit('incomingStream', id, stream, false, info.getPeerInfo(id), screenshare, stream.id);
        emit('peerUpdated', id, info.getPeerInfo(id), false);
      },
      onDataChannel: (ch) => { if (options.enableDataChannel) data.addChannel(id, ch); else ch.close(); },
      beforeOffer: (pc) => {
        if (options.enableDataChannel && rec.state.config.enableDataChannel && !data.hasMainChannel(id)) {
          data.addChannel(id, pc.createDataChannel(`${s.sid}_${id}`, { ordered: true }));
        }
      },
      onSignalingState: (st) => emit('peerConnectionState', st, id),
      onIceState: (st) => {
        rec.connected = st === 'connected' || st === 'completed';
        emit('iceConnectionState', st, id);
        if (st === 'failed' && options.enableIceTrickle) emit('iceConnectionState', C.ICE_CONNECTION_STATE.TRICKLE_FAILED, id);
      },
      onGatheringState: (st) => emit('candidateGenerationState', st, id),
      onHandshake: (st, err) => emit('handshakeProgress', st, id, err ?? null),
    }, this.host.env);
  }

  private onEnter(msg: SigMessage): void {
    if (!msg.mid) return;
    const isNew = !this.host.peers.has(msg.mid);
    this.addPeer(msg);
    this.host.sendRoom({ ...this.handshakeFields(msg.mid), type: SIG.WELCOME });
    if (isNew) this.host.emit('handshakeProgress', C.HANDSHAKE_PROGRESS.WELCOME, msg.mid);
  }

  private onWelcome(msg: SigMessage): void {
    if (!msg.mid) return;
    const isNew = !this.host.peers.has(msg.mid);
    const rec = this.addPeer(msg);
    if (isNew) this.host.emit('handshakeProgress', C.HANDSHAKE_PROGRESS.WELCOME, rec.id);
    const theirs = typeof msg.weight === 'number' ? msg.weight : 0;
    rec.state.config.priorityWeight = theirs;
    rec.session.polite = isPolite(this.s.weight, theirs);
    if (shouldOffer(this.s.weight, theirs)) {
      if (rec.hasWelcome) return;
      rec.hasWelcome = true;
      rec.session.negotiate();
    } else {
      this.host.sendRoom({ ...this.handshakeFields(rec.id), type: SIG.WELCOME });
    }
  }

  private onRestart(msg: SigMessage): void {
    const rec = msg.mid ? this.host.peers.get(msg.mid) : undefined;
    if (!rec) return;
    const fresh = peerStateFromMessage(msg);
    rec.state.agent = fresh.agent;
    rec.state.config = fresh.config;
    if (msg.userInfo) applyUserInfo(rec.state, msg.userInfo);
    const ice = msg.doIceRestart === true;
    if (shouldOffer(this.s.weight, fresh.config.priorityWeight) || msg.isRestartResend === true) {
      rec.session.negotiate({ iceRestart: ice });
    } else {
      this.host.sendRoom({ ...this.handshakeFields(rec.id), type: SIG.RESTART, doIceRestart: ice, isRestartResend: true, lastRestart: this.host.env.now() });
    }
    this.host.emit('peerRestart', rec.id, this.host.getPeerInfo(rec.id), false, ice);
  }

  private onRedirect(msg: SigMessage): void {
    const action = String(msg.action ?? '');
    const reason = msg.reason === 'toClose' ? 'toclose' : String(msg.reason ?? '');
    if (action === C.SYSTEM_ACTION.REJECT) this.removeAllPeers();
    this.host.emit('systemAction', action, String(msg.info ?? ''), reason);
    if (action === C.SYSTEM_ACTION.REJECT) this.host.rejected(String(msg.info ?? ''));
  }

  private onStatus(msg: SigMessage, key: 'userData' | 'audioMuted' | 'videoMuted', apply: (p: PeerRecord) => void, muteEvent = false): void {
    const rec = msg.mid ? this.host.peers.get(msg.mid) : undefined;
    if (!rec) return;
    if (typeof msg.stamp === 'number') {
      if (msg.stamp < rec.stamps[key]) return; // outdated
      rec.stamps[key] = msg.stamp;
    }
    const before = muteEvent ? { ...rec.state.mediaStatus } : null;
    apply(rec);
    const info = this.host;
    // SFU rooms: the same change may already have come as the MCU's mediaInfoEvent.
    if (this.host.mcu && before && before.audioMuted === rec.state.mediaStatus.audioMuted &&
      before.videoMuted === rec.state.mediaStatus.videoMuted) return;
    if (muteEvent) this.host.emit('streamMuted', rec.id, info.getPeerInfo(rec.id), false, isScreensharing(rec.state.settings));
    this.host.emit('peerUpdated', rec.id, info.getPeerInfo(rec.id), false);
  }

  private onStreamStatus(msg: SigMessage): void {
    const rec = msg.mid ? this.host.peers.get(msg.mid) : undefined;
    if (!rec || msg.status !== 'ended' || typeof msg.streamId !== 'string') return;
    const known = rec.streams.get(msg.streamId);
    const settings = known?.settings ?? msg.settings ?? {};
    rec.streams.delete(msg.streamId);
    const info = this.host.getPeerInfo(rec.id);
    info.settings.audio = settings.audio ?? false;
    info.settings.video = settings.video ?? false;
    this.host.emit('streamEnded', rec.id, info, false, known ? known.screenshare : isScreensharing(settings), msg.streamId);
  }

  removePeer(id: string): void {
    const { peers, emit } = this.host;
    const rec = peers.get(id);
    if (!rec) return;
    const info = this.host.getPeerInfo(id);
    peers.delete(id);
    this.cancelAdoption(id);
    this.host.data.removePeer(id);
    if (rec.viaMcu) this.host.mcu?.forget(id); // the connection is everyone's: it stays
    else rec.session.close();
    emit('peerLeft', id, info, false);
    if (this.speaker === id) this.setActiveSpeaker(null); // the MCU names the next one when someone speaks
    for (const [streamId, st] of rec.streams) {
      const i = { ...info, settings: { ...info.settings, audio: st.settings.audio ?? false, video: st.settings.video ?? false } };
      emit('streamEnded', id, i, false, st.screenshare, streamId);
    }
  }

  removeAllPeers(): void {
    for (const id of this.host.peers.ids()) this.removePeer(id);
    this.cancelAdoption();
    this.host.mcu?.close();
    this.mcuConnected = false;
    if (this.host.mcu) this.setActiveSpeaker(null);
  }
}
