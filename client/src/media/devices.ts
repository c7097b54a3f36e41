// Pure helpers for switching a camera or microphone: which device a track comes from, the
// constraints that open one device of one kind, and the order in which to try the other devices
// when ours is gone (unplugged, revoked).

import type { MediaDeviceRef } from '../events.js';

export type { MediaDeviceRef };
export type MediaKind = 'audio' | 'video';

/** The part of MediaDeviceInfo we use (enumerateDevices). */
export interface DeviceEntry { kind: string; deviceId: string; label: string; groupId?: string }

export function inputKind(kind: MediaKind): MediaDeviceKind {
  return kind === 'audio' ? 'audioinput' : 'videoinput';
}

export function isMediaKind(x: unknown): x is MediaKind {
  return x === 'audio' || x === 'video';
}

export function tracksOf(stream: MediaStream, kind: MediaKind): MediaStreamTrack[] {
  return kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks();
}

/** The device a track captures from (getSettings() where the browser has it). */
export function deviceOf(track: MediaStreamTrack): MediaDeviceRef & { groupId: string } {
  let s: MediaTrackSettings = {};
  try { s = typeof track.getSettings === 'function' ? track.getSettings() : {}; } catch { /* ended or not a capture track */ }
  return { deviceId: s.deviceId ?? '', label: track.label ?? '', groupId: s.groupId ?? '' };
}

/**
 * getUserMedia constraints for one kind from one device: the kind's constraints of the stream
 * being changed (resolution, frame rate, echo cancellation...), with the device required exactly.
 */
export function deviceConstraints(base: MediaStreamConstraints | undefined, kind: MediaKind, deviceId: string): MediaStreamConstraints {
  const prev = base?.[kind];
  const own: MediaTrackConstraints = prev && typeof prev === 'object' ? { ...prev } : {};
  delete own.deviceId;
  delete own.groupId;
  delete own.facingMode;
  return kind === 'audio'
    ? { audio: { ...own, deviceId: { exact: deviceId } }, video: false }
    : { audio: false, video: { ...own, deviceId: { exact: deviceId } } };
}

/**
 * The devices to try, in order, instead of a lost one: same kind, not tried yet; first those of
 * another physical device (another groupId: the lost one may still be listed, or be what the
 * "default" entry points at), in the browser's order ("default" first where it has one).
 */
export function fallbackOrder(devices: DeviceEntry[], kind: MediaKind, lost: { deviceId: string; groupId?: string }, tried: ReadonlySet<string>): DeviceEntry[] {
  const want = inputKind(kind);
  const open = devices.filter((d) => d.kind === want && d.deviceId && d.deviceId !== lost.deviceId && !tried.has(d.deviceId));
  const sameGroup = (d: DeviceEntry) => !!lost.groupId && d.groupId === lost.groupId;
  return [...open.filter((d) => !sameGroup(d)), ...open.filter(sameGroup)];
}
