// File transfers in the feed: how SkylinkJS' dataTransferState events (named from the
// sender's point of view, one per peer) become one card per transfer with a row per peer.
// Pure functions over the feed, so they are unit-tested without a browser.
import { TRANSFER_STATE as TS, type TransferInfo } from '../../common/skylink.js';
import type { FeedEntry, TransferEntry, TransferRow, TransferStatus } from './types.js';

export interface TransferEvent {
  state: string;
  transferId: string;
  peerId: string;
  /** Display name of the peer (sender of a download, recipient of an upload). */
  peerName: string;
  info: TransferInfo | null;
  error: unknown;
  now: number;
  selfName: string;
}

export interface TransferUpdate {
  feed: FeedEntry[];
  /** The card this event created (a new request or a new upload), if any. */
  created: TransferEntry | null;
  /** The card's row reached 'done' for a download with this event. */
  arrived: TransferEntry | null;
}

const UPLOAD_STATES = new Set<string>([TS.USER_UPLOAD_REQUEST, TS.UPLOAD_STARTED, TS.UPLOADING, TS.UPLOAD_COMPLETED, TS.REJECTED]);
const DOWNLOAD_STATES = new Set<string>([TS.UPLOAD_REQUEST, TS.DOWNLOAD_STARTED, TS.DOWNLOADING, TS.DOWNLOAD_COMPLETED, TS.USER_REJECTED]);

export function isActive(s: TransferStatus): boolean {
  return s === 'waiting' || s === 'request' || s === 'transferring';
}

/** Which side of a transfer an event is about. */
export function transferDirection(state: string, info: TransferInfo | null, feed: FeedEntry[], transferId: string): 'upload' | 'download' | null {
  if (UPLOAD_STATES.has(state)) return 'upload';
  if (DOWNLOAD_STATES.has(state)) return 'download';
  if (info?.direction === 'upload' || info?.direction === 'download') return info.direction;
  const known = feed.find((f): f is TransferEntry => f.kind === 'transfer' && f.transferId === transferId);
  return known ? known.direction : null;
}

export function statusFor(state: string, direction: 'upload' | 'download'): TransferStatus | null {
  switch (state) {
    case TS.USER_UPLOAD_REQUEST: return 'waiting';
    case TS.UPLOAD_REQUEST: return direction === 'download' ? 'request' : 'waiting';
    case TS.UPLOAD_STARTED: case TS.DOWNLOAD_STARTED: case TS.UPLOADING: case TS.DOWNLOADING: return 'transferring';
    case TS.UPLOAD_COMPLETED: case TS.DOWNLOAD_COMPLETED: return 'done';
    case TS.REJECTED: case TS.USER_REJECTED: return 'declined';
    case TS.CANCEL: return 'cancelled';
    case TS.ERROR: case TS.START_ERROR: return 'failed';
    default: return null;
  }
}

export function findTransfer(feed: FeedEntry[], id: string): TransferEntry | undefined {
  return feed.find((f): f is TransferEntry => f.kind === 'transfer' && f.id === id);
}

export function patchTransfer(feed: FeedEntry[], id: string, fn: (t: TransferEntry) => TransferEntry): FeedEntry[] {
  return feed.map((f) => (f.kind === 'transfer' && f.id === id ? fn(f) : f));
}

/** Applies one event; `makeUrl` turns a received Blob into a download URL. */
export function applyTransferEvent(feed: FeedEntry[], ev: TransferEvent, makeUrl: (data: Blob | string, mime?: string) => string): TransferUpdate {
  const direction = transferDirection(ev.state, ev.info, feed, ev.transferId);
  const status = direction ? statusFor(ev.state, direction) : null;
  if (!direction || !status) return { feed, created: null, arrived: null };
  const id = `${direction}:${ev.transferId}`;
  let created: TransferEntry | null = null;
  if (!findTransfer(feed, id)) {
    created = {
      kind: 'transfer', id, transferId: ev.transferId, ts: ev.now, direction,
      name: String(ev.info?.name || 'file'), size: Number(ev.info?.size) || 0,
      fromName: direction === 'upload' ? ev.selfName : ev.peerName,
      isPrivate: !!ev.info?.isPrivate, rows: [], url: null,
    };
    feed = [...feed, created];
  }
  let arrived: TransferEntry | null = null;
  const pct = clampPct(ev.info?.percentage);
  feed = patchTransfer(feed, id, (t) => {
    const rows = [...t.rows];
    const i = rows.findIndex((r) => r.peerId === ev.peerId);
    const old: TransferRow = i >= 0 ? rows[i] : { peerId: ev.peerId, peerName: ev.peerName, status: 'waiting', percentage: 0, error: null };
    // The first ending stays: a late progress event, or the send callback's summary of a
    // decline as an error, must not rewrite it.
    if (i >= 0 && !isActive(old.status)) return t;
    const row: TransferRow = {
      ...old,
      status,
      percentage: status === 'done' ? 100 : pct ?? old.percentage,
      error: status === 'failed' || status === 'cancelled' ? describeError((ev.error as { message?: unknown } | null)?.message ?? ev.error) : null,
    };
    if (i >= 0) rows[i] = row; else rows.push(row);
    let url = t.url;
    if (status === 'done' && direction === 'download' && !url && ev.info?.data) url = makeUrl(ev.info.data, ev.info.mimeType);
    const next = { ...t, rows, url, size: t.size || Number(ev.info?.size) || 0 };
    if (status === 'done' && direction === 'download') arrived = next;
    return next;
  });
  return { feed, created, arrived };
}

function clampPct(p: unknown): number | null {
  const n = typeof p === 'number' ? p : Number(p);
  if (p === undefined || p === null || !Number.isFinite(n)) return null;
  return Math.max(0, Math.min(100, Math.round(n)));
}

export function describeError(e: unknown): string {
  if (!e) return '';
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  const m = (e as { message?: unknown }).message;
  if (m instanceof Error) return m.message;
  if (typeof m === 'string') return m;
  return String(e);
}
