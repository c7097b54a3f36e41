// The room page's state: one immutable snapshot published by RoomModel, rendered by the views.
import type { GridView } from './paging.js';

export type Phase =
  | 'loading'   // reading the config, loading the library, init()
  | 'setup'     // camera/microphone preview, device pickers, display name
  | 'joining'
  | 'in-call'
  | 'blocked'   // the room is locked or full
  | 'left'      // the user left
  | 'error';    // something the user must act on (no key, library missing, init refused)

export type Connection = 'connected' | 'reconnecting' | 'offline';

export interface Participant {
  /** 'self' for the user (stable across reconnects, when the peer id changes), else the peer id. */
  key: string;
  peerId: string | null;
  name: string;
  isSelf: boolean;
  stream: MediaStream | null;
  audioMuted: boolean;
  videoMuted: boolean;
  screenshare: boolean;
  joinedAt: number;
}

export interface ChatMessage {
  kind: 'message';
  id: string;
  ts: number;
  fromName: string;
  isSelf: boolean;
  isPrivate: boolean;
  /** For a private message: who it went to (sent) or "you" (received). */
  toName: string | null;
  text: string;
}

export type TransferStatus =
  | 'waiting'      // upload: the peer has not answered yet
  | 'request'      // download: waiting for the user's accept/decline
  | 'transferring'
  | 'done'
  | 'declined'
  | 'cancelled'
  | 'failed';

export interface TransferRow {
  peerId: string;
  peerName: string;
  status: TransferStatus;
  percentage: number;
  error: string | null;
}

export interface TransferEntry {
  kind: 'transfer';
  id: string;            // direction + ':' + transferId
  transferId: string;
  ts: number;
  direction: 'upload' | 'download';
  name: string;
  size: number;
  /** Sender's name for a download, the user's for an upload. */
  fromName: string;
  isPrivate: boolean;
  /** Upload: one row per recipient; download: one row (the sender). */
  rows: TransferRow[];
  /** Download: object URL of the received file. */
  url: string | null;
}

export type FeedEntry = ChatMessage | TransferEntry;

export interface RoomState {
  phase: Phase;
  room: string;
  shareUrl: string;
  /** What went wrong, in plain words (phase 'error', or a failed join). */
  error: string | null;
  blocked: { reason: 'locked' | 'full'; message: string } | null;
  /** Init done: joinRoom() may be called. */
  ready: boolean;
  selfName: string;
  selfId: string | null;
  connection: Connection;
  /** Shown while not connected. */
  connectionMessage: string;
  reconnectAttempt: number;
  participants: Participant[];
  /** The grid's page: the keys of the tiles shown (at most 9), which page, how many. */
  grid: GridView;
  speakerKey: string | null;
  locked: boolean;
  audioMuted: boolean;
  videoMuted: boolean;
  hasAudio: boolean;
  hasVideo: boolean;
  sharingScreen: boolean;
  feed: FeedEntry[];
  unread: number;
  panelOpen: boolean;
  /** Latest announcement for screen readers (aria-live) and the toast. */
  announcement: { id: number; text: string } | null;
}
