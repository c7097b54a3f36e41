// Peer info as the page sees it: ours (built from our local media and options) and the
// remote peers' (from their signaling state), plus the user data and the room's peer lists.
import * as C from '../constants.js';
import { env } from '../env.js';
import type { PeerInfo } from '../events.js';
import { SIG } from '../signaling/messages.js';
import { toPeerInfo } from './peerInfo.js';
import type { DataTransferManager } from '../data/DataTransferManager.js';
import type { LocalMediaSource, PartContext, PeerInfoSource, RoomSender } from '../context.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface PeerDirectoryDeps extends PartContext {
  readonly media: LocalMediaSource;
  readonly room: RoomSender;
  readonly data: Pick<DataTransferManager, 'isMainOpen'>;
}

export class PeerDirectory implements PeerInfoSource {
  constructor(private readonly ctx: PeerDirectoryDeps) {}

  buildUserInfo(): Record<string, unknown> {
    const s = this.ctx.state;
    const local = this.ctx.media.activeLocal();
    const muted = this.ctx.media.muted;
    const settings: Record<string, any> = local ? JSON.parse(JSON.stringify(local.settings)) : { audio: false, video: false };
    if (Object.keys(s.bandwidth).length > 0) settings.maxBandwidth = { ...s.bandwidth };
    const mediaStatus = { audioMuted: !settings.audio || muted.audioMuted, videoMuted: !settings.video || muted.videoMuted };
    return { userData: s.userData ?? '', settings, mediaStatus };
  }

  selfInfo(): PeerInfo {
    const s = this.ctx.state;
    const ui = this.buildUserInfo() as any;
    const settings = { ...ui.settings, bandwidth: { ...s.bandwidth }, googleXBandwidth: {}, data: !!s.initOptions?.enableDataChannel };
    delete settings.maxBandwidth;
    return {
      userData: ui.userData,
      settings,
      mediaStatus: ui.mediaStatus,
      agent: { name: s.agent.name, version: parseFloat(s.agent.version) || 0, os: typeof navigator !== 'undefined' ? navigator.platform : '',
        pluginVersion: null, SMProtocolVersion: C.SM_PROTOCOL_VERSION, DTProtocolVersion: C.DT_PROTOCOL_VERSION },
      room: s.selectedRoom,
      config: {
        enableDataChannel: !!s.initOptions?.enableDataChannel, enableIceTrickle: !!s.initOptions?.enableIceTrickle,
        enableIceRestart: true, priorityWeight: s.weight, receiveOnly: !this.ctx.media.activeLocal(), publishOnly: false,
      },
      parentId: null,
      connected: null,
      init: null,
    };
  }

  getPeerInfo(peerId?: string): PeerInfo {
    const s = this.ctx.state;
    if (typeof peerId === 'string' && peerId !== s.sid) {
      const rec = s.peers.get(peerId);
      if (!rec) return this.selfInfo(); // SkylinkJS answers with our own info
      return toPeerInfo(rec.state, s.selectedRoom ?? '', { connected: rec.connected, dataOpen: this.ctx.data.isMainOpen(peerId) });
    }
    return this.selfInfo();
  }

  getUserData(peerId?: string): unknown {
    const s = this.ctx.state;
    if (peerId && s.peers.has(peerId)) return s.peers.get(peerId)!.state.userData ?? '';
    return s.userData;
  }

  setUserData(userData: unknown): void {
    const s = this.ctx.state;
    s.userData = userData === undefined || userData === null ? '' : userData;
    if (!s.inRoom || !s.sid) return;
    this.ctx.room.sendRoom({ type: SIG.UPDATE_USER, userData: s.userData, stamp: env.now() });
    this.ctx.emit('peerUpdated', s.sid, this.getPeerInfo(), true);
  }

  getPeersInRoom(): Record<string, PeerInfo & { isSelf: boolean }> {
    const s = this.ctx.state;
    const out: Record<string, any> = {};
    if (s.sid) out[s.sid] = { ...this.getPeerInfo(), isSelf: true };
    for (const id of s.peers.keys()) out[id] = { ...this.getPeerInfo(id), isSelf: false };
    return out;
  }

  getPeersStream(): Record<string, MediaStream | null> {
    const s = this.ctx.state;
    const out: Record<string, MediaStream | null> = {};
    for (const [id, rec] of s.peers) {
      const recv = rec.session.pc.getReceivers().map((r) => r.track).filter(Boolean) as MediaStreamTrack[];
      out[id] = recv.length ? new MediaStream(recv) : null;
    }
    if (s.sid) out[s.sid] = this.ctx.media.activeLocal()?.stream ?? null;
    return out;
  }
}
