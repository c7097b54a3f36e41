// Pure helpers for the camera and microphone pickers (before and during the call): the lists
// from enumerateDevices(), which device a stream uses, and what to tell the user when a device
// goes away or a switch fails.

export type DeviceKind = 'audio' | 'video';
export interface DeviceOption { id: string; label: string }
export interface DeviceRef { deviceId: string; label: string }

/** Cameras and microphones, labelled "Camera 2" where the browser gives no label. */
export function deviceOptions(all: ReadonlyArray<{ kind: string; deviceId: string; label: string }>): { cameras: DeviceOption[]; microphones: DeviceOption[] } {
  const list = (kind: string, word: string) => all.filter((d) => d.kind === kind && d.deviceId)
    .map((d, i) => ({ id: d.deviceId, label: d.label || `${word} ${i + 1}` }));
  return { cameras: list('videoinput', 'Camera'), microphones: list('audioinput', 'Microphone') };
}

/** The device id of the stream's track of that kind (getSettings()), or null. */
export function trackDeviceId(stream: MediaStream | null | undefined, kind: DeviceKind): string | null {
  const t = stream ? (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0] : undefined;
  if (!t || t.readyState === 'ended') return null;
  try { return t.getSettings().deviceId || null; } catch { return null; }
}

const noun = (kind: DeviceKind) => (kind === 'audio' ? 'microphone' : 'camera');
const named = (d: DeviceRef | null | undefined) => (d?.label ? ` “${d.label}”` : '');

/** Said when a device stopped on its own; `replacement` null: there was no other one. */
export function lostDeviceText(kind: DeviceKind, lost: DeviceRef, replacement: DeviceRef | null): string {
  if (replacement) return `Your ${noun(kind)}${named(lost)} stopped working. Now using${named(replacement) || ` another ${noun(kind)}`}.`;
  const consequence = kind === 'audio' ? 'the others cannot hear you' : 'the others cannot see you';
  return `Your ${noun(kind)}${named(lost)} stopped working and there is no other ${noun(kind)}: ${consequence}. Pick one in Devices when you plug one in.`;
}

export function switchFailedText(kind: DeviceKind, target: DeviceOption | undefined, error: unknown): string {
  const e = error as { name?: string; message?: string } | null;
  const why = e?.name === 'NotReadableError' ? 'it is busy (another app may be using it)'
    : e?.name === 'NotAllowedError' ? 'the browser was not allowed to use it'
      : e?.name === 'OverconstrainedError' || e?.name === 'NotFoundError' ? 'it is no longer there'
        : e?.message || 'it could not be opened';
  return `Could not switch to the ${noun(kind)}${target ? ` “${target.label}”` : ''}: ${why}. Still using the previous one.`;
}
