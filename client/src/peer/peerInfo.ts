// The peerInfo objects of SkylinkJS events, built from `enter`/`welcome`/`restart` messages and the
// userInfo carried by offers and answers.
import type { SigMessage } from '../signaling/messages.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface RemotePeerState {
  userData: unknown;
  settings: Record<string, any>;
  mediaStatus: { audioMuted: boolean; videoMuted: boolean };
  agent: { name: string; version: number; os: string; pluginVersion: string | null; SMProtocolVersion: string; DTProtocolVersion: string };
  config: { enableIceTrickle: boolean; enableIceRestart: boolean; enableDataChannel: boolean; priorityWeight: number; receiveOnly: boolean; publishOnly: boolean };
  parentId: string | null;
}

function parseVersion(v: unknown): number {
  if (typeof v !== 'string' || !v) return typeof v === 'number' ? v : 0;
  const parts = v.split('.');
  if (parts.length > 2) return parseFloat(`${parts[0]}.${parts.slice(1).join('0')}`) || 0;
  return parseFloat(v) || 0;
}

/** From an enter/welcome/restart message. */
export function peerStateFromMessage(m: SigMessage): RemotePeerState {
  const ui = (m.userInfo && typeof m.userInfo === 'object' ? m.userInfo : {}) as Record<string, any>;
  return {
    userData: ui.userData ?? '',
    settings: ui.settings && typeof ui.settings === 'object' ? { ...ui.settings } : {},
    mediaStatus: {
      audioMuted: ui.mediaStatus?.audioMuted === true,
      videoMuted: ui.mediaStatus?.videoMuted === true,
    },
    agent: {
      name: typeof m.agent === 'string' && m.agent ? m.agent : 'other',
      version: parseVersion(m.version),
      os: typeof m.os === 'string' ? m.os : '',
      pluginVersion: typeof m.temasysPluginVersion === 'string' ? m.temasysPluginVersion : null,
      SMProtocolVersion: typeof m.SMProtocolVersion === 'string' && m.SMProtocolVersion ? m.SMProtocolVersion : '0.1.1',
      DTProtocolVersion: typeof m.DTProtocolVersion === 'string' && m.DTProtocolVersion ? m.DTProtocolVersion : '0.1.0',
    },
    config: {
      enableIceTrickle: m.enableIceTrickle !== false,
      enableIceRestart: m.enableIceRestart === true,
      enableDataChannel: m.enableDataChannel !== false,
      priorityWeight: typeof m.weight === 'number' ? m.weight : 0,
      receiveOnly: m.receiveOnly === true,
      publishOnly: !!m.publishOnly,
    },
    parentId: typeof m.parentId === 'string' ? m.parentId : null,
  };
}

/** Applies an offer/answer's userInfo. */
export function applyUserInfo(s: RemotePeerState, ui: Record<string, any>): void {
  if (ui.settings && typeof ui.settings === 'object') s.settings = { ...ui.settings };
  if (ui.mediaStatus && typeof ui.mediaStatus === 'object') {
    s.mediaStatus = { audioMuted: ui.mediaStatus.audioMuted === true, videoMuted: ui.mediaStatus.videoMuted === true };
  }
  if ('userData' in ui) s.userData = ui.userData ?? '';
}

/** The public peerInfo (a fresh copy every time, as SkylinkJS clones). */
export function toPeerInfo(s: RemotePeerState, room: string, extra: { connected: boolean; dataOpen: boolean }): Record<string, any> {
  const settings: Record<string, any> = JSON.parse(JSON.stringify(s.settings ?? {}));
  if (settings.maxBandwidth) { settings.bandwidth = settings.maxBandwidth; delete settings.maxBandwidth; }
  settings.bandwidth = settings.bandwidth ?? {};
  settings.googleXBandwidth = settings.googleXBandwidth ?? {};
  if (!(typeof settings.audio === 'boolean' || (settings.audio && typeof settings.audio === 'object'))) settings.audio = false;
  if (!(typeof settings.video === 'boolean' || (settings.video && typeof settings.video === 'object'))) settings.video = false;
  settings.data = extra.dataOpen;
  const mediaStatus = { ...s.mediaStatus };
  if (!settings.audio) mediaStatus.audioMuted = true;
  if (!settings.video) mediaStatus.videoMuted = true;
  return {
    userData: s.userData ?? '',
    settings,
    mediaStatus,
    agent: { ...s.agent },
    room,
    config: { ...s.config },
    parentId: s.parentId,
    connected: extra.connected,
    init: true,
  };
}

export function isScreensharing(settings: Record<string, any> | undefined): boolean {
  return !!(settings && settings.video && typeof settings.video === 'object' && settings.video.screenshare);
}
