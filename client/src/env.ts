// Everything the library takes from its host (WebRTC, media devices, fetch, socket.io, timers, the
// page's location), as one object handed to each Skylink instance: `new Skylink()` uses the
// browser's (browserEnv), `new Skylink({ env })` replaces any part of it (the Node unit tests
// give fakes this way). Each part gets only the slice it uses (a Pick of HostEnv), never a module
// singleton to patch.
import ioDefault from 'socket.io-client';

export interface SocketLike {
  on(event: string, fn: (...args: never[]) => void): unknown;
  off?(event: string, fn?: (...args: never[]) => void): unknown;
  removeAllListeners?(event?: string): unknown;
  send(data: string): unknown;
  disconnect(): unknown;
  connected?: boolean;
  io?: { engine?: { transport?: { name?: string } } };
}

export interface SocketOptions {
  forceNew: boolean;
  reconnection: boolean;
  reconnectionAttempts: number;
  reconnectionDelay: number;
  reconnectionDelayMax: number;
  timeout: number;
  transports: string[];
  query: Record<string, string>;
}

/** The part of a fetch() reply the API client reads. */
export interface FetchReply { status: number; text(): Promise<string> }
export type FetchLike = (url: string, init: RequestInit) => Promise<FetchReply>;

/** A timer id as the host's setTimeout returns it. */
export type TimerId = ReturnType<typeof setTimeout>;

export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

export interface HostEnv extends Timers {
  fetch: FetchLike;
  /** socket.io-client 2.x's io(url, options). */
  createSocket(url: string, options: SocketOptions): SocketLike;
  now(): number;
  /** WebRTC is there (init() fails with NO_WEBRTC_SUPPORT when not). */
  hasWebRTC(): boolean;
  createPeerConnection(config: RTCConfiguration): RTCPeerConnection;
  /** navigator.mediaDevices (getUserMedia, getDisplayMedia, enumerateDevices). */
  mediaDevices(): MediaDevices;
  createMediaStream(tracks: MediaStreamTrack[]): MediaStream;
  isMediaStream(value: unknown): value is MediaStream;
  /** socket.io may use the WebSocket transport (else long-polling only). */
  hasWebSocket(): boolean;
  userAgent(): string;
  /** navigator.platform: the `os` peers see. */
  platform(): string;
  /** The page's location (protocol `https:`/`http:`, host `name:port`), null outside a page. */
  pageLocation(): { protocol: string; host: string } | null;
  /** The origin (`//host:port`) of the script that loaded the library, the default roomServer. */
  scriptOrigin: string | null;
}

function currentScriptOrigin(): string | null {
  try {
    const s = typeof document !== 'undefined' ? (document.currentScript as HTMLScriptElement | null) : null;
    if (s && s.src) { const u = new URL(s.src, location.href); return `//${u.host}`; }
  } catch { /* not a browser */ }
  return null;
}

// Read once, at load time: document.currentScript is only set while the script runs. A constant
// of the loaded script, not state.
const LOADED_FROM = currentScriptOrigin();

/**
 * The browser's environment. Globals are read when used, not when this is built, so a page that
 * installs a shim (adapter.js) after creating Skylink is still seen.
 */
export function browserEnv(): HostEnv {
  return {
    fetch: (url, init) => fetch(url, init),
    createSocket: (url, options) => (ioDefault as unknown as (u: string, o: SocketOptions) => SocketLike)(url, options),
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id),
    hasWebRTC: () => typeof RTCPeerConnection !== 'undefined',
    createPeerConnection: (config) => new RTCPeerConnection(config),
    mediaDevices: () => navigator.mediaDevices,
    createMediaStream: (tracks) => new MediaStream(tracks),
    isMediaStream: (value): value is MediaStream => typeof MediaStream !== 'undefined' && value instanceof MediaStream,
    hasWebSocket: () => typeof WebSocket !== 'undefined' && !!WebSocket,
    userAgent: () => (typeof navigator !== 'undefined' ? navigator.userAgent : ''),
    platform: () => (typeof navigator !== 'undefined' ? navigator.platform : ''),
    pageLocation: () => (typeof location !== 'undefined' ? { protocol: location.protocol, host: location.host } : null),
    scriptOrigin: LOADED_FROM,
  };
}

/** The browser's environment with some parts replaced. */
export function hostEnv(overrides: Partial<HostEnv> = {}): HostEnv {
  return { ...browserEnv(), ...overrides };
}
