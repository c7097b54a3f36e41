// The room over the signaling connection: opening it, joining, and handling the server's and the
// peers' messages (enter/welcome/restart handshakes, SDP and candidates, status updates, chat,
// room lock, redirects). Creates one PeerSession per peer and removes it when the peer leaves.
import * as C from '../constants.js';
import { env } from '../env.js';
import type { MessageInfo } from '../events.js';
import { logger } from '../log.js';
import { SignalingClient } from '../signaling/SignalingClient.js';
import { SignalingState } from '../signaling/SignalingState.js';
import { SIG, type SigMessage } from '../signaling/messages.js';
import { PeerSession } from '../peer/PeerSession.js';
import { computeWeight, isPolite, shouldOffer } from '../peer/weight.js';
import { applyUserInfo, isScreensharing, peerStateFromMessage } from '../peer/peerInfo.js';
import type { DataTransferManager } from '../data/DataTransferManager.js';
import type { LocalMediaSource, PartContext, PeerInfoSource, PeerRecord, RoomSender } from '../context.js';

const log = logger('skylink');

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface RoomSignalingDeps extends PartContext {
  readonly media: LocalMediaSource;
  readonly info: PeerInfoSource;
  readonly data: Pick<DataTransferManager, 'addChannel' | 'hasMainChannel' | 'removePeer'>;
}

export class RoomSignaling implements RoomSender {
  constructor(private readonly ctx: RoomSignalingDeps) {}

  private get s() { return this.ctx.state; }

  sendJoinRoom(): void {
    const s = this.s.session!;
    this.s.signaling?.send({
      type: SIG.JOIN_ROOM, uid: s.username, cid: s.cid, rid: s.roomKey, userCred: s.userCred, timeStamp: s.timeStamp,
      apiOwner: s.apiOwner, roomCred: s.roomCred, start: s.start, len: s.len, isPrivileged: s.isPrivileged,
      autoIntroduce: s.autoIntroduce, key: this.s.initOptions!.appKey,
    });
  }

  openSignaling(timeoutMs: number): SignalingClient {
    const emit = this.ctx.emit;
    const sig = new SignalingClient({
      onStateChange: (state, prev) => this.onSignalingState(sig, state, prev),
      onMessage: (msg) => { if (this.s.signaling === sig) this.onSignal(msg); },
      onSocketError: (code, err, type, session) => emit('socketError', code, err, type, session),
      onChannelRetry: (type, attempt, session) => emit('channelRetry', type, attempt, session),
      onChannelError: (err, session) => emit('channelError', err, session),
      onSent: (msg) => {
        if (msg.type === SIG.PUBLIC_MESSAGE && this.s.sid) {
          emit('incomingMessage', { content: msg.data, isPrivate: false, targetPeerId: null, listOfPeers: [...this.s.peers.keys()],
            isDataChannel: false, senderPeerId: this.s.sid }, this.s.sid, this.ctx.info.getPeerInfo(), true);
        }
      },
    }, { timeoutMs, attemptsPerTarget: 1, delayMs: 500, delayMaxMs: 2000, reconnectAttempts: 3 });
    this.s.signaling = sig;
    return sig;
  }

  private onSignalingState(sig: SignalingClient, state: SignalingState, prev: SignalingState): void {
    const s = this.s;
    if (s.signaling !== sig) return;
    const session = { ...sig.session };
    if (state === SignalingState.Open) {
      this.ctx.emit('channelOpen', session);
      if (s.rejoinPending) { s.rejoinPending = false; this.sendJoinRoom(); }
    } else if (state === SignalingState.Reconnecting) {
      this.ctx.emit('channelClose', session);
      if (s.inRoom) {
        // The server dropped us from the room with the socket: peers are gone; rejoin when back.
        this.removeAllPeers();
        s.inRoom = false;
        s.rejoinPending = true;
      }
    } else if (state === SignalingState.Failed && prev === SignalingState.Reconnecting) {
      const selfId = s.sid;
      s.rejoinPending = false;
      s.signaling = null;
      if (selfId) this.ctx.emit('sessionDisconnect', selfId, this.ctx.info.getPeerInfo());
      s.sid = null;
    } else if (state === SignalingState.Closed && prev === SignalingState.Open) {
      this.ctx.emit('channelClose', session);
    }
  }

  /** Closes the signaling connection we no longer listen to, reporting channelClose ourselves. */
  closeSignaling(): void {
    const sig = this.s.signaling;
    this.s.signaling = null;
    if (sig) {
      const open = sig.state === SignalingState.Open;
      sig.close();
      if (open) this.ctx.emit('channelClose', { ...sig.session });
    }
  }

  sendRoom(msg: SigMessage): void {
    const s = this.s;
    if (!s.signaling || !s.sid || !s.session) return;
    s.signaling.send({ ...msg, mid: s.sid, rid: s.session.roomKey });
  }

  private onSignal(msg: SigMessage): void {
    const s = this.s;
    const emit = this.ctx.emit;
    if (msg.mid && msg.mid === s.sid && msg.type !== SIG.IN_ROOM && msg.type !== SIG.REDIRECT) return;
    const from = msg.mid ?? '';
    switch (msg.type) {
      case SIG.IN_ROOM: this.onInRoom(msg); break;
      case SIG.ENTER: this.onEnter(msg); break;
      case SIG.WELCOME: this.onWelcome(msg); break;
      case SIG.RESTART: this.onRestart(msg); break;
      case SIG.OFFER: s.peers.get(from)?.session.handleOffer(String(msg.sdp ?? ''), msg.userInfo); break;
      case SIG.ANSWER: s.peers.get(from)?.session.handleAnswer(String(msg.sdp ?? ''), msg.userInfo); break;
      case SIG.CANDIDATE:
        if (typeof msg.candidate === 'string') {
          s.peers.get(from)?.session.handleCandidate({ candidate: msg.candidate, sdpMid: msg.id ?? null, sdpMLineIndex: typeof msg.label === 'number' ? msg.label : null });
        }
        break;
      case SIG.BYE: if (from !== s.sid) this.removePeer(from); break;
      case SIG.REDIRECT: this.onRedirect(msg); break;
      case SIG.PUBLIC_MESSAGE:
      case SIG.PRIVATE_MESSAGE: {
        const isPrivate = msg.type === SIG.PRIVATE_MESSAGE;
        const m: MessageInfo = { content: msg.data, isPrivate, targetPeerId: isPrivate ? msg.target : null, isDataChannel: false, senderPeerId: from };
        emit('incomingMessage', m, from, this.ctx.info.getPeerInfo(from), false);
        break;
      }
      case SIG.UPDATE_USER: this.onStatus(msg, 'userData', (p) => { p.state.userData = msg.userData ?? ''; }); break;
      case SIG.MUTE_AUDIO: this.onStatus(msg, 'audioMuted', (p) => { p.state.mediaStatus.audioMuted = !!msg.muted; }, true); break;
      case SIG.MUTE_VIDEO: this.onStatus(msg, 'videoMuted', (p) => { p.state.mediaStatus.videoMuted = !!msg.muted; }, true); break;
      case SIG.STREAM: this.onStreamStatus(msg); break;
      case SIG.ROOM_LOCK:
        s.roomLocked = !!msg.lock;
        emit('roomLock', !!msg.lock, from, this.ctx.info.getPeerInfo(from), false);
        break;
      case SIG.PEER_LIST: emit('getPeersStateChange', C.GET_PEERS_STATE.RECEIVED, s.sid ?? '', msg.result); break;
      case SIG.INTRODUCE_ERROR:
        emit('introduceStateChange', C.INTRODUCE_STATE.ERROR, s.sid ?? '', msg.sendingPeerId, msg.receivingPeerId, msg.reason);
        break;
      case SIG.APPROACH: if (typeof msg.target === 'string') this.sendEnter(msg.target); break;
      case SIG.END_OF_CANDIDATES: break; // Chromium ends remote gathering by itself.
      default: log.debug('unhandled message', msg.type);
    }
  }

  private onInRoom(msg: SigMessage): void {
    const s = this.s;
    const info = this.ctx.info;
    s.sid = String(msg.sid);
    s.weight = computeWeight(Number(msg.tieBreaker) || 0, s.initOptions!.priorityWeightScheme);
    s.iceServers = this.parseIceServers(msg.pc_config?.iceServers);
    s.inRoom = true;
    s.signaling?.setIdentity(s.sid, s.session!.roomKey);
    this.ctx.emit('peerJoined', s.sid, info.getPeerInfo(), true);
    this.ctx.emit('handshakeProgress', C.HANDSHAKE_PROGRESS.ENTER, s.sid);
    const local = this.ctx.media.activeLocal();
    if (local) this.ctx.emit('incomingStream', s.sid, local.stream, true, info.getPeerInfo(), local.screenshare, local.stream.id);
    this.sendEnter();
  }

  private parseIceServers(list: unknown): RTCIceServer[] {
    const o = this.s.initOptions;
    if (o?.iceServer) return [{ urls: o.iceServer }];
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
    const s = this.s;
    const m: SigMessage = {
      type: '', agent: s.agent.name, version: s.agent.version,
      os: typeof navigator !== 'undefined' ? navigator.platform : '', userInfo: this.ctx.info.buildUserInfo(),
      receiveOnly: !this.ctx.media.activeLocal(), weight: s.weight, temasysPluginVersion: null,
      enableIceTrickle: s.initOptions!.enableIceTrickle, enableDataChannel: s.initOptions!.enableDataChannel,
      enableIceRestart: true, SMProtocolVersion: C.SM_PROTOCOL_VERSION, DTProtocolVersion: C.DT_PROTOCOL_VERSION,
    };
    if (target) m.target = target;
    return m;
  }

  private sendEnter(target?: string): void {
    this.sendRoom({ ...this.handshakeFields(target), type: SIG.ENTER });
  }

  private addPeer(msg: SigMessage): PeerRecord {
    const s = this.s;
    const { emit, info, data } = this.ctx;
    const id = String(msg.mid);
    const existing = s.peers.get(id);
    if (existing) return existing;
    const state = peerStateFromMessage(msg);
    const config: RTCConfiguration = {
      iceServers: s.iceServers,
      iceTransportPolicy: s.initOptions!.forceTURN ? 'relay' : 'all',
      bundlePolicy: 'balanced',
      rtcpMuxPolicy: 'require',
    };
    let rec: PeerRecord;
    const session = new PeerSession({ peerId: id, polite: isPolite(s.weight, state.config.priorityWeight), config, trickle: true }, {
      send: (m) => this.sendRoom({ ...m, target: id }),
      userInfo: () => info.buildUserInfo(),
      onRemoteUserInfo: (ui) => { applyUserInfo(rec.state, ui); emit('peerUpdated', id, info.getPeerInfo(id), false); },
      onRemoteStream: (stream) => {
        const screenshare = isScreensharing(rec.state.settings);
        rec.streams.set(stream.id, { screenshare, settings: { audio: rec.state.settings.audio, video: rec.state.settings.video } });
        emit('incomingStream', id, stream, false, info.getPeerInfo(id), screenshare, stream.id);
        emit('peerUpdated', id, info.getPeerInfo(id), false);
      },
      onDataChannel: (ch) => { if (s.initOptions!.enableDataChannel) data.addChannel(id, ch); else ch.close(); },
      beforeOffer: (pc) => {
        if (s.initOptions!.enableDataChannel && rec.state.config.enableDataChannel && !data.hasMainChannel(id)) {
          data.addChannel(id, pc.createDataChannel(`${s.sid}_${id}`, { ordered: true }));
        }
      },
      onSignalingState: (st) => emit('peerConnectionState', st, id),
      onIceState: (st) => {
        rec.connected = st === 'connected' || st === 'completed';
        emit('iceConnectionState', st, id);
        if (st === 'failed' && s.initOptions!.enableIceTrickle) emit('iceConnectionState', C.ICE_CONNECTION_STATE.TRICKLE_FAILED, id);
      },
      onGatheringState: (st) => emit('candidateGenerationState', st, id),
      onHandshake: (st, err) => emit('handshakeProgress', st, id, err ?? null),
    });
    rec = { id, state, session, stamps: { userData: 0, audioMuted: 0, videoMuted: 0 }, hasWelcome: false, connected: false, streams: new Map() };
    s.peers.set(id, rec);
    void session.setLocalMedia({ stream: this.ctx.media.activeLocal()?.stream ?? null });
    emit('peerJoined', id, info.getPeerInfo(id), false);
    emit('handshakeProgress', C.HANDSHAKE_PROGRESS.ENTER, id);
    return rec;
  }

  private onEnter(msg: SigMessage): void {
    if (!msg.mid) return;
    const isNew = !this.s.peers.has(msg.mid);
    this.addPeer(msg);
    this.sendRoom({ ...this.handshakeFields(msg.mid), type: SIG.WELCOME });
    if (isNew) this.ctx.emit('handshakeProgress', C.HANDSHAKE_PROGRESS.WELCOME, msg.mid);
  }

  private onWelcome(msg: SigMessage): void {
    if (!msg.mid) return;
    const isNew = !this.s.peers.has(msg.mid);
    const rec = this.addPeer(msg);
    if (isNew) this.ctx.emit('handshakeProgress', C.HANDSHAKE_PROGRESS.WELCOME, rec.id);
    const theirs = typeof msg.weight === 'number' ? msg.weight : 0;
    rec.state.config.priorityWeight = theirs;
    rec.session.polite = isPolite(this.s.weight, theirs);
    if (shouldOffer(this.s.weight, theirs)) {
      if (rec.hasWelcome) return;
      rec.hasWelcome = true;
      rec.session.negotiate();
    } else {
      this.sendRoom({ ...this.handshakeFields(rec.id), type: SIG.WELCOME });
    }
  }

  private onRestart(msg: SigMessage): void {
    const rec = msg.mid ? this.s.peers.get(msg.mid) : undefined;
    if (!rec) return;
    const fresh = peerStateFromMessage(msg);
    rec.state.agent = fresh.agent;
    rec.state.config = fresh.config;
    if (msg.userInfo) applyUserInfo(rec.state, msg.userInfo);
    const ice = msg.doIceRestart === true;
    if (shouldOffer(this.s.weight, fresh.config.priorityWeight) || msg.isRestartResend === true) {
      rec.session.negotiate({ iceRestart: ice });
    } else {
      this.sendRoom({ ...this.handshakeFields(rec.id), type: SIG.RESTART, doIceRestart: ice, isRestartResend: true, lastRestart: env.now() });
    }
    this.ctx.emit('peerRestart', rec.id, this.ctx.info.getPeerInfo(rec.id), false, ice);
  }

  private onRedirect(msg: SigMessage): void {
    const s = this.s;
    const action = String(msg.action ?? '');
    const reason = msg.reason === 'toClose' ? 'toclose' : String(msg.reason ?? '');
    if (action === C.SYSTEM_ACTION.REJECT) this.removeAllPeers();
    this.ctx.emit('systemAction', action, String(msg.info ?? ''), reason);
    if (action === C.SYSTEM_ACTION.REJECT) {
      const wasIn = s.inRoom;
      const selfId = s.sid;
      s.inRoom = false;
      this.closeSignaling();
      if (wasIn && selfId) this.ctx.emit('sessionDisconnect', selfId, this.ctx.info.getPeerInfo());
      s.sid = null;
    }
  }

  private onStatus(msg: SigMessage, key: 'userData' | 'audioMuted' | 'videoMuted', apply: (p: PeerRecord) => void, muteEvent = false): void {
    const rec = msg.mid ? this.s.peers.get(msg.mid) : undefined;
    if (!rec) return;
    if (typeof msg.stamp === 'number') {
      if (msg.stamp < rec.stamps[key]) return; // outdated
      rec.stamps[key] = msg.stamp;
    }
    apply(rec);
    const info = this.ctx.info;
    if (muteEvent) this.ctx.emit('streamMuted', rec.id, info.getPeerInfo(rec.id), false, isScreensharing(rec.state.settings));
    this.ctx.emit('peerUpdated', rec.id, info.getPeerInfo(rec.id), false);
  }

  private onStreamStatus(msg: SigMessage): void {
    const rec = msg.mid ? this.s.peers.get(msg.mid) : undefined;
    if (!rec || msg.status !== 'ended' || typeof msg.streamId !== 'string') return;
    const known = rec.streams.get(msg.streamId);
    const settings = known?.settings ?? msg.settings ?? {};
    rec.streams.delete(msg.streamId);
    const info = this.ctx.info.getPeerInfo(rec.id);
    info.settings.audio = settings.audio ?? false;
    info.settings.video = settings.video ?? false;
    this.ctx.emit('streamEnded', rec.id, info, false, known ? known.screenshare : isScreensharing(settings), msg.streamId);
  }

  removePeer(id: string): void {
    const rec = this.s.peers.get(id);
    if (!rec) return;
    const info = this.ctx.info.getPeerInfo(id);
    this.s.peers.delete(id);
    this.ctx.data.removePeer(id);
    rec.session.close();
    this.ctx.emit('peerLeft', id, info, false);
    for (const [streamId, st] of rec.streams) {
      const i = { ...info, settings: { ...info.settings, audio: st.settings.audio ?? false, video: st.settings.video ?? false } };
      this.ctx.emit('streamEnded', id, i, false, st.screenshare, streamId);
    }
  }

  removeAllPeers(): void {
    for (const id of [...this.s.peers.keys()]) this.removePeer(id);
  }
}
