// SFU rooms (the API reply says `hasMCU`): our one RTCPeerConnection, to the server's peer 'MCU',
// spoken as SkylinkJS 2.x speaks it. We publish our tracks on it with an offer whose
// `mediaInfoList` names each section (`transceiverMid`) with our peer id as its `publisherId`,
// and confirm the MCU's answer with `answerAck`. The MCU adds the other members' tracks by offers
// of its own, whose `mediaInfoList` maps each section's mid to the peer whose media it carries:
// track events are sorted by that map into one MediaStream per publisher (audio and video
// together, as a mesh connection gives them), which RoomSignaling announces as that peer's
// incomingStream. Our mute changes also go to the MCU as `mediaInfoEvent`. Our messaging data
// channel goes to the MCU too, which passes each P2P message on to the peers it names.
//
// Owned by the RoomSession (through RoomSignaling's host); the PeerSession inside lives from the
// MCU's welcome until the room's peers are removed (leave, lost socket), and is made again at the
// next welcome.
import { logger } from '../log.js';
import { SIG, type SigMessage } from '../signaling/messages.js';
import { PeerSession, type PeerHost } from '../peer/PeerSession.js';

const log = logger('mcu');

/**
 * Our camera in three layers (simulcast) to the MCU, lowest first: it sends each subscriber the
 * layer its downlink carries. A browser that cannot make a layer (too small a picture) leaves it out.
 */
const SIMULCAST: RTCRtpEncodingParameters[] = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'f', maxBitrate: 1_500_000 },
];

/** The server peer's id in SkylinkJS (2.x `PEER_TYPE.MCU`). */
export const MCU_ID = 'MCU';

/** One entry of a `mediaInfoList` / a `mediaInfoEvent` (SkylinkJS 2.x peer-media). */
export interface MediaInfo {
  publisherId: string;
  mediaId: string;
  mediaType: 'audioMic' | 'videoCamera' | 'videoScreen' | string;
  mediaState: 'active' | 'muted' | 'stopped' | 'unavailable' | string;
  transceiverMid: string | null;
}

export interface McuLinkHost {
  /** Our peer id (the publisherId of our media). */
  selfId(): string | null;
  config(): RTCConfiguration;
  /** Sends to the MCU (the caller stamps mid/rid; the link sets `target`). */
  send(msg: SigMessage): void;
  userInfo(): Record<string, unknown>;
  muted(): { audioMuted: boolean; videoMuted: boolean };
  /** Our outgoing stream is a screen share (mediaType videoScreen). */
  screensharing(): boolean;
  /** The id of the stream we send (mediaId `AUDIO_<id>` / `VIDEO_<id>`). */
  localStreamId(): string | null;
  /** A publisher's tracks changed: `stream` holds all it sends us (the same object each time). */
  publisherStream(publisherId: string, stream: MediaStream): void;
  /** The connection's states, as a mesh PeerSession reports them (peer id 'MCU'). */
  onSignalingState(state: string): void;
  onIceState(state: string): void;
  onGatheringState(state: string): void;
  onHandshake(state: string, error?: Error | null): void;
  /** Our messaging channel to the MCU, created before our first offer (null: data channels are off). */
  messagingChannel(pc: RTCPeerConnection): void;
}

interface Publisher { stream: MediaStream; byMid: Map<string, MediaStreamTrack> }

export class McuLink {
  private current: PeerSession | null = null;
  /** The session our first offer went out on. */
  private started: PeerSession | null = null;
  /** Section mid → the peer whose media it carries (from every MCU offer and answer). */
  private readonly publisherOf = new Map<string, string>();
  private readonly publishers = new Map<string, Publisher>();
  private readonly dirty = new Set<string>();
  private announceQueued = false;

  constructor(private readonly host: McuLinkHost, private readonly env: PeerHost) {}

  /** The connection to the MCU, made on first use (the MCU's welcome). */
  get session(): PeerSession {
    if (this.current && !this.current.isClosed) return this.current;
    const session = new PeerSession({ peerId: MCU_ID, polite: false, config: this.host.config(), trickle: true, videoEncodings: SIMULCAST }, {
      send: (m) => this.host.send({ ...m, target: MCU_ID }),
      userInfo: () => this.host.userInfo(),
      onRemoteUserInfo: () => undefined, // the MCU's own (it publishes nothing)
      onRemoteStream: () => undefined, // onTrack takes them
      onDataChannel: (ch) => ch.close(), // the MCU opens none of its own
      beforeOffer: () => undefined,
      describe: (pc) => ({ mediaInfoList: this.ourMediaInfo(pc), publisherId: this.host.selfId() }),
      onTrack: (ev) => this.onTrack(ev),
      onRemoteAnswer: () => this.host.send({ type: SIG.ANSWER_ACK, success: true, target: MCU_ID }),
      onSignalingState: (st) => this.host.onSignalingState(st),
      onIceState: (st) => this.host.onIceState(st),
      onGatheringState: (st) => this.host.onGatheringState(st),
      onHandshake: (st, err) => this.host.onHandshake(st, err),
    }, this.env);
    this.current = session;
    return session;
  }

  get isOpen(): boolean { return !!this.current && !this.current.isClosed; }

  /** The MCU welcomed us: publish `stream` (null: receive only) with our first offer. */
  start(stream: MediaStream | null): void {
    const session = this.session;
    if (this.started === session) return; // a repeated welcome (our enter again): the connection stands
    this.started = session;
    // The messaging channel goes into the first offer, as SkylinkJS 2.x opens it to its MCU:
    // sendP2PMessage sends one MESSAGE on it with the target list, which the MCU passes on.
    this.host.messagingChannel(session.pc);
    session.setLocalMedia({ stream }).then(() => session.negotiate(), () => undefined /* closed meanwhile */);
  }

  setLocalMedia(stream: MediaStream | null): Promise<void> {
    return this.isOpen ? this.session.setLocalMedia({ stream }) : Promise.resolve();
  }

  handleOffer(msg: SigMessage): void {
    this.learn(msg.mediaInfoList);
    this.session.handleOffer(String(msg.sdp ?? ''));
  }

  handleAnswer(msg: SigMessage): void {
    this.learn(msg.mediaInfoList);
    if (this.isOpen) this.session.handleAnswer(String(msg.sdp ?? ''));
  }

  handleCandidate(c: RTCIceCandidateInit): void {
    if (this.isOpen) this.session.handleCandidate(c);
  }

  /** The MediaStream of a publisher's tracks, once any arrived. */
  streamOf(publisherId: string): MediaStream | null { return this.publishers.get(publisherId)?.stream ?? null; }

  /** A peer left: its tracks are no longer announced (the MCU turns its sections inactive). */
  forget(publisherId: string): void {
    this.publishers.delete(publisherId);
    this.dirty.delete(publisherId);
  }

  /** Our mute state changed: tell the MCU, which relays it to the members as `mediaInfoEvent`. */
  sendMute(kinds: { audio: boolean; video: boolean }): void {
    if (!this.isOpen) return;
    for (const info of this.ourMediaInfo(this.session.pc)) {
      const audio = info.mediaType === 'audioMic';
      if ((audio && !kinds.audio) || (!audio && !kinds.video)) continue;
      this.host.send({ type: SIG.MEDIA_INFO, target: MCU_ID, ...info });
    }
  }

  close(): void {
    this.current?.close();
    this.current = null;
    this.started = null;
    this.publisherOf.clear();
    this.publishers.clear();
    this.dirty.clear();
  }

  /** One entry per section we send on (SkylinkJS 2.x retrieveMediaInfoForOfferAnswer). */
  private ourMediaInfo(pc: RTCPeerConnection): MediaInfo[] {
    const self = this.host.selfId() ?? '';
    const muted = this.host.muted();
    const out: MediaInfo[] = [];
    for (const t of pc.getTransceivers()) {
      const track = t.sender.track;
      if (!track || !t.mid || (t.direction !== 'sendrecv' && t.direction !== 'sendonly')) continue;
      const streamId = this.host.localStreamId() ?? track.id;
      const audio = track.kind === 'audio';
      out.push({
        publisherId: self,
        mediaId: `${audio ? 'AUDIO' : 'VIDEO'}_${streamId}`,
        mediaType: audio ? 'audioMic' : this.host.screensharing() ? 'videoScreen' : 'videoCamera',
        mediaState: (audio ? muted.audioMuted : muted.videoMuted) ? 'muted' : 'active',
        transceiverMid: t.mid,
      });
    }
    return out;
  }

  private learn(list: unknown): void {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (!item || typeof item !== 'object') continue;
      const info = item as Partial<MediaInfo>;
      if (typeof info.transceiverMid !== 'string' || typeof info.publisherId !== 'string') continue;
      if (info.publisherId === this.host.selfId()) continue; // our own sections (in the MCU's answers)
      this.publisherOf.set(info.transceiverMid, info.publisherId);
      if (info.mediaState === 'unavailable') this.drop(info.publisherId, info.transceiverMid);
    }
  }

  private drop(publisherId: string, mid: string): void {
    const p = this.publishers.get(publisherId);
    const track = p?.byMid.get(mid);
    if (!p || !track) return;
    p.byMid.delete(mid);
    p.stream.removeTrack(track);
  }

  private onTrack(ev: RTCTrackEvent): void {
    const mid = ev.transceiver?.mid ?? null;
    const publisherId = mid !== null ? this.publisherOf.get(mid) : undefined;
    if (!mid || !publisherId) { log.warn('track on a section no mediaInfoList names', mid); return; }
    let p = this.publishers.get(publisherId);
    if (!p) {
      p = { stream: this.env.createMediaStream([]), byMid: new Map() };
      this.publishers.set(publisherId, p);
    }
    // A publisher sends one track of each kind: a newer section replaces an older one's track.
    for (const [oldMid, old] of p.byMid) {
      if (old.kind === ev.track.kind && oldMid !== mid) { p.byMid.delete(oldMid); p.stream.removeTrack(old); }
    }
    p.byMid.set(mid, ev.track);
    p.stream.addTrack(ev.track);
    this.dirty.add(publisherId);
    // A description adds all its tracks before the first track event: announce on the next task,
    // when each publisher's stream is complete.
    if (this.announceQueued) return;
    this.announceQueued = true;
    this.env.setTimeout(() => {
      this.announceQueued = false;
      const list = [...this.dirty];
      this.dirty.clear();
      for (const id of list) {
        const pub = this.publishers.get(id);
        if (pub && this.isOpen) this.host.publisherStream(id, pub.stream);
      }
    }, 0);
  }
}
