// Changing the camera or microphone of our camera/microphone stream while it is in use: on the
// page's request (switchMediaDevice), and by itself when a track ends on its own (the device was
// unplugged or access revoked): it then opens another device of the same kind, or, when none is
// left, sends the stream without that kind. Either way the page learns it through
// `mediaDeviceLost`.
//
// The stream object stays the same (its tracks are swapped), so peers keep their receivers and
// the page keeps its <video>: LocalMedia puts the new track on every peer connection with
// RTCRtpSender.replaceTrack(), which needs no renegotiation. Only losing a kind altogether (or
// gaining one) changes the SDP.
import { logger } from '../log.js';
import type { Emit } from '../context.js';
import { deviceConstraints, deviceOf, fallbackOrder, tracksOf, type DeviceEntry, type MediaDeviceRef, type MediaKind } from './devices.js';

const log = logger('skylink');

/** What the switcher needs from LocalMedia. */
export interface DeviceHost {
  /** The camera/microphone stream and the constraints it was opened with, if there is one. */
  userStream(): { stream: MediaStream; constraints?: MediaStreamConstraints } | null;
  /** Puts `track` (or nothing) in place of the stream's tracks of that kind, on every peer too, then stops the old ones. */
  replaceUserTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void>;
  /** No stream yet: opens one with this device alone and sends it. */
  startUserMedia(kind: MediaKind, deviceId: string): Promise<MediaStream>;
  /** Tells the page the stream changed (mediaAccessSuccess when a device was opened, incomingStream and peerUpdated for ourselves). */
  announceUserStream(openedDevice: boolean): void;
  /** The stream has no track left. */
  userStreamEmpty(): void;
}

const BUSY = new Set(['NotReadableError', 'AbortError', 'TrackStartError']);

export class DeviceSwitcher {
  /** Bumped by every change of a kind: a slower, older change gives way to a newer one. */
  private readonly seq: Record<MediaKind, number> = { audio: 0, video: 0 };
  private readonly watched = new WeakSet<MediaStreamTrack>();

  constructor(private readonly host: DeviceHost, private readonly emit: Emit, private readonly mediaDevices: () => MediaDevices) {}

  /** Falls back to another device when this track of our stream ends on its own. */
  watch(track: MediaStreamTrack): void {
    if (this.watched.has(track)) return;
    this.watched.add(track);
    track.addEventListener('ended', () => { void this.onEnded(track); });
  }

  /** Switches the stream's `kind` to the device `deviceId`; resolves with the (same) stream. */
  async switchTo(kind: MediaKind, deviceId: string): Promise<MediaStream> {
    const local = this.host.userStream();
    if (!local) return this.host.startUserMedia(kind, deviceId);
    const stream = local.stream;
    const seq = ++this.seq[kind];
    const current = tracksOf(stream, kind)[0] ?? null;
    if (current && current.readyState === 'live' && deviceOf(current).deviceId === deviceId) return stream;
    let track: MediaStreamTrack;
    try {
      track = await this.open(local.constraints, kind, deviceId);
    } catch (e) {
      if (!current || !BUSY.has((e as Error)?.name) || this.stale(seq, kind, stream)) throw e;
      // Some cameras cannot be open twice at once (a phone's front and back): free ours, retry.
      log.info('device busy, releasing the current one first:', (e as Error).name);
      const lost = deviceOf(current);
      current.stop();
      try {
        track = await this.open(local.constraints, kind, deviceId);
      } catch (e2) {
        // Ours is stopped now: find the stream another device of this kind (or none).
        void this.recover(kind, lost, new Set([deviceId]));
        throw e2;
      }
    }
    if (this.stale(seq, kind, stream)) { track.stop(); throw new Error('A newer device change replaced this one'); }
    await this.host.replaceUserTrack(kind, track);
    this.watch(track);
    this.host.announceUserStream(true);
    return stream;
  }

  private async onEnded(track: MediaStreamTrack): Promise<void> {
    const local = this.host.userStream();
    // A track we replaced or stopped ourselves is no longer in the stream.
    if (!local || !local.stream.getTracks().includes(track)) return;
    const kind = track.kind as MediaKind;
    const lost = deviceOf(track);
    log.warn(`our ${kind} device ended on its own (${lost.label || lost.deviceId}): looking for another one`);
    // Whatever ended it, leave no capture running behind.
    track.stop();
    await this.recover(kind, lost, new Set());
  }

  /** Replaces the lost device of `kind` by another one, or drops the kind from the stream. */
  private async recover(kind: MediaKind, lost: MediaDeviceRef & { groupId: string }, tried: Set<string>): Promise<void> {
    const local = this.host.userStream();
    if (!local) return;
    const stream = local.stream;
    const seq = ++this.seq[kind];
    const lostRef: MediaDeviceRef = { deviceId: lost.deviceId, label: lost.label };
    let devices: DeviceEntry[] = [];
    try { devices = await this.mediaDevices().enumerateDevices(); } catch (e) { log.warn('enumerateDevices failed', e); }
    for (const next of fallbackOrder(devices, kind, lost, tried)) {
      if (this.stale(seq, kind, stream)) return;
      let track: MediaStreamTrack;
      try {
        track = await this.open(local.constraints, kind, next.deviceId);
      } catch (e) {
        log.warn(`could not open ${kind} device ${next.label || next.deviceId}:`, (e as Error)?.name ?? e);
        continue;
      }
      if (this.stale(seq, kind, stream)) { track.stop(); return; }
      await this.host.replaceUserTrack(kind, track);
      this.watch(track);
      // What happened first, then the stream's news (a page may look at the kind before peerUpdated).
      this.emit('mediaDeviceLost', kind, lostRef, { deviceId: deviceOf(track).deviceId || next.deviceId, label: track.label || next.label }, stream);
      this.host.announceUserStream(true);
      return;
    }
    if (this.stale(seq, kind, stream)) return;
    log.warn(`no other ${kind} device: sending the stream without ${kind}`);
    await this.host.replaceUserTrack(kind, null);
    const empty = stream.getTracks().length === 0;
    this.emit('mediaDeviceLost', kind, lostRef, null, empty ? null : stream);
    if (empty) this.host.userStreamEmpty(); else this.host.announceUserStream(false);
  }

  private async open(base: MediaStreamConstraints | undefined, kind: MediaKind, deviceId: string): Promise<MediaStreamTrack> {
    const s = await this.mediaDevices().getUserMedia(deviceConstraints(base, kind, deviceId));
    const track = tracksOf(s, kind)[0];
    for (const t of s.getTracks()) if (t !== track) t.stop();
    if (!track) throw new Error(`getUserMedia gave no ${kind} track`);
    return track;
  }

  private stale(seq: number, kind: MediaKind, stream: MediaStream): boolean {
    return this.seq[kind] !== seq || this.host.userStream()?.stream !== stream;
  }
}
