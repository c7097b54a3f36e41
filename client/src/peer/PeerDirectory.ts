// The peers of one joined room (owned by its RoomSession): their records (signaling state,
// PeerSession, streams) and their info as the page sees it, with ours beside them.
import type { PeerInfo } from '../events.js';
import { toPeerInfo } from './peerInfo.js';
import type { PeerRecord } from '../context.js';

/** What the directory needs from the room it belongs to. */
export interface PeerDirectoryDeps {
  /** Our own info (SkylinkJS answers getPeerInfo(unknownId) with it too). */
  selfInfo(): PeerInfo;
  /** Our peer id in the room, once in it. */
  selfId(): string | null;
  roomName(): string;
  /** The main data channel to the peer is open (peerInfo.settings.data). */
  isMainOpen(peerId: string): boolean;
  /** Our stream, for getPeersStream(). */
  localStream(): MediaStream | null;
  createMediaStream(tracks: MediaStreamTrack[]): MediaStream;
}

export class PeerDirectory {
  /** By peer id. Kept as a Map: the e2e suites read `skylink.peers` (rec.session.pc). */
  readonly records = new Map<string, PeerRecord>();

  constructor(private readonly deps: PeerDirectoryDeps) {}

  get(peerId: string): PeerRecord | undefined { return this.records.get(peerId); }
  has(peerId: string): boolean { return this.records.has(peerId); }
  ids(): string[] { return [...this.records.keys()]; }
  all(): PeerRecord[] { return [...this.records.values()]; }
  add(rec: PeerRecord): void { this.records.set(rec.id, rec); }
  delete(peerId: string): void { this.records.delete(peerId); }

  getPeerInfo(peerId?: string): PeerInfo {
    if (typeof peerId === 'string' && peerId !== this.deps.selfId()) {
      const rec = this.records.get(peerId);
      if (!rec) return this.deps.selfInfo(); // SkylinkJS answers with our own info
      return toPeerInfo(rec.state, this.deps.roomName(), { connected: rec.connected, dataOpen: this.deps.isMainOpen(peerId) });
    }
    return this.deps.selfInfo();
  }

  getUserData(peerId: string): unknown {
    return this.records.get(peerId)?.state.userData ?? '';
  }

  getPeersInRoom(): Record<string, PeerInfo & { isSelf: boolean }> {
    const out: Record<string, PeerInfo & { isSelf: boolean }> = {};
    const self = this.deps.selfId();
    if (self) out[self] = { ...this.getPeerInfo(), isSelf: true };
    for (const id of this.records.keys()) out[id] = { ...this.getPeerInfo(id), isSelf: false };
    return out;
  }

  getPeersStream(): Record<string, MediaStream | null> {
    const out: Record<string, MediaStream | null> = {};
    for (const [id, rec] of this.records) {
      if (rec.viaMcu) { out[id] = rec.remoteStream ?? null; continue; }
      const recv = rec.session.pc.getReceivers().map((r) => r.track).filter(Boolean) as MediaStreamTrack[];
      out[id] = recv.length ? this.deps.createMediaStream(recv) : null;
    }
    const self = this.deps.selfId();
    if (self) out[self] = this.deps.localStream();
    return out;
  }
}
