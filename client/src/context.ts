// The state the Skylink facade shares with its parts (room signaling, local media, peer
// directory), and the small interfaces through which those parts reach each other. The facade
// owns one SkylinkState object; every part reads and writes that same object.
import type { SkylinkEvents, PeerInfo } from './events.js';
import type { RoomSession } from './signaling/ApiClient.js';
import type { SignalingClient } from './signaling/SignalingClient.js';
import type { SigMessage } from './signaling/messages.js';
import type { PeerSession } from './peer/PeerSession.js';
import type { RemotePeerState } from './peer/peerInfo.js';
import type { NormalizedInit } from './config.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Callback = (error: any, success: any) => void;

export type Emit = <K extends keyof SkylinkEvents>(name: K, ...args: SkylinkEvents[K]) => void;

export interface PeerRecord {
  id: string;
  state: RemotePeerState;
  session: PeerSession;
  stamps: { userData: number; audioMuted: number; videoMuted: number };
  hasWelcome: boolean;
  connected: boolean;
  streams: Map<string, { screenshare: boolean; settings: any }>;
}

export interface LocalStream {
  stream: MediaStream;
  settings: { audio: any; video: any };
  screenshare: boolean;
  audioFallback: boolean;
  /** The getUserMedia constraints the stream was opened with (a device change keeps them). */
  constraints?: MediaStreamConstraints;
}

export interface Agent { name: string; version: string }

/** Mutable state shared by the facade and its parts. */
export interface SkylinkState {
  initOptions: NormalizedInit | null;
  session: RoomSession | null;
  selectedRoom: string | null;
  signaling: SignalingClient | null;
  sid: string | null;
  weight: number;
  inRoom: boolean;
  roomLocked: boolean;
  rejoinPending: boolean;
  iceServers: RTCIceServer[];
  peers: Map<string, PeerRecord>;
  userData: unknown;
  bandwidth: Record<string, number>;
  readonly agent: Agent;
}

/** What every part gets: the shared state and the facade's event emitter. */
export interface PartContext {
  readonly state: SkylinkState;
  readonly emit: Emit;
}

/** Sends a message to the room (no-op outside a room). */
export interface RoomSender { sendRoom(msg: SigMessage): void }

/** Peer info as the page sees it. */
export interface PeerInfoSource {
  getPeerInfo(peerId?: string): PeerInfo;
  selfInfo(): PeerInfo;
  buildUserInfo(): Record<string, unknown>;
}

/** Our local streams as the other parts need them. */
export interface LocalMediaSource {
  readonly muted: { audioMuted: boolean; videoMuted: boolean };
  activeLocal(): LocalStream | null;
}

export function browserAgent(): Agent {
  const ua = typeof navigator !== 'undefined' ? navigator.userAgent : '';
  let m = ua.match(/(?:Chrome|Chromium)\/(\d+)/);
  if (m) return { name: 'chrome', version: m[1] };
  m = ua.match(/Firefox\/(\d+)/);
  if (m) return { name: 'firefox', version: m[1] };
  m = ua.match(/Version\/(\d+).*Safari/);
  if (m) return { name: 'safari', version: m[1] };
  return { name: 'other', version: '0' };
}
