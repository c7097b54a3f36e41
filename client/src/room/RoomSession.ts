// One joined room, from joinRoom() to leaveRoom() (or until the server turns us away or the
// signaling connection is lost for good). The owner of everything that lives that long: the
// signaling client, the peers (PeerDirectory, one PeerSession each), the data channels and
// transfers (DataTransferManager) and the room's state (our peer id, weight, lock). It hands each
// part a narrow interface: RoomSignaling (the messages) gets RoomSignalingHost, LocalMedia gets
// MediaRoom, the transfers a DataListener.
//
// The joinRoom() flow and the facade hear from the session on private channels (the join promise,
// RoomSessionObserver, getPeers() callbacks), never through the page's events: a page listener
// that returns false (SkylinkJS stops calling later listeners then) or throws cannot stall them.
import * as C from '../constants.js';
import type { HostEnv } from '../env.js';
import type { PeerInfo } from '../events.js';
import { logger } from '../log.js';
import type { NormalizedInit } from '../config.js';
import type { RoomCredentials } from '../signaling/ApiClient.js';
import { SignalingClient, type SignalingHost, type SignalingSession } from '../signaling/SignalingClient.js';
import { SignalingState } from '../signaling/SignalingState.js';
import { SIG, type SigMessage } from '../signaling/messages.js';
import { DataTransferManager, type DataHost } from '../data/DataTransferManager.js';
import { PeerDirectory } from '../peer/PeerDirectory.js';
import type { PeerHost } from '../peer/PeerSession.js';
import type { LocalProfile } from '../peer/LocalProfile.js';
import type { MediaRoom } from '../media/LocalMedia.js';
import type { Emit, LocalMediaSource } from '../context.js';
import { RoomSignaling, type RoomSignalingHost, type RoomState } from './RoomSignaling.js';
import { McuLink, MCU_ID } from './McuLink.js';
import type { RoomRecordings } from './RoomRecordings.js';

const log = logger('skylink');

/** What a room takes from the host. */
export type RoomHost = SignalingHost & PeerHost & DataHost & Pick<HostEnv, 'now'>;

/** How the session tells its owner (the facade) about itself: internal, not the page's events. */
export interface RoomSessionObserver {
  /** The session is over by itself: the server turned us away, or the connection is lost for good. */
  ended(session: RoomSession): void;
}

export interface RoomSessionDeps {
  readonly env: RoomHost;
  /** Public events (the page's). */
  readonly emit: Emit;
  readonly observer: RoomSessionObserver;
  readonly options: Readonly<NormalizedInit>;
  readonly credentials: RoomCredentials;
  /** The room's name (selectedRoom). */
  readonly roomName: string;
  readonly profile: Pick<LocalProfile, 'buildUserInfo' | 'selfInfo' | 'agent' | 'platform'>;
  readonly media: LocalMediaSource;
  /** The Skylink object's recordings (they outlive the room, as in SkylinkJS 0.6.37). */
  readonly recordings: RoomRecordings;
}

const JOIN_INTERRUPTED = 'Channel closed abruptly before session was established';

export class RoomSession implements MediaRoom, RoomSignalingHost {
  readonly state: RoomState = { sid: null, weight: 0, inRoom: false, locked: false, rejoinPending: false, iceServers: [], owner: null };
  readonly peers: PeerDirectory;
  readonly data: DataTransferManager;
  /** SFU rooms (the API said hasMCU): our one connection, to the MCU. Null in mesh rooms. */
  /** Our connection to the MCU: from the start in an SFU room, from a switch in an auto room. */
  mcu: McuLink | null;
  private readonly handler: RoomSignaling;
  /** Null once closed (by us, or lost for good): its callbacks are ignored from then on. */
  private signaling: SignalingClient | null;
  private joinWaiter: { resolve: (peerId: string) => void; reject: (e: Error) => void } | null = null;
  private peerListWaiters: Array<(list: unknown) => void> = [];

  constructor(private readonly deps: RoomSessionDeps) {
    const { emit, options } = deps;
    this.peers = new PeerDirectory({
      selfInfo: () => this.selfInfo(),
      selfId: () => this.state.sid,
      roomName: () => deps.roomName,
      isMainOpen: (peerId) => this.data.isMainOpen(peerId),
      localStream: () => deps.media.activeLocal()?.stream ?? null,
      createMediaStream: (tracks) => deps.env.createMediaStream(tracks),
    });
    this.data = new DataTransferManager({
      selfId: () => this.state.sid ?? '',
      agent: () => deps.profile.agent,
      peerDtVersion: (peerId) => this.peers.get(peerId)?.state.agent.DTProtocolVersion ?? '0.1.0',
      createChannel: (peerId, label) => {
        const p = this.peers.get(peerId);
        // Transfers need a channel per peer: none through the MCU (SkylinkJS 2.x refuses them too).
        if (!p || p.viaMcu || p.session.isClosed) return null;
        try { return p.session.pc.createDataChannel(label, { ordered: true }); } catch (e) { log.error(e); return null; }
      },
      transferState: (state, tid, peerId, info, error) => emit('dataTransferState', state, tid, peerId, info, error),
      incomingDataRequest: (tid, peerId, info, isSelf) => emit('incomingDataRequest', tid, peerId, info, isSelf),
      incomingData: (d, tid, peerId, info, isSelf) => emit('incomingData', d, tid, peerId, info, isSelf),
      incomingP2PMessage: (sender, content, isPrivate) => {
        emit('incomingMessage', { content, isPrivate, isDataChannel: true, targetPeerId: this.state.sid, senderPeerId: sender },
          sender, this.getPeerInfo(sender), false);
      },
      channelState: (state, peerId, error, name, type) => {
        emit('dataChannelState', state, peerId, error, name, type, null, { bufferedAmountLow: 0, bufferedAmountLowThreshold: 0 });
        if (state === C.DATA_CHANNEL_STATE.OPEN || state === C.DATA_CHANNEL_STATE.CLOSED) {
          if (type === C.DATA_CHANNEL_TYPE.MESSAGING && this.peers.has(peerId)) emit('peerUpdated', peerId, this.getPeerInfo(peerId), false);
        }
      },
    }, deps.env);
    this.data.simultaneousTransfers = options.enableSimultaneousTransfers;
    this.mcu = deps.credentials.hasMCU ? this.createMcuLink() : null;
    this.handler = new RoomSignaling(this);
    const sig: SignalingClient = new SignalingClient(deps.env, {
      onStateChange: (st, prev) => { if (this.signaling === sig) this.onSignalingState(sig, st, prev); },
      onMessage: (msg) => { if (this.signaling === sig) this.handler.onSignal(msg); },
      onSocketError: (code, err, type, session) => emit('socketError', code, err, type, session),
      onChannelRetry: (type, attempt, session) => emit('channelRetry', type, attempt, session),
      onChannelError: (err, session) => emit('channelError', err, session),
      onSent: (msg) => {
        // Our public chat reaches the page when it actually leaves (it may wait in a group).
        const sid = this.state.sid;
        if (msg.type === SIG.PUBLIC_MESSAGE && sid) {
          emit('incomingMessage', { content: msg.data, isPrivate: false, targetPeerId: null, listOfPeers: this.peers.ids(),
            isDataChannel: false, senderPeerId: sid }, sid, this.getPeerInfo(), true);
        }
      },
    }, { timeoutMs: options.socketTimeout, attemptsPerTarget: 1, delayMs: 500, delayMaxMs: 2000, reconnectAttempts: 3 });
    this.signaling = sig;
  }

  // ---- what the parts see ---------------------------------------------------------------------

  get env(): RoomHost { return this.deps.env; }
  get emit(): Emit { return this.deps.emit; }
  get options(): Readonly<NormalizedInit> { return this.deps.options; }

  /** An auto room switched to the SFU: our connection to the MCU, made now. */
  startMcu(): McuLink {
    if (!this.mcu) this.mcu = this.createMcuLink();
    return this.mcu;
  }

  /** An auto room switched back to a mesh: the connection to the MCU ends. */
  stopMcu(): void {
    this.mcu?.close();
    this.data.removePeer(MCU_ID);
    this.mcu = null;
  }

  private createMcuLink(): McuLink {
    return new McuLink({
      selfId: () => this.state.sid,
      config: () => this.handler.rtcConfig(),
      send: (m) => this.sendRoom(m),
      userInfo: () => this.deps.profile.buildUserInfo(),
      muted: () => this.deps.media.muted,
      screensharing: () => !!this.deps.media.activeLocal()?.screenshare,
      localStreamId: () => this.deps.media.activeLocal()?.stream.id ?? null,
      publisherStream: (id, stream) => this.handler.onPublisherStream(id, stream),
      onSignalingState: (st) => this.deps.emit('peerConnectionState', st, MCU_ID),
      onIceState: (st) => this.handler.onMcuIceState(st),
      onGatheringState: (st) => this.deps.emit('candidateGenerationState', st, MCU_ID),
      onHandshake: (st, err) => this.deps.emit('handshakeProgress', st, MCU_ID, err ?? null),
      messagingChannel: (pc) => {
        if (!this.deps.options.enableDataChannel) return;
        this.data.removePeer(MCU_ID); // a channel of an earlier connection to the MCU
        try { this.data.addChannel(MCU_ID, pc.createDataChannel(`${this.state.sid}_${MCU_ID}`, { ordered: true })); } catch (e) { log.error(e); }
      },
    }, this.deps.env);
  }
  get profile(): RoomSessionDeps['profile'] { return this.deps.profile; }
  get media(): LocalMediaSource { return this.deps.media; }
  get recordings(): RoomRecordings { return this.deps.recordings; }
  get credentials(): RoomCredentials { return this.deps.credentials; }
  get roomKey(): string { return this.deps.credentials.roomKey; }
  get cid(): string { return this.deps.credentials.cid; }
  get roomName(): string { return this.deps.roomName; }
  /** Our peer id, from `inRoom` until we are out (kept while the socket reconnects). */
  get sid(): string | null { return this.state.sid; }
  /** Our peer id while in the room (null while joining or reconnecting). */
  get selfId(): string | null { return this.state.inRoom ? this.state.sid : null; }

  selfInfo(): PeerInfo { return this.deps.profile.selfInfo({ room: this.deps.roomName, weight: this.state.weight }); }
  getPeerInfo(peerId?: string): PeerInfo { return this.peers.getPeerInfo(peerId); }
  /** SFU rooms: the loudest publisher as the MCU last named it (null: nobody, or a mesh room). */
  get activeSpeaker(): string | null { return this.handler.activeSpeaker; }

  /** Sends a message to the room, stamped with our id (dropped before `inRoom` or once closed). */
  sendRoom(msg: SigMessage): void {
    const sid = this.state.sid;
    if (!this.signaling || !sid) return;
    this.signaling.send({ ...msg, mid: sid, rid: this.roomKey });
  }

  /** LocalMedia: our stream changed; every peer connection takes it (resolves when all have). */
  async setPeersMedia(stream: MediaStream | null): Promise<void> {
    if (this.mcu) { await this.mcu.setLocalMedia(stream).catch(() => undefined); return; }
    await Promise.all(this.peers.all().map((rec) => rec.session.setLocalMedia({ stream }).catch(() => undefined)));
  }

  /** LocalMedia: our mute state changed (the peers heard muteAudioEvent/muteVideoEvent). */
  muteChanged(kinds: { audio: boolean; video: boolean }): void {
    this.mcu?.sendMute(kinds);
  }

  // ---- joining and leaving --------------------------------------------------------------------

  /** Opens the signaling connection (every port and transport in turn). */
  async connect(): Promise<void> {
    const sig = this.signaling;
    if (!sig) throw new Error(JOIN_INTERRUPTED);
    const c = this.deps.credentials;
    const protocol = c.url.startsWith('https:') ? 'https:' : 'http:';
    await sig.connect(protocol, c.signalingHost, protocol === 'https:' ? c.httpsPorts : c.httpPorts);
  }

  /** Sends joinRoom; resolves with our peer id once in the room, rejects when turned away or cut off. */
  join(): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.joinWaiter?.reject(new Error('joinRoom() process did not complete'));
      this.joinWaiter = { resolve, reject };
      this.sendJoinRoom();
    });
  }

  private sendJoinRoom(): void {
    const c = this.deps.credentials;
    this.signaling?.send({
      type: SIG.JOIN_ROOM, uid: c.username, cid: c.cid, rid: c.roomKey, userCred: c.userCred, timeStamp: c.timeStamp,
      apiOwner: c.apiOwner, roomCred: c.roomCred, start: c.start, len: c.len, isPrivileged: c.isPrivileged,
      autoIntroduce: c.autoIntroduce, key: this.deps.options.appKey,
      // We follow an auto room between mesh and SFU (the server's mediaMode message).
      mediaSwitch: true,
    });
  }

  /** leaveRoom(): every peer leaves (peerLeft each), then the socket closes (channelClose). */
  leave(): void {
    this.handler.removeAllPeers();
    this.state.inRoom = false;
    this.state.rejoinPending = false;
    this.closeSignaling();
    this.state.sid = null;
    this.settleJoin(new Error(JOIN_INTERRUPTED));
  }

  /** Privileged keys: asks the server for the realm's peers; `callback` gets the list. */
  requestPeers(showAll: boolean, callback: ((list: unknown) => void) | null): void {
    if (callback) this.peerListWaiters.push(callback);
    this.sendRoom({ type: SIG.GET_PEERS, showAll });
  }

  // ---- RoomSignalingHost: the handler's news (internal flow) ------------------------------------

  entered(sid: string): void { this.signaling?.setIdentity(sid, this.roomKey); }

  joined(sid: string): void {
    const w = this.joinWaiter;
    this.joinWaiter = null;
    w?.resolve(sid);
  }

  rejected(message: string): void {
    this.settleJoin(new Error(message || 'Rejected by the signaling server'));
    const s = this.state;
    const wasIn = s.inRoom;
    const selfId = s.sid;
    s.inRoom = false;
    this.closeSignaling();
    if (wasIn && selfId) this.deps.emit('sessionDisconnect', selfId, this.getPeerInfo());
    s.sid = null;
    this.deps.observer.ended(this);
  }

  peerListReceived(list: unknown): void {
    const waiters = this.peerListWaiters;
    this.peerListWaiters = [];
    for (const w of waiters) {
      try { w(list); } catch (e) { log.error('getPeers() callback failed', e); }
    }
  }

  // ---- the signaling connection ---------------------------------------------------------------

  private settleJoin(error: Error): void {
    const w = this.joinWaiter;
    this.joinWaiter = null;
    w?.reject(error);
  }

  private channelClosed(session: SignalingSession): void {
    this.deps.emit('channelClose', session);
    this.settleJoin(new Error(JOIN_INTERRUPTED));
  }

  private onSignalingState(sig: SignalingClient, state: SignalingState, prev: SignalingState): void {
    const s = this.state;
    const session = { ...sig.session };
    if (state === SignalingState.Open) {
      this.deps.emit('channelOpen', session);
      if (s.rejoinPending) { s.rejoinPending = false; this.sendJoinRoom(); }
    } else if (state === SignalingState.Reconnecting) {
      this.channelClosed(session);
      if (s.inRoom) {
        // The server dropped us from the room with the socket: peers are gone; rejoin when back.
        this.handler.removeAllPeers();
        s.inRoom = false;
        s.rejoinPending = true;
      }
    } else if (state === SignalingState.Failed && prev === SignalingState.Reconnecting) {
      const selfId = s.sid;
      s.rejoinPending = false;
      this.signaling = null;
      if (selfId) this.deps.emit('sessionDisconnect', selfId, this.getPeerInfo());
      s.sid = null;
      this.deps.observer.ended(this);
    } else if (state === SignalingState.Closed && prev === SignalingState.Open) {
      this.channelClosed(session);
    }
  }

  /** Closes the signaling connection we no longer listen to, reporting channelClose ourselves. */
  private closeSignaling(): void {
    const sig = this.signaling;
    this.signaling = null;
    if (sig) {
      const open = sig.state === SignalingState.Open;
      sig.close();
      if (open) this.channelClosed({ ...sig.session });
    }
  }
}
