// The part of the SkylinkJS 0.6 API the app uses, typed here so the app builds without the
// library's build and runs on either implementation: Aerie's own library (client/, served by
// aerie at /skylink.complete.min.js, the default) or the real SkylinkJS 0.6.37 from npm (served
// at /vendor/skylinkjs/skylink.complete.js; pick it with ?lib=skylinkjs, for comparisons).
// Events are typed with the library's own event map (client/src/events.ts: SkylinkJS' names and
// argument orders, which both implementations share), so a listener's parameters come from it.
import type { SkylinkEvents } from '../../../client/src/events';

export type { SkylinkEvents };
export type SkylinkEventName = keyof SkylinkEvents;
/** A listener of one event, its parameters as the library passes them. */
export type SkylinkListener<K extends SkylinkEventName> = (...args: SkylinkEvents[K]) => void;

/** A SkylinkJS callback: (error, null) or (null, success); SkylinkJS shapes both loosely. */
export type Callback = (error: any, success: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface PeerInfo {
  userData?: unknown;
  settings?: { audio?: unknown; video?: false | { screenshare?: boolean; [k: string]: unknown } };
  mediaStatus?: { audioMuted?: boolean; videoMuted?: boolean };
  [k: string]: unknown;
}

export interface TransferInfo {
  name?: string;
  size?: number;
  percentage?: number;
  data?: Blob | string;
  direction?: string;
  mimeType?: string;
  isPrivate?: boolean;
  [k: string]: unknown;
}

export interface MediaOptions {
  audio: boolean | { deviceId?: string; mute?: boolean };
  video: boolean | { deviceId?: string; mute?: boolean; resolution?: { width: number; height: number } };
  userData?: unknown;
}

export interface SkylinkApi {
  on<K extends SkylinkEventName>(event: K, listener: SkylinkListener<K>): void;
  off<K extends SkylinkEventName>(event?: K, listener?: SkylinkListener<K>): void;
  init(options: Record<string, unknown>, callback: Callback): void;
  joinRoom(room: string, options: MediaOptions, callback: Callback): void;
  leaveRoom(stopMedia?: boolean, callback?: Callback): void;
  lockRoom(): void;
  unlockRoom(): void;
  enableAudio(): void;
  disableAudio(): void;
  enableVideo(): void;
  disableVideo(): void;
  sendMessage(message: unknown, targetPeerId?: string): void;
  sendBlobData(data: Blob, timeout: number, callback: Callback): void;
  sendBlobData(data: Blob, timeout: number, targetPeerId: string | string[], sendChunksAsBinary: boolean, callback: Callback): void;
  acceptDataTransfer(peerId: string, transferId: string, accept: boolean): void;
  cancelDataTransfer(peerId: string, transferId: string): void;
  shareScreen(enableAudio?: boolean, mediaSource?: unknown, callback?: Callback): void;
  stopScreen(): void;
  setUserData(userData: unknown): void;
  getPeerInfo(peerId?: string): PeerInfo;
  /** Aerie's library only (not SkylinkJS 0.6): the joined room is an SFU room (media through the server), which then fires activeSpeakerChanged. */
  readonly hasMCU?: boolean;
  /** Aerie's library only (not SkylinkJS 0.6): another camera or microphone in the call, no renegotiation. */
  switchMediaDevice?(kind: 'audio' | 'video', deviceId: string, callback?: Callback): void;
  /** SkylinkJS 0.6.37 and Aerie's library: record the room through the MCU (SFU rooms); recordingState says how it goes. */
  startRecording?(callback?: Callback): void;
  stopRecording?(callback?: Callback, callbackSuccessWhenLink?: boolean): void;
}

export type SkylinkConstructor = new () => SkylinkApi;
export type LibraryChoice = 'aerie' | 'skylinkjs';

export const LIBRARY_URLS: Record<LibraryChoice, string> = {
  aerie: '/skylink.complete.min.js',
  skylinkjs: '/vendor/skylinkjs/skylink.complete.js',
};

/** The transfer states the app relies on: the same values in both libraries, taken from ours. */
export { DATA_TRANSFER_STATE as TRANSFER_STATE } from '../../../client/src/constants';

let loading: Promise<SkylinkConstructor> | null = null;

/** Loads the library once with a classic script tag and returns its global constructor. */
export function loadSkylink(choice: LibraryChoice): Promise<SkylinkConstructor> {
  if (loading) return loading;
  loading = new Promise<SkylinkConstructor>((resolve, reject) => {
    const existing = (window as unknown as { Skylink?: unknown }).Skylink;
    if (typeof existing === 'function') { resolve(existing as SkylinkConstructor); return; }
    const script = document.createElement('script');
    script.src = LIBRARY_URLS[choice];
    script.async = true;
    script.onload = () => {
      const ctor = (window as unknown as { Skylink?: unknown }).Skylink;
      if (typeof ctor === 'function') resolve(ctor as SkylinkConstructor);
      else reject(new Error(`${script.src} loaded but defined no Skylink`));
    };
    script.onerror = () => reject(new Error(`could not load the Skylink library from ${script.src}`));
    document.head.appendChild(script);
  });
  loading.catch(() => { loading = null; });
  return loading;
}
