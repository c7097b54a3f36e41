// Types the parts of the library share, and the narrow interfaces through which they reach each
// other. Nobody shares a state object: the facade (Skylink) owns the page-level parts (LocalMedia,
// LocalProfile) and at most one RoomSession, which owns everything of one joined room (the
// signaling client, the peers, the data channels) and hands each part only what it needs.
import type { SkylinkEvents, PeerInfo } from './events.js';
import type { SigMessage } from './signaling/messages.js';
import type { PeerSession } from './peer/PeerSession.js';
import type { RemotePeerState } from './peer/peerInfo.js';
import type { StreamSettings } from './media/settings.js';

/**
 * A SkylinkJS callback: (error, null) or (null, success), shaped as SkylinkJS shapes them. `any`
 * on purpose: it is in the public signatures, and a page's callback typed with its own parameter
 * types must stay assignable to it (it would not be to `(error: unknown, ...)`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Callback = (error: any, success: any) => void;

/** Fires a public event (the page's listeners). Internal flow never listens to these. */
export type Emit = <K extends keyof SkylinkEvents>(name: K, ...args: SkylinkEvents[K]) => void;

export interface PeerRecord {
  id: string;
  state: RemotePeerState;
  session: PeerSession;
  stamps: { userData: number; audioMuted: number; videoMuted: number };
  hasWelcome: boolean;
  connected: boolean;
  streams: Map<string, { screenshare: boolean; settings: { audio?: unknown; video?: unknown } }>;
  /**
   * SFU rooms: the peer's media come over our one connection to the MCU (`session` is that shared
   * connection, which the peer's leaving does not close), and `remoteStream` holds its tracks.
   */
  viaMcu?: boolean;
  remoteStream?: MediaStream | null;
}

export interface LocalStream {
  stream: MediaStream;
  settings: StreamSettings;
  screenshare: boolean;
  audioFallback: boolean;
  /** The getUserMedia constraints the stream was opened with (a device change keeps them). */
  constraints?: MediaStreamConstraints;
}

export interface Agent { name: string; version: string }

/** Sends a message to the room (no-op outside a room). */
export interface RoomSender { sendRoom(msg: SigMessage): void }

/** Peer info as the page sees it. */
export interface PeerInfoSource {
  getPeerInfo(peerId?: string): PeerInfo;
  /** Our userInfo as peers get it in enter/welcome/offer/answer. */
  buildUserInfo(): Record<string, unknown>;
}

/** Our local streams as the other parts need them. */
export interface LocalMediaSource {
  readonly muted: { audioMuted: boolean; videoMuted: boolean };
  activeLocal(): LocalStream | null;
}

export function browserAgent(ua: string): Agent {
  let m = ua.match(/(?:Chrome|Chromium)\/(\d+)/);
  if (m) return { name: 'chrome', version: m[1] };
  m = ua.match(/Firefox\/(\d+)/);
  if (m) return { name: 'firefox', version: m[1] };
  m = ua.match(/Version\/(\d+).*Safari/);
  if (m) return { name: 'safari', version: m[1] };
  return { name: 'other', version: '0' };
}
