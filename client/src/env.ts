// Everything the library takes from its host, in one replaceable object, so unit tests in Node can
// stand in for the browser (fetch, socket.io, WebRTC, media devices).
import ioDefault from 'socket.io-client';

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface SocketLike {
  on(event: string, fn: (...args: any[]) => void): unknown;
  off?(event: string, fn?: (...args: any[]) => void): unknown;
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

export interface Env {
  fetch: typeof fetch;
  createSocket(url: string, options: SocketOptions): SocketLike;
  now(): number;
  /** The origin (`//host:port`) of the script that loaded the library, the default roomServer. */
  scriptOrigin: string | null;
}

function defaultScriptOrigin(): string | null {
  try {
    const s = typeof document !== 'undefined' ? (document.currentScript as HTMLScriptElement | null) : null;
    if (s && s.src) { const u = new URL(s.src, location.href); return `//${u.host}`; }
  } catch { /* not a browser */ }
  return null;
}

export const env: Env = {
  fetch: (...args) => fetch(...args),
  createSocket: (url, options) => (ioDefault as any)(url, options) as SocketLike,
  now: () => Date.now(),
  // Read once, at load time: document.currentScript is only set while the script runs.
  scriptOrigin: defaultScriptOrigin(),
};
