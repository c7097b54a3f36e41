// Our local streams: the camera/microphone stream and the screen share, their mute state, and
// what the room hears when they start, change or end. Device changes of the camera/microphone
// stream (the page's switchMediaDevice(), a device that goes away) are DeviceSwitcher's; this
// file swaps the tracks it hands over.
import * as C from '../constants.js';
import type { HostEnv } from '../env.js';
import type { PeerInfo } from '../events.js';
import { logger } from '../log.js';
import { SIG } from '../signaling/messages.js';
import { parseMediaOptions, screenSettings, type MediaOptions } from './settings.js';
import { DeviceSwitcher, type DeviceHost } from './DeviceSwitcher.js';
import { deviceOf, tracksOf, type MediaKind } from './devices.js';
import type { Callback, Emit, LocalMediaSource, LocalStream, RoomSender } from '../context.js';

const log = logger('skylink');

/** The joined room as our media sees it (RoomSession). */
export interface MediaRoom extends RoomSender {
  /** Our peer id while in the room; null while joining or reconnecting (nothing is announced then). */
  readonly selfId: string | null;
  /** The app's cid, stamped on `stream` messages. */
  readonly cid: string;
  selfInfo(): PeerInfo;
  /** Every peer connection takes our stream (replaceTrack, or a renegotiation when a kind comes or goes). */
  setPeersMedia(stream: MediaStream | null): Promise<void>;
  /** Our mute state changed (after the mute events went out): SFU rooms tell the MCU too. */
  muteChanged?(kinds: { audio: boolean; video: boolean }): void;
}

/** What our media takes from the host. */
export type MediaHost = Pick<HostEnv, 'mediaDevices' | 'createMediaStream' | 'isMediaStream' | 'now'>;

export interface LocalMediaDeps {
  readonly env: MediaHost;
  /** Public events (the page's). */
  readonly emit: Emit;
  /** init()'s audioFallback. */
  audioFallback(): boolean;
  /** The room we are in (or joining), if any. */
  room(): MediaRoom | null;
}

type DisplayMedia = MediaDevices & { getDisplayMedia?: (c?: DisplayMediaStreamOptions) => Promise<MediaStream> };

export class LocalMedia implements LocalMediaSource, DeviceHost {
  private userMedia: LocalStream | null = null;
  private screen: LocalStream | null = null;
  /** Fires a stream's end events once (stopLocal, or every track ended). */
  private readonly enders = new WeakMap<LocalStream, () => void>();
  private readonly devices: DeviceSwitcher;
  muted = { audioMuted: false, videoMuted: false };

  constructor(private readonly ctx: LocalMediaDeps) {
    this.devices = new DeviceSwitcher(this, ctx.emit, () => ctx.env.mediaDevices());
  }

  /** Our peer id and the room while we are in one (what the room hears about our media). */
  private inRoom(): { room: MediaRoom; selfId: string } | null {
    const room = this.ctx.room();
    const selfId = room?.selfId;
    return room && selfId ? { room, selfId } : null;
  }

  activeLocal(): LocalStream | null { return this.screen ?? this.userMedia; }
  hasUserMedia(): boolean { return !!this.userMedia; }
  hasScreen(): boolean { return !!this.screen; }

  async acquireUserMedia(options: MediaOptions): Promise<MediaStream> {
    const parsed = parseMediaOptions(options);
    let stream: MediaStream;
    let audioFallback = false;
    try {
      stream = await this.ctx.env.mediaDevices().getUserMedia(parsed.constraints);
    } catch (e) {
      if (!(this.ctx.audioFallback() && parsed.settings.audio && parsed.settings.video)) {
        this.ctx.emit('mediaAccessError', e as Error, false, false);
        throw e;
      }
      this.ctx.emit('mediaAccessFallback', { error: e as Error, diff: null }, C.MEDIA_ACCESS_FALLBACK_STATE.FALLBACKING, false, true);
      try {
        stream = await this.ctx.env.mediaDevices().getUserMedia({ audio: parsed.constraints.audio });
        parsed.settings.video = false;
        audioFallback = true;
      } catch (e2) {
        this.ctx.emit('mediaAccessError', e2 as Error, false, true);
        this.ctx.emit('mediaAccessFallback', { error: e2 as Error, diff: null }, C.MEDIA_ACCESS_FALLBACK_STATE.ERROR, false, true);
        throw e2;
      }
    }
    if (this.userMedia) this.stopLocal('user', true);
    if (parsed.muted.audio) this.muted.audioMuted = true;
    if (parsed.muted.video) this.muted.videoMuted = true;
    this.userMedia = { stream, settings: parsed.settings, screenshare: false, audioFallback, constraints: parsed.constraints };
    this.watchEnded(this.userMedia);
    this.applyMute();
    this.ctx.emit('mediaAccessSuccess', stream, false, audioFallback, stream.id);
    return stream;
  }

  getUserMedia(options?: MediaOptions | Callback, callback?: Callback): void {
    let o: MediaOptions = { audio: true, video: true };
    let cb: Callback | null = null;
    if (typeof options === 'function') cb = options;
    else if (options && typeof options === 'object') o = options;
    if (typeof callback === 'function') cb = callback;
    this.acquireUserMedia(o).then((s) => { this.onLocalMediaChanged(false); cb?.(null, s); }, (e) => cb?.(e, null));
  }

  sendStream(options: MediaOptions | MediaStream, callback?: Callback): void {
    if (this.ctx.env.isMediaStream(options)) {
      if (this.userMedia) this.stopLocal('user', true);
      this.userMedia = { stream: options, settings: { audio: options.getAudioTracks().length ? { stereo: false } : false,
        video: options.getVideoTracks().length ? { screenshare: false } : false }, screenshare: false, audioFallback: false };
      this.watchEnded(this.userMedia);
      this.ctx.emit('mediaAccessSuccess', options, false, false, options.id);
      this.onLocalMediaChanged(true);
      callback?.(null, options);
      return;
    }
    this.acquireUserMedia(options as MediaOptions).then((s) => { this.onLocalMediaChanged(true); callback?.(null, s); }, (e) => callback?.(e, null));
  }

  stopStream(): void { if (this.userMedia) { this.stopLocal('user'); this.onLocalMediaChanged(false); } }

  shareScreen(enableAudio?: boolean | Callback | unknown, mediaSource?: unknown, callback?: Callback): void {
    let withAudio = false;
    let cb: Callback | null = null;
    if (typeof enableAudio === 'boolean') withAudio = enableAudio;
    else if (enableAudio && typeof enableAudio === 'object' && !Array.isArray(enableAudio)) withAudio = true;
    else if (typeof enableAudio === 'function') cb = enableAudio as Callback;
    if (typeof mediaSource === 'function') cb = mediaSource as Callback;
    if (typeof callback === 'function') cb = callback;
    (async () => {
      const md = this.ctx.env.mediaDevices() as DisplayMedia;
      if (!md.getDisplayMedia) throw new Error('Screensharing is not supported');
      const display = await md.getDisplayMedia({ video: true, audio: false });
      const tracks: MediaStreamTrack[] = [...display.getVideoTracks()];
      if (withAudio) {
        const mic = this.userMedia?.stream.getAudioTracks()[0];
        if (mic) tracks.push(mic.clone());
        else {
          try { tracks.push(...(await md.getUserMedia({ audio: true })).getAudioTracks()); } catch { /* screen only */ }
        }
      }
      const stream = this.ctx.env.createMediaStream(tracks);
      if (this.screen) this.stopLocal('screen', true);
      this.screen = { stream, settings: screenSettings(stream.getAudioTracks().length > 0), screenshare: true, audioFallback: false };
      this.watchEnded(this.screen);
      // The browser's "Stop sharing" ends the video track: behave as stopScreen().
      display.getVideoTracks()[0]?.addEventListener('ended', () => { if (this.screen?.stream === stream) this.stopScreen(); });
      this.applyMute();
      this.ctx.emit('mediaAccessSuccess', stream, true, false, stream.id);
      this.onLocalMediaChanged(true);
      return stream;
    })().then((s) => cb?.(null, s), (e) => { this.ctx.emit('mediaAccessError', e as Error, true, false); cb?.(e, null); });
  }

  stopScreen(): void {
    if (!this.screen) return;
    this.stopLocal('screen');
    this.onLocalMediaChanged(true);
  }

  private watchEnded(local: LocalStream): void {
    let fired = false;
    const end = () => {
      if (fired) return;
      fired = true;
      this.localEnded(local);
    };
    this.enders.set(local, end);
    if (!local.screenshare) {
      // A camera or microphone that ends on its own is replaced by another device (DeviceSwitcher).
      for (const t of local.stream.getTracks()) this.devices.watch(t);
      return;
    }
    const onEnded = () => { if (!local.stream.getTracks().some((t) => t.readyState === 'live')) end(); };
    for (const t of local.stream.getTracks()) t.addEventListener('ended', onEnded);
  }

  private localEnded(local: LocalStream): void {
    this.ctx.emit('mediaAccessStopped', local.screenshare, local.audioFallback, local.stream.id);
    const r = this.inRoom();
    if (r) {
      r.room.sendRoom({ type: SIG.STREAM, cid: r.room.cid, streamId: local.stream.id, settings: local.settings, status: 'ended' });
      this.ctx.emit('streamEnded', r.selfId, r.room.selfInfo(), true, local.screenshare, local.stream.id);
    }
  }

  /** Stops our stream (tracks end: the page's stop also lands here through watchEnded). */
  stopLocal(which: 'user' | 'screen', replacing = false): void {
    const local = which === 'user' ? this.userMedia : this.screen;
    if (!local) return;
    if (which === 'user') this.userMedia = null; else this.screen = null;
    for (const t of local.stream.getTracks()) t.stop();
    // Track.stop() fires no 'ended' event: report it ourselves.
    this.enders.get(local)?.();
    const r = replacing ? null : this.inRoom();
    if (r) this.ctx.emit('peerUpdated', r.selfId, r.room.selfInfo(), true);
  }

  // ---- device changes (DeviceSwitcher) ---------------------------------------------------------

  /** switchMediaDevice(kind, deviceId, callback): another camera or microphone, same stream, no renegotiation. */
  switchDevice(kind: MediaKind, deviceId: string, callback?: Callback): void {
    this.devices.switchTo(kind, deviceId).then((s) => callback?.(null, s), (e) => {
      this.ctx.emit('mediaAccessError', e as Error, false, false);
      callback?.(e, null);
    });
  }

  userStream(): LocalStream | null { return this.userMedia; }

  async replaceUserTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    const local = this.userMedia;
    if (!local) { track?.stop(); return; }
    const stream = local.stream;
    const old = tracksOf(stream, kind).filter((t) => t !== track);
    for (const t of old) stream.removeTrack(t);
    if (track) {
      if (!stream.getTracks().includes(track)) stream.addTrack(track);
      track.enabled = !(kind === 'audio' ? this.muted.audioMuted : this.muted.videoMuted);
      const prev = local.settings[kind];
      const deviceId = deviceOf(track).deviceId;
      const base = prev && typeof prev === 'object' ? { ...prev } : parseMediaOptions({ [kind]: true }).settings[kind];
      local.settings = { ...local.settings, [kind]: deviceId ? { ...base, deviceId } : base };
    } else {
      local.settings = { ...local.settings, [kind]: false };
    }
    // The senders take the new track (replaceTrack); only a kind that comes or goes renegotiates.
    if (this.activeLocal() === local) await this.ctx.room()?.setPeersMedia(stream);
    for (const t of old) t.stop();
  }

  async startUserMedia(kind: MediaKind, deviceId: string): Promise<MediaStream> {
    const stream = await this.acquireUserMedia({ [kind]: { deviceId } });
    this.onLocalMediaChanged(true);
    return stream;
  }

  announceUserStream(openedDevice: boolean): void {
    const local = this.userMedia;
    if (!local) return;
    if (openedDevice) this.ctx.emit('mediaAccessSuccess', local.stream, false, local.audioFallback, local.stream.id);
    const r = this.inRoom();
    if (!r) return;
    if (!this.screen) this.ctx.emit('incomingStream', r.selfId, local.stream, true, r.room.selfInfo(), false, local.stream.id);
    this.ctx.emit('peerUpdated', r.selfId, r.room.selfInfo(), true);
  }

  userStreamEmpty(): void {
    this.stopLocal('user');
    this.onLocalMediaChanged(false);
  }

  private onLocalMediaChanged(announce: boolean): void {
    const local = this.activeLocal();
    void this.ctx.room()?.setPeersMedia(local?.stream ?? null);
    const r = announce ? this.inRoom() : null;
    if (r) {
      if (local) this.ctx.emit('incomingStream', r.selfId, local.stream, true, r.room.selfInfo(), local.screenshare, local.stream.id);
      this.ctx.emit('peerUpdated', r.selfId, r.room.selfInfo(), true);
    }
  }

  private applyMute(): { hasAudio: boolean; hasVideo: boolean } {
    let hasAudio = false;
    let hasVideo = false;
    for (const l of [this.userMedia, this.screen]) {
      if (!l) continue;
      for (const t of l.stream.getAudioTracks()) { t.enabled = !this.muted.audioMuted; hasAudio = true; }
      for (const t of l.stream.getVideoTracks()) { t.enabled = !this.muted.videoMuted; hasVideo = true; }
    }
    return { hasAudio, hasVideo };
  }

  muteStream(options: { audioMuted?: boolean; videoMuted?: boolean }): void {
    if (!options || typeof options !== 'object') { log.error('Provided settings is not an object'); return; }
    if (!this.userMedia && !this.screen) { log.warn('No streams are available to mute / unmute!'); return; }
    const audioMuted = typeof options.audioMuted === 'boolean' ? options.audioMuted : true;
    const videoMuted = typeof options.videoMuted === 'boolean' ? options.videoMuted : true;
    const toggledAudio = this.muted.audioMuted !== audioMuted;
    const toggledVideo = this.muted.videoMuted !== videoMuted;
    if (!toggledAudio && !toggledVideo) return;
    this.muted = { audioMuted, videoMuted };
    const has = this.applyMute();
    const stamp = this.ctx.env.now();
    const r = this.inRoom();
    if (r) {
      if (toggledVideo) r.room.sendRoom({ type: SIG.MUTE_VIDEO, muted: videoMuted, stamp });
      if (toggledAudio) r.room.sendRoom({ type: SIG.MUTE_AUDIO, muted: audioMuted, stamp });
      r.room.muteChanged?.({ audio: toggledAudio, video: toggledVideo });
    }
    if ((has.hasVideo && toggledVideo) || (has.hasAudio && toggledAudio)) {
      this.ctx.emit('localMediaMuted', { audioMuted: has.hasAudio ? audioMuted : true, videoMuted: has.hasVideo ? videoMuted : true });
      const now = this.inRoom();
      if (now) {
        this.ctx.emit('streamMuted', now.selfId, now.room.selfInfo(), true, !!this.screen);
        this.ctx.emit('peerUpdated', now.selfId, now.room.selfInfo(), true);
      }
    }
  }
}
