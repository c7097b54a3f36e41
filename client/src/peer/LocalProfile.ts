// Who we are to the others, in and out of a room: our user data and bandwidth limits, and the
// userInfo/peerInfo built from them, our local media and the init() options. Page-level (it
// outlives rooms: setUserData() before joinRoom() is what peers see first).
import * as C from '../constants.js';
import type { PeerInfo } from '../events.js';
import type { Agent, LocalMediaSource } from '../context.js';

export interface LocalProfileDeps {
  readonly agent: Agent;
  /** navigator.platform: the `os` peers see. */
  platform(): string;
  readonly media: LocalMediaSource;
  /** init()'s enableDataChannel / enableIceTrickle (false before init). */
  options(): { enableDataChannel: boolean; enableIceTrickle: boolean } | null;
}

/** Where we are: the room's name and our weight in it (0 outside a room). */
export interface SelfPlace { room: string | null; weight: number }

export class LocalProfile {
  userData: unknown = '';
  /** joinRoom()'s bandwidth option, reset by every join. */
  bandwidth: Record<string, number> = {};

  constructor(private readonly deps: LocalProfileDeps) {}

  get agent(): Agent { return this.deps.agent; }
  platform(): string { return this.deps.platform(); }

  /** Our userInfo as peers get it in enter/welcome/offer/answer. */
  buildUserInfo(): { userData: unknown; settings: Record<string, unknown>; mediaStatus: { audioMuted: boolean; videoMuted: boolean } } {
    const local = this.deps.media.activeLocal();
    const muted = this.deps.media.muted;
    const settings: Record<string, unknown> = local ? JSON.parse(JSON.stringify(local.settings)) : { audio: false, video: false };
    if (Object.keys(this.bandwidth).length > 0) settings.maxBandwidth = { ...this.bandwidth };
    const mediaStatus = { audioMuted: !settings.audio || muted.audioMuted, videoMuted: !settings.video || muted.videoMuted };
    return { userData: this.userData ?? '', settings, mediaStatus };
  }

  /** Our peerInfo as the page sees it. */
  selfInfo(place: SelfPlace): PeerInfo {
    const ui = this.buildUserInfo();
    const o = this.deps.options();
    const settings: Record<string, unknown> = { ...ui.settings, bandwidth: { ...this.bandwidth }, googleXBandwidth: {}, data: !!o?.enableDataChannel };
    delete settings.maxBandwidth;
    const agent = this.deps.agent;
    return {
      userData: ui.userData,
      settings,
      mediaStatus: ui.mediaStatus,
      agent: { name: agent.name, version: parseFloat(agent.version) || 0, os: this.deps.platform(),
        pluginVersion: null, SMProtocolVersion: C.SM_PROTOCOL_VERSION, DTProtocolVersion: C.DT_PROTOCOL_VERSION },
      room: place.room,
      config: {
        enableDataChannel: !!o?.enableDataChannel, enableIceTrickle: !!o?.enableIceTrickle,
        enableIceRestart: true, priorityWeight: place.weight, receiveOnly: !this.deps.media.activeLocal(), publishOnly: false,
      },
      parentId: null,
      connected: null,
      init: null,
    };
  }
}
