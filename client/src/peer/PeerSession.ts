// One RTCPeerConnection to one remote peer: unified plan with transceivers, trickle ICE, a
// negotiation queue so offers never interleave, perfect-negotiation glare handling (the polite
// side is the one with the lower Skylink weight), ICE restart on failure.
//
// Lifetime: owned by the room's PeerDirectory (a PeerRecord); close() is final and fires no more
// listener calls.
import { logger } from '../log.js';
import { OperationChain } from './OperationChain.js';
import type { SigMessage } from '../signaling/messages.js';
import type { HostEnv, TimerId } from '../env.js';

const log = logger('peer');

export interface LocalMedia { stream: MediaStream | null }

export interface PeerListener {
  /** Sends a signaling message to this peer (the session fills `target`). */
  send(msg: SigMessage): void;
  /** Our userInfo as sent in offers and answers. */
  userInfo(): Record<string, unknown>;
  onRemoteUserInfo(userInfo: Record<string, unknown>): void;
  onRemoteStream(stream: MediaStream): void;
  onDataChannel(channel: RTCDataChannel): void;
  onSignalingState(state: string): void;
  onIceState(state: string): void;
  onGatheringState(state: string): void;
  onHandshake(state: string, error?: Error | null): void;
  /** Called before each offer: the place to open the main data channel. */
  beforeOffer(pc: RTCPeerConnection): void;
  /** Extra fields for our offers and answers (the MCU's `mediaInfoList`). */
  describe?(pc: RTCPeerConnection): Record<string, unknown>;
  /** Takes every track event itself when set (the MCU link maps tracks to publishers). */
  onTrack?(ev: RTCTrackEvent): void;
  /** The remote side's answer to our offer is applied (the MCU wants an `answerAck`). */
  onRemoteAnswer?(): void;
}

export interface PeerSessionOptions {
  peerId: string;
  polite: boolean;
  config: RTCConfiguration;
  trickle: boolean;
  offerTimeoutMs?: number;
  /** Time in `disconnected` before we restart ICE. */
  disconnectedGraceMs?: number;
  /** Our video in layers (simulcast, one encoding per `rid`), as given to addTransceiver. */
  videoEncodings?: RTCRtpEncodingParameters[];
}

/** What a peer connection takes from the host. */
export type PeerHost = Pick<HostEnv, 'createPeerConnection' | 'createMediaStream' | 'setTimeout' | 'clearTimeout'>;

type Kind = 'audio' | 'video';

export class PeerSession {
  readonly pc: RTCPeerConnection;
  readonly peerId: string;
  polite: boolean;
  private readonly chain = new OperationChain();
  private makingOffer = false;
  private awaitingAnswer = false;
  private ignoreOffer = false;
  private pending: { iceRestart: boolean } | null = null;
  private offerTimer: TimerId | null = null;
  private disconnectedTimer: TimerId | null = null;
  private remoteCandidates: RTCIceCandidateInit[] = [];
  private slots: Partial<Record<Kind, RTCRtpTransceiver>> = {};
  private sentStreamIds: Partial<Record<Kind, string>> = {};
  private remoteStreamId: string | null = null;
  private local: LocalMedia = { stream: null };
  private gathered = 0;
  private closed = false;
  private offerAttempts = 0;
  /** Negotiations completed (local offer answered or remote offer answered). */
  negotiations = 0;

  constructor(private readonly opts: PeerSessionOptions, private readonly listener: PeerListener, private readonly host: PeerHost) {
    this.peerId = opts.peerId;
    this.polite = opts.polite;
    this.pc = host.createPeerConnection(opts.config);
    this.pc.onicecandidate = (ev) => this.onIceCandidate(ev.candidate);
    this.pc.ontrack = (ev) => this.onTrack(ev);
    this.pc.ondatachannel = (ev) => { if (!this.closed) this.listener.onDataChannel(ev.channel); };
    this.pc.onsignalingstatechange = () => { if (!this.closed) this.listener.onSignalingState(this.pc.signalingState); };
    this.pc.oniceconnectionstatechange = () => this.onIceConnectionState();
    this.pc.onicegatheringstatechange = () => { if (!this.closed) this.listener.onGatheringState(this.pc.iceGatheringState); };
  }

  get isClosed(): boolean { return this.closed; }

  /** Sets the stream we send; returns true when a renegotiation was started for it. */
  async setLocalMedia(media: LocalMedia): Promise<void> {
    this.local = media;
    // Before the first negotiation the initial offer or answer picks the media up; attaching now
    // would create transceivers of our own next to the ones the remote offer will create.
    if (this.negotiations === 0) {
      // An offer or answer that already took our tracks is on its way: swap a track it took
      // (device change) without touching the transceivers; the rest waits for its completion.
      await this.chain.run(() => this.swapBoundTracks());
      return;
    }
    const changed = await this.chain.run(() => this.attachLocal());
    if (changed) this.negotiate();
  }

  /**
   * Puts our tracks on transceivers: reuses one of the right kind that has never sent (also the
   * ones a remote offer created), else adds one. Every kind gets a transceiver, recvonly when we
   * have no track, so we always receive the peer's audio and video. Returns true when the SDP must
   * change (new transceiver, direction or stream id).
   */
  private async attachLocal(): Promise<boolean> {
    if (this.closed) return false;
    let changed = false;
    const stream = this.local.stream;
    for (const kind of ['audio', 'video'] as Kind[]) {
      const track = stream ? (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0] ?? null : null;
      let tr = this.slots[kind];
      if (tr && (tr as RTCRtpTransceiver & { stopped?: boolean }).stopped) tr = undefined;
      if (!tr) {
        const used = new Set(Object.values(this.slots));
        tr = this.pc.getTransceivers().find((t) => !used.has(t) && t.receiver.track?.kind === kind &&
          t.currentDirection !== 'stopped' && !(t as RTCRtpTransceiver & { stopped?: boolean }).stopped);
      }
      const direction: RTCRtpTransceiverDirection = track ? 'sendrecv' : 'recvonly';
      if (!tr) {
        const init: RTCRtpTransceiverInit = { direction, streams: track && stream ? [stream] : [] };
        if (kind === 'video' && track && this.opts.videoEncodings) init.sendEncodings = this.opts.videoEncodings;
        tr = this.pc.addTransceiver(track ?? kind, init);
        this.slots[kind] = tr;
        this.sentStreamIds[kind] = track && stream ? stream.id : undefined;
        changed = true;
        continue;
      }
      this.slots[kind] = tr;
      if (tr.sender.track !== track) await tr.sender.replaceTrack(track);
      if (track && stream && this.sentStreamIds[kind] !== stream.id) {
        const sender = tr.sender as RTCRtpSender & { setStreams?: (...s: MediaStream[]) => void };
        if (typeof sender.setStreams === 'function') { sender.setStreams(stream); changed = true; }
        this.sentStreamIds[kind] = stream.id;
      }
      if (tr.direction !== direction) { tr.direction = direction; changed = true; }
    }
    return changed;
  }

  private async swapBoundTracks(): Promise<void> {
    const stream = this.local.stream;
    if (this.closed || !stream) return;
    for (const kind of ['audio', 'video'] as Kind[]) {
      const tr = this.slots[kind];
      const track = (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0];
      if (tr && track && tr.sender.track && tr.sender.track !== track && this.sentStreamIds[kind] === stream.id) await tr.sender.replaceTrack(track);
    }
  }

  /** Asks for an offer; coalesces with one already queued. Safe to call any time. */
  negotiate(options: { iceRestart?: boolean } = {}): void {
    if (this.closed) return;
    this.pending = { iceRestart: (this.pending?.iceRestart ?? false) || !!options.iceRestart };
    this.kick();
  }

  private kick(): void {
    if (this.closed || !this.pending || this.awaitingAnswer || this.makingOffer) return;
    if (this.pc.signalingState !== 'stable') return;
    const { iceRestart } = this.pending;
    this.pending = null;
    this.makingOffer = true;
    this.chain.run(async () => {
      try {
        if (this.pc.signalingState !== 'stable') { this.pending = this.pending ?? { iceRestart }; return; }
        await this.attachLocal();
        this.listener.beforeOffer(this.pc);
        const offer = await this.pc.createOffer({ iceRestart });
        if (this.pc.signalingState !== 'stable') { this.pending = this.pending ?? { iceRestart }; return; }
        await this.pc.setLocalDescription(offer);
        this.awaitingAnswer = true;
        this.listener.onHandshake('offer');
        this.sendDescription();
        this.armOfferTimer();
      } catch (e) {
        if (!this.closed) { log.error(this.peerId, 'offer failed', e); this.listener.onHandshake('error', e as Error); }
      } finally {
        this.makingOffer = false;
      }
    }).catch(() => { /* closed */ });
  }

  /** A peer that drops our offer (SkylinkJS 0.6 does when not stable) must not stall the queue. */
  private armOfferTimer(): void {
    this.clearOfferTimer();
    this.offerTimer = this.host.setTimeout(() => {
      this.offerTimer = null;
      if (this.closed || !this.awaitingAnswer || this.pc.signalingState !== 'have-local-offer') return;
      if (++this.offerAttempts > 3) { this.listener.onHandshake('error', new Error('No answer to offer')); return; }
      log.warn(this.peerId, 'no answer, rolling back and offering again');
      this.chain.run(async () => {
        if (this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback' });
        this.awaitingAnswer = false;
        this.pending = this.pending ?? { iceRestart: false };
      }).then(() => this.kick(), () => undefined);
    }, this.opts.offerTimeoutMs ?? 8000);
  }

  private clearOfferTimer(): void {
    if (this.offerTimer) { this.host.clearTimeout(this.offerTimer); this.offerTimer = null; }
  }

  private sendDescription(): void {
    const d = this.pc.localDescription;
    if (!d) return;
    this.listener.send({ type: d.type, sdp: d.sdp, userInfo: this.listener.userInfo(), ...this.listener.describe?.(this.pc) });
  }

  /** Remote offer (perfect negotiation: the impolite side ignores a colliding one). */
  handleOffer(sdp: string, userInfo?: Record<string, unknown>): void {
    if (this.closed) return;
    const collision = this.makingOffer || this.pc.signalingState !== 'stable';
    this.ignoreOffer = !this.polite && collision;
    if (this.ignoreOffer) { log.info(this.peerId, 'ignoring colliding offer (impolite side)'); return; }
    if (userInfo) this.listener.onRemoteUserInfo(userInfo);
    this.chain.run(async () => {
      if (this.pc.signalingState === 'have-local-offer') {
        // Our offer lost: roll it back (implicitly, by applying theirs) and offer again afterwards.
        this.clearOfferTimer();
        this.awaitingAnswer = false;
        this.pending = this.pending ?? { iceRestart: false };
      }
      await this.pc.setRemoteDescription({ type: 'offer', sdp });
      this.listener.onHandshake('offer');
      await this.flushCandidates();
      const needMore = await this.attachLocal();
      const answer = await this.pc.createAnswer();
      await this.pc.setLocalDescription(answer);
      this.negotiations++;
      this.listener.onHandshake('answer');
      this.sendDescription();
      // A kind the offer had no m-line for needs our own offer.
      if (needMore && this.pc.getTransceivers().some((t) => !t.mid)) this.pending = this.pending ?? { iceRestart: false };
    }).then(() => this.kick(), (e) => {
      if (!this.closed) { log.error(this.peerId, 'handling offer failed', e); this.listener.onHandshake('error', e as Error); }
    });
  }

  handleAnswer(sdp: string, userInfo?: Record<string, unknown>): void {
    if (this.closed) return;
    this.chain.run(async () => {
      if (this.pc.signalingState !== 'have-local-offer') { log.warn(this.peerId, 'dropping answer in', this.pc.signalingState); return; }
      if (userInfo) this.listener.onRemoteUserInfo(userInfo);
      await this.pc.setRemoteDescription({ type: 'answer', sdp });
      this.clearOfferTimer();
      this.awaitingAnswer = false;
      this.offerAttempts = 0;
      this.negotiations++;
      this.listener.onHandshake('answer');
      this.listener.onRemoteAnswer?.();
      await this.flushCandidates();
      // Media that changed while this offer was out needs another round.
      if (await this.attachLocal()) this.pending = this.pending ?? { iceRestart: false };
    }).then(() => this.kick(), (e) => {
      if (!this.closed) { log.error(this.peerId, 'handling answer failed', e); this.listener.onHandshake('error', e as Error); }
    });
  }

  handleCandidate(c: RTCIceCandidateInit): void {
    if (this.closed) return;
    if (!this.pc.remoteDescription) { this.remoteCandidates.push(c); return; }
    this.pc.addIceCandidate(c).catch((e) => { if (!this.ignoreOffer) log.debug(this.peerId, 'addIceCandidate failed', e); });
  }

  private async flushCandidates(): Promise<void> {
    const list = this.remoteCandidates;
    this.remoteCandidates = [];
    for (const c of list) {
      try { await this.pc.addIceCandidate(c); } catch (e) { log.debug(this.peerId, 'queued candidate failed', e); }
    }
  }

  private onIceCandidate(c: RTCIceCandidate | null): void {
    if (this.closed || !this.opts.trickle) return;
    if (c && c.candidate) {
      this.gathered++;
      this.listener.send({ type: 'candidate', label: c.sdpMLineIndex, id: c.sdpMid, candidate: c.candidate });
    } else if (!c) {
      this.listener.send({ type: 'endOfCandidates', noOfExpectedCandidates: this.gathered });
    }
  }

  private onTrack(ev: RTCTrackEvent): void {
    if (this.closed) return;
    if (this.listener.onTrack) { this.listener.onTrack(ev); return; }
    const stream = ev.streams[0] ?? this.host.createMediaStream([ev.track]);
    // One announcement per stream change (a description adds all its tracks at once; a peer
    // switching to its screen and back changes the stream id each time).
    if (stream.id === this.remoteStreamId) return;
    this.remoteStreamId = stream.id;
    // All tracks of one description are added before any track event fires; announcing on the
    // next task lets the page see the complete stream once.
    this.host.setTimeout(() => { if (!this.closed) this.listener.onRemoteStream(stream); }, 0);
  }

  private onIceConnectionState(): void {
    if (this.closed) return;
    const s = this.pc.iceConnectionState;
    this.listener.onIceState(s);
    if (this.disconnectedTimer) { this.host.clearTimeout(this.disconnectedTimer); this.disconnectedTimer = null; }
    if (s === 'failed') {
      this.restartIce();
    } else if (s === 'disconnected') {
      this.disconnectedTimer = this.host.setTimeout(() => {
        this.disconnectedTimer = null;
        if (!this.closed && this.pc.iceConnectionState === 'disconnected') this.restartIce();
      }, this.opts.disconnectedGraceMs ?? 5000);
    }
  }

  restartIce(): void {
    log.info(this.peerId, 'restarting ICE');
    this.negotiate({ iceRestart: true });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.chain.close();
    this.clearOfferTimer();
    if (this.disconnectedTimer) this.host.clearTimeout(this.disconnectedTimer);
    try { this.pc.close(); } catch { /* already closed */ }
  }
}
