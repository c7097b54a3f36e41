// joinRoom()/getUserMedia() media options → getUserMedia constraints and the `settings` object
// peers see in userInfo (the shape of SkylinkJS 0.6's _parseStreamSettings).
import { VIDEO_RESOLUTION } from '../constants.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface MediaOptions {
  audio?: boolean | Record<string, any>;
  video?: boolean | Record<string, any>;
  useExactConstraints?: boolean;
}

export interface ParsedMedia {
  settings: { audio: false | Record<string, any>; video: false | Record<string, any> };
  constraints: MediaStreamConstraints;
  muted: { audio: boolean; video: boolean };
}

/** The `settings` of one of our streams as peers see it (false: the stream has no such kind). */
export type StreamSettings = ParsedMedia['settings'];

export function parseMediaOptions(o: MediaOptions): ParsedMedia {
  const exact = !!o.useExactConstraints;
  const out: ParsedMedia = { settings: { audio: false, video: false }, constraints: { audio: false, video: false }, muted: { audio: false, video: false } };
  if (o.audio) {
    const a = typeof o.audio === 'object' ? o.audio : {};
    const s: Record<string, any> = { stereo: a.stereo === true, exactConstraints: exact, echoCancellation: a.echoCancellation !== false };
    const c: MediaTrackConstraints = { echoCancellation: s.echoCancellation };
    if (typeof a.deviceId === 'string' && a.deviceId) { s.deviceId = a.deviceId; c.deviceId = exact ? { exact: a.deviceId } : { ideal: a.deviceId }; }
    if (typeof a.useinbandfec === 'boolean') s.useinbandfec = a.useinbandfec;
    if (typeof a.usedtx === 'boolean') s.usedtx = a.usedtx;
    if (typeof a.mute === 'boolean') out.muted.audio = a.mute;
    out.settings.audio = s;
    out.constraints.audio = c;
  }
  if (o.video) {
    const v = typeof o.video === 'object' ? o.video : {};
    const res = { ...VIDEO_RESOLUTION.VGA } as { width: any; height: any };
    if (v.resolution && typeof v.resolution === 'object') {
      if (v.resolution.width) res.width = v.resolution.width;
      if (v.resolution.height) res.height = v.resolution.height;
    }
    const s: Record<string, any> = { resolution: res, screenshare: false, exactConstraints: exact };
    const dim = (x: any) => (typeof x === 'object' ? x : exact ? { exact: x } : { max: x });
    const c: MediaTrackConstraints = { width: dim(res.width), height: dim(res.height) };
    if (v.frameRate) { s.frameRate = v.frameRate; c.frameRate = dim(v.frameRate); }
    if (typeof v.deviceId === 'string' && v.deviceId) { s.deviceId = v.deviceId; c.deviceId = exact ? { exact: v.deviceId } : { ideal: v.deviceId }; }
    if (v.facingMode) { s.facingMode = v.facingMode; c.facingMode = v.facingMode; }
    if (typeof v.mute === 'boolean') out.muted.video = v.mute;
    out.settings.video = s;
    out.constraints.video = c;
  }
  return out;
}

export function screenSettings(withAudio: boolean): ParsedMedia['settings'] {
  return {
    audio: withAudio ? { stereo: false, echoCancellation: true, exactConstraints: false } : false,
    video: { screenshare: true, exactConstraints: false },
  };
}
