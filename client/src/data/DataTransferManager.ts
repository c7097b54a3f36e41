// Data channels and the SkylinkJS transfer protocol: the "main" (messaging) channel per peer,
// one extra channel per transfer for peers that speak DT >= 0.1.2 (SkylinkJS' "simultaneous
// transfers"), stop-and-wait chunking with ACKs, per-chunk timeouts, P2P messages.
//
// Events go to the listener with SkylinkJS' argument orders; the room session re-emits them.
import {
  DATA_CHANNEL_STATE, DATA_CHANNEL_TYPE, DATA_TRANSFER_DATA_TYPE, DATA_TRANSFER_SESSION_TYPE,
  DATA_TRANSFER_STATE, DATA_TRANSFER_TYPE,
} from '../constants.js';
import type { HostEnv, TimerId } from '../env.js';
import type { TransferError, TransferInfo } from '../events.js';
import { logger } from '../log.js';
import {
  BINARY_FILE_SIZE, CHUNK_DATAURL_SIZE, CHUNK_FILE_SIZE, ack, base64ToBytes, bytesToBase64, cancel, chunkBlob,
  chunkString, classify, error as dtError, p2pMessage, versionLower, wireChunkSize, wireSize, wrq, type DtMessage,
} from './protocol.js';

const log = logger('data');

export interface DataListener {
  selfId(): string;
  agent(): { name: string; version: string };
  peerDtVersion(peerId: string): string;
  /** Opens a new channel to the peer (for a per-transfer channel). */
  createChannel(peerId: string, label: string): RTCDataChannel | null;
  transferState(state: string, transferId: string, peerId: string, info: TransferInfo, error: TransferError | null): void;
  incomingDataRequest(transferId: string, peerId: string, info: TransferInfo, isSelf: boolean): void;
  incomingData(data: Blob | string, transferId: string, peerId: string, info: TransferInfo, isSelf: boolean): void;
  incomingP2PMessage(senderPeerId: string, data: unknown, isPrivate: boolean): void;
  channelState(state: string, peerId: string, error: Error | null, channelName: string, channelType: string): void;
}

/** What transfers take from the host: timers and the clock (transfer ids). */
export type DataHost = Pick<HostEnv, 'setTimeout' | 'clearTimeout' | 'now'>;

interface ChannelEntry { channel: RTCDataChannel; isMain: boolean; transferId: string | null }

interface UploadPeer { label: string; ackN: number; timer: TimerId | null; done: boolean }
interface Upload {
  id: string; name: string; originalSize: number; mimeType: string | null; sessionType: 'blob' | 'data';
  chunkType: 'string' | 'binary'; chunks: Array<Blob | string>; timeout: number; isPrivate: boolean;
  peers: Map<string, UploadPeer>; data: Blob | string;
  onPeerDone: (peerId: string, error: string | null) => void;
}
interface Download {
  id: string; peerId: string; senderPeerId: string; label: string; name: string; size: number; originalSize: number;
  chunkSize: number; mimeType: string | null; sessionType: 'blob' | 'data'; chunkType: 'string' | 'binary';
  timeout: number; isPrivate: boolean; chunks: Array<Blob | string>; received: number; ackN: number;
  accepted: boolean; timer: TimerId | null;
}

export interface SendResult { transferId: string | null; transferInfo: TransferInfo; listOfPeers: string[]; transferErrors?: Record<string, Error> }

export class DataTransferManager {
  private channels = new Map<string, Map<string, ChannelEntry>>();
  private uploads = new Map<string, Upload>();
  private downloads = new Map<string, Download>();
  private lastId = 0;
  simultaneousTransfers = true;

  constructor(private readonly l: DataListener, private readonly host: DataHost) {}

  // ---- channels -------------------------------------------------------------------------------

  /** Adopts a channel (created by us or announced by the peer). The first one is the main one. */
  addChannel(peerId: string, channel: RTCDataChannel): void {
    let map = this.channels.get(peerId);
    if (!map) { map = new Map(); this.channels.set(peerId, map); }
    const isMain = ![...map.values()].some((c) => c.isMain && c.channel.readyState !== 'closed');
    const entry: ChannelEntry = { channel, isMain, transferId: isMain ? null : channel.label };
    map.set(isMain ? 'main' : channel.label, entry);
    channel.binaryType = 'arraybuffer';
    const type = isMain ? DATA_CHANNEL_TYPE.MESSAGING : DATA_CHANNEL_TYPE.DATA;
    channel.onopen = () => this.l.channelState(DATA_CHANNEL_STATE.OPEN, peerId, null, channel.label, type);
    channel.onclose = () => this.onChannelClosed(peerId, entry);
    channel.onerror = (ev) => {
      const err = (ev as RTCErrorEvent).error ?? new Error('Datachannel error');
      this.l.channelState(DATA_CHANNEL_STATE.ERROR, peerId, err, channel.label, type);
    };
    channel.onmessage = (ev) => this.onMessage(peerId, entry, ev.data);
    if (channel.readyState === 'open') this.host.setTimeout(() => this.l.channelState(DATA_CHANNEL_STATE.OPEN, peerId, null, channel.label, type), 0);
    else this.l.channelState(channel.readyState, peerId, null, channel.label, type);
  }

  hasMainChannel(peerId: string): boolean {
    return !!this.channels.get(peerId)?.get('main');
  }

  isMainOpen(peerId: string): boolean {
    return this.channels.get(peerId)?.get('main')?.channel.readyState === 'open';
  }

  private onChannelClosed(peerId: string, entry: ChannelEntry): void {
    const type = entry.isMain ? DATA_CHANNEL_TYPE.MESSAGING : DATA_CHANNEL_TYPE.DATA;
    this.l.channelState(DATA_CHANNEL_STATE.CLOSED, peerId, null, entry.channel.label, type);
    const map = this.channels.get(peerId);
    const key = entry.isMain ? 'main' : entry.channel.label;
    if (map?.get(key) === entry) map.delete(key);
    // A transfer still running on this channel has failed.
    const tid = entry.transferId;
    if (tid) {
      const dl = this.downloads.get(tid);
      if (dl && dl.peerId === peerId && dl.received < dl.size) this.failDownload(dl, 'Data transfer terminated as Peer Datachannel connection closed abruptly.');
      const up = this.uploads.get(tid);
      const p = up?.peers.get(peerId);
      if (up && p && !p.done) this.failUpload(up, peerId, 'Data transfer terminated as Peer Datachannel connection closed abruptly.');
    }
  }

  /** Drops everything about a peer that left. */
  removePeer(peerId: string): void {
    for (const up of this.uploads.values()) {
      const p = up.peers.get(peerId);
      if (p && !p.done) this.failUpload(up, peerId, 'Peer has left');
    }
    for (const dl of [...this.downloads.values()]) if (dl.peerId === peerId) { this.clearTimer(dl); this.downloads.delete(dl.id); }
    const map = this.channels.get(peerId);
    this.channels.delete(peerId);
    if (map) for (const e of map.values()) { e.channel.onclose = null; try { e.channel.close(); } catch { /* closed */ } }
  }

  private sendOn(peerId: string, label: string, data: string | ArrayBuffer | DtMessage): boolean {
    const e = this.channels.get(peerId)?.get(label);
    if (!e || e.channel.readyState !== 'open') return false;
    try {
      if (typeof data === 'string' || data instanceof ArrayBuffer) e.channel.send(data as string);
      else e.channel.send(JSON.stringify(data));
      return true;
    } catch (err) {
      log.error(peerId, 'send failed', err);
      this.l.channelState(DATA_CHANNEL_STATE.SEND_MESSAGE_ERROR, peerId, err as Error, e.channel.label, e.isMain ? DATA_CHANNEL_TYPE.MESSAGING : DATA_CHANNEL_TYPE.DATA);
      return false;
    }
  }

  // ---- messages -------------------------------------------------------------------------------

  sendP2PMessage(peerId: string, data: unknown, isPrivate: boolean): boolean {
    return this.sendOn(peerId, 'main', p2pMessage(this.l.selfId(), peerId, data, isPrivate));
  }

  /**
   * One MESSAGE on the messaging channel to a server peer (the MCU), which passes it on to the
   * peers of `targets`, or to everyone else in the room when the list is empty (SkylinkJS 2.x).
   */
  sendP2PMessageVia(serverId: string, targets: string[], data: unknown, isPrivate: boolean): boolean {
    return this.sendOn(serverId, 'main', { type: 'MESSAGE', sender: this.l.selfId(), target: targets, data, isPrivate });
  }

  private onMessage(peerId: string, entry: ChannelEntry, raw: unknown): void {
    const c = classify(raw);
    if (c.kind === 'invalid') { log.warn(peerId, 'dropping invalid data channel message'); return; }
    if (c.kind === 'chunk') { this.onChunk(peerId, entry, c.data); return; }
    const msg = c.msg;
    switch (msg.type) {
      case 'MESSAGE': this.l.incomingP2PMessage(msg.sender || peerId, msg.data, !!msg.isPrivate); break;
      case 'WRQ': this.onWrq(peerId, entry, msg); break;
      case 'ACK': this.onAck(peerId, entry, msg); break;
      case 'CANCEL': this.onCancel(peerId, entry, msg); break;
      case 'ERROR': this.onError(peerId, entry, msg); break;
    }
  }

  // ---- uploads --------------------------------------------------------------------------------

  private newTransferId(): string {
    let t = this.host.now();
    if (t <= this.lastId) t = this.lastId + 1;
    this.lastId = t;
    return `${this.l.selfId()}_${t}`;
  }

  /**
   * Starts one transfer to several peers. `sessionType` 'blob' sends a Blob (base64 chunks, or
   * raw binary when `binary` and the peer speaks DT >= 0.1.3); 'data' sends a data URL string.
   */
  send(data: Blob | string, sessionType: 'blob' | 'data', peers: string[], timeout: number, binary: boolean, isPrivate: boolean,
    done: (result: SendResult, error: boolean) => void): void {
    const id = this.newTransferId();
    const isBlob = sessionType === 'blob';
    const chunkType: 'string' | 'binary' = isBlob && binary ? 'binary' : 'string';
    const up: Upload = {
      id,
      name: isBlob ? ((data as File).name || id) : id,
      originalSize: isBlob ? (data as Blob).size : (data as string).length,
      mimeType: isBlob ? ((data as Blob).type || null) : null,
      sessionType,
      chunkType,
      chunks: isBlob ? chunkBlob(data as Blob, chunkType === 'binary' ? BINARY_FILE_SIZE : CHUNK_FILE_SIZE)
        : chunkString(data as string, CHUNK_DATAURL_SIZE),
      timeout,
      isPrivate,
      peers: new Map(),
      data,
      onPeerDone: () => undefined,
    };
    const errors: Record<string, Error> = {};
    const pending = new Set(peers);
    const finish = () => {
      if (pending.size > 0) return;
      this.uploads.delete(id);
      const result: SendResult = { transferId: id, transferInfo: this.uploadInfo(up, null, true), listOfPeers: peers };
      if (Object.keys(errors).length > 0) done({ ...result, transferErrors: errors }, true);
      else done(result, false);
    };
    up.onPeerDone = (peerId, err) => {
      if (!pending.delete(peerId)) return;
      if (err) errors[peerId] = new Error(err);
      finish();
    };
    this.uploads.set(id, up);
    for (const peerId of peers) this.startUpload(up, peerId);
  }

  private startUpload(up: Upload, peerId: string): void {
    const main = this.channels.get(peerId)?.get('main');
    if (!main || main.channel.readyState !== 'open') {
      this.failUpload(up, peerId, 'Unable to start data transfer as Peer Datachannel connection is not opened.');
      return;
    }
    const dtv = this.l.peerDtVersion(peerId);
    let chunkType = up.chunkType;
    // Older peers only take base64 chunks.
    if (chunkType === 'binary' && versionLower(dtv, '0.1.3')) chunkType = 'string';
    const useOwnChannel = this.simultaneousTransfers && !versionLower(dtv, '0.1.2');
    if (!useOwnChannel && main.transferId) {
      this.failUpload(up, peerId, 'Unable to start data transfer as Peer Datachannel has a data transfer in-progress.');
      return;
    }
    const label = useOwnChannel ? up.id : 'main';
    const p: UploadPeer = { label, ackN: 0, timer: null, done: false };
    up.peers.set(peerId, p);
    if (chunkType !== up.chunkType) {
      // Re-chunk for this peer only.
      (p as UploadPeer & { chunks?: Array<Blob | string> }).chunks = chunkBlob(up.data as Blob, CHUNK_FILE_SIZE);
    }
    (p as UploadPeer & { chunkType?: string }).chunkType = chunkType;
    const sendWrq = () => {
      const ok = this.sendOn(peerId, label, wrq({
        transferId: up.id, name: up.name, size: up.sessionType === 'data' ? up.originalSize : wireSize(up.originalSize, chunkType),
        originalSize: up.originalSize, dataType: up.sessionType, mimeType: up.mimeType, chunkType,
        chunkSize: up.sessionType === 'data' ? CHUNK_DATAURL_SIZE : wireChunkSize(chunkType), timeout: up.timeout,
        isPrivate: up.isPrivate, sender: this.l.selfId(), agent: this.l.agent().name, version: this.l.agent().version, target: peerId,
      }));
      if (!ok) { this.failUpload(up, peerId, 'Failed sending the transfer request.'); return; }
      this.l.incomingDataRequest(up.id, peerId, this.uploadInfo(up, peerId, true), true);
      this.l.transferState(DATA_TRANSFER_STATE.USER_UPLOAD_REQUEST, up.id, peerId, this.uploadInfo(up, peerId, false), null);
      this.armUploadTimer(up, peerId);
    };
    if (!useOwnChannel) { main.transferId = up.id; sendWrq(); return; }
    const ch = this.l.createChannel(peerId, label);
    if (!ch) { this.failUpload(up, peerId, 'Failed creating a Datachannel for the transfer.'); return; }
    this.addChannel(peerId, ch);
    const entry = this.channels.get(peerId)?.get(label);
    if (entry) entry.transferId = up.id;
    if (ch.readyState === 'open') sendWrq();
    else ch.addEventListener('open', sendWrq, { once: true });
  }

  private uploadChunks(up: Upload, peerId: string): Array<Blob | string> {
    const p = up.peers.get(peerId) as (UploadPeer & { chunks?: Array<Blob | string> }) | undefined;
    return p?.chunks ?? up.chunks;
  }

  private async onAck(peerId: string, entry: ChannelEntry, msg: DtMessage): Promise<void> {
    const tid = entry.isMain ? entry.transferId : entry.channel.label;
    const up = tid ? this.uploads.get(tid) : undefined;
    const p = up?.peers.get(peerId);
    if (!up || !p || p.done) { log.warn(peerId, 'ACK without an upload'); return; }
    this.clearUploadTimer(p);
    const ackN = Number(msg.ackN);
    const chunks = this.uploadChunks(up, peerId);
    if (ackN < 0) {
      p.done = true;
      this.releaseChannel(peerId, p.label);
      this.l.transferState(DATA_TRANSFER_STATE.REJECTED, up.id, peerId, this.uploadInfo(up, peerId, false),
        { message: new Error('Data transfer terminated as Peer has rejected data transfer request'), transferType: DATA_TRANSFER_TYPE.UPLOAD });
      up.onPeerDone(peerId, 'Peer has rejected data transfer request');
      return;
    }
    p.ackN = ackN;
    if (ackN === 0) this.l.transferState(DATA_TRANSFER_STATE.UPLOAD_STARTED, up.id, peerId, this.uploadInfo(up, peerId, false, 0), null);
    if (ackN >= chunks.length) {
      p.done = true;
      this.l.incomingData(up.data, up.id, peerId, this.uploadInfo(up, peerId, true), true);
      this.l.transferState(DATA_TRANSFER_STATE.UPLOAD_COMPLETED, up.id, peerId, this.uploadInfo(up, peerId, false, 100), null);
      this.releaseChannel(peerId, p.label);
      up.onPeerDone(peerId, null);
      return;
    }
    const chunk = chunks[ackN];
    const chunkType = (p as UploadPeer & { chunkType?: string }).chunkType ?? up.chunkType;
    let payload: string | ArrayBuffer;
    try {
      if (typeof chunk === 'string') payload = chunk;
      else if (chunkType === 'binary') payload = await chunk.arrayBuffer();
      else payload = bytesToBase64(new Uint8Array(await chunk.arrayBuffer()));
    } catch (err) {
      // The file cannot be read any more (changed or removed on disk after it was picked: Firefox
      // rejects with AbortError, Chromium with NotReadableError). Fail now on both sides, not at
      // the timeout with an unhandled rejection.
      if (p.done) return;
      const message = `Unable to read the file: ${(err as Error)?.message || String(err)}`;
      this.sendOn(peerId, p.label, dtError(this.l.selfId(), up.name, message, true));
      this.failUpload(up, peerId, message);
      return;
    }
    if (p.done) return;
    if (!this.sendOn(peerId, p.label, payload)) { this.failUpload(up, peerId, 'Failed sending data chunk.'); return; }
    this.l.transferState(DATA_TRANSFER_STATE.UPLOADING, up.id, peerId, this.uploadInfo(up, peerId, false), null);
    this.armUploadTimer(up, peerId);
  }

  private armUploadTimer(up: Upload, peerId: string): void {
    const p = up.peers.get(peerId);
    if (!p) return;
    this.clearUploadTimer(p);
    p.timer = this.host.setTimeout(() => {
      p.timer = null;
      const msg = `Connection Timeout. Longer than ${up.timeout} seconds. Connection is abolished.`;
      this.sendOn(peerId, p.label, dtError(this.l.selfId(), up.name, msg, true));
      this.failUpload(up, peerId, msg);
    }, up.timeout * 1000);
  }

  private clearUploadTimer(p: UploadPeer): void { if (p.timer) { this.host.clearTimeout(p.timer); p.timer = null; } }

  private failUpload(up: Upload, peerId: string, message: string): void {
    let p = up.peers.get(peerId);
    if (!p) { p = { label: 'main', ackN: 0, timer: null, done: false }; up.peers.set(peerId, p); }
    if (p.done) return;
    p.done = true;
    this.clearUploadTimer(p);
    this.releaseChannel(peerId, p.label);
    this.l.transferState(DATA_TRANSFER_STATE.ERROR, up.id, peerId, this.uploadInfo(up, peerId, false),
      { message: new Error(message), transferType: DATA_TRANSFER_TYPE.UPLOAD });
    up.onPeerDone(peerId, message);
  }

  /** Frees the main channel, or closes a per-transfer one. */
  private releaseChannel(peerId: string, label: string): void {
    const e = this.channels.get(peerId)?.get(label);
    if (!e) return;
    if (e.isMain) { e.transferId = null; return; }
    e.transferId = null;
    this.host.setTimeout(() => { try { e.channel.close(); } catch { /* closed */ } }, 100);
  }

  private uploadInfo(up: Upload, peerId: string | null, withData: boolean, percentage?: number): TransferInfo {
    const p = peerId ? up.peers.get(peerId) : undefined;
    const chunkType = (p as UploadPeer & { chunkType?: string } | undefined)?.chunkType ?? up.chunkType;
    const n = peerId ? this.uploadChunks(up, peerId).length : up.chunks.length;
    const pct = percentage ?? (p ? (p.ackN >= n ? 100 : parseFloat(((p.ackN / n) * 100).toFixed(2))) : 0);
    const info: TransferInfo = {
      name: up.name,
      size: up.originalSize,
      dataType: up.sessionType === 'data' ? DATA_TRANSFER_SESSION_TYPE.DATA_URL : DATA_TRANSFER_SESSION_TYPE.BLOB,
      mimeType: up.mimeType,
      chunkSize: up.sessionType === 'data' ? CHUNK_DATAURL_SIZE : wireChunkSize(chunkType as 'string' | 'binary'),
      chunkType: up.sessionType === 'data' ? DATA_TRANSFER_DATA_TYPE.STRING
        : chunkType === 'binary' ? DATA_TRANSFER_DATA_TYPE.ARRAY_BUFFER : DATA_TRANSFER_DATA_TYPE.BINARY_STRING,
      timeout: up.timeout,
      isPrivate: up.isPrivate,
      direction: DATA_TRANSFER_TYPE.UPLOAD,
      percentage: pct,
    };
    if (withData) info.data = up.data;
    return info;
  }

  // ---- downloads ------------------------------------------------------------------------------

  private onWrq(peerId: string, entry: ChannelEntry, msg: DtMessage): void {
    if (entry.transferId && this.downloads.has(entry.transferId)) {
      // One transfer per channel at a time (SkylinkJS rejects bidirectional requests the same way).
      this.sendOn(peerId, entry.isMain ? 'main' : entry.channel.label, ack(this.l.selfId(), -1));
      return;
    }
    const id = entry.isMain ? (typeof msg.transferId === 'string' && msg.transferId ? msg.transferId : `transfer_${peerId}_${this.host.now()}`) : entry.channel.label;
    const sessionType: 'blob' | 'data' = msg.dataType === 'data' ? 'data' : 'blob';
    const dl: Download = {
      id, peerId, senderPeerId: msg.sender || peerId, label: entry.isMain ? 'main' : entry.channel.label,
      name: String(msg.name || id), size: Number(msg.size) || 0, originalSize: Number(msg.originalSize) || 0,
      chunkSize: Number(msg.chunkSize) || 0, mimeType: msg.mimeType || null, sessionType,
      chunkType: msg.chunkType === 'binary' ? 'binary' : 'string', timeout: Number(msg.timeout) || 60,
      isPrivate: !!msg.isPrivate, chunks: [], received: 0, ackN: 0, accepted: false, timer: null,
    };
    entry.transferId = id;
    this.downloads.set(id, dl);
    this.l.incomingDataRequest(id, dl.senderPeerId, this.downloadInfo(dl, false), false);
    this.l.transferState(DATA_TRANSFER_STATE.UPLOAD_REQUEST, id, dl.senderPeerId, this.downloadInfo(dl, true), null);
  }

  accept(peerId: string, transferId: string, accept: boolean): boolean {
    const dl = this.downloads.get(transferId);
    if (!dl || dl.peerId !== peerId || dl.accepted) return false;
    if (accept) {
      dl.accepted = true;
      this.sendOn(peerId, dl.label, ack(this.l.selfId(), 0));
      this.l.transferState(DATA_TRANSFER_STATE.DOWNLOAD_STARTED, transferId, dl.senderPeerId, this.downloadInfo(dl, true), null);
      this.armDownloadTimer(dl);
    } else {
      this.sendOn(peerId, dl.label, ack(this.l.selfId(), -1));
      this.endDownload(dl);
      this.l.transferState(DATA_TRANSFER_STATE.USER_REJECTED, transferId, dl.senderPeerId, this.downloadInfo(dl, true),
        { message: new Error('Data transfer terminated as User has rejected data transfer request.'), transferType: DATA_TRANSFER_TYPE.DOWNLOAD });
    }
    return true;
  }

  private onChunk(peerId: string, entry: ChannelEntry, data: string | ArrayBuffer | Blob): void {
    const tid = entry.transferId;
    const dl = tid ? this.downloads.get(tid) : undefined;
    if (!dl || !dl.accepted || dl.peerId !== peerId) { log.warn(peerId, 'data chunk without a transfer'); return; }
    this.clearTimer(dl);
    let size: number;
    if (typeof data === 'string') {
      if (dl.sessionType === 'data') { dl.chunks[dl.ackN] = data; size = data.length; }
      else {
        const clean = data.replace(/\s/g, '');
        dl.chunks[dl.ackN] = new Blob([base64ToBytes(clean) as BlobPart]);
        size = clean.length;
      }
    } else {
      const blob = data instanceof Blob ? data : new Blob([data]);
      dl.chunks[dl.ackN] = blob;
      size = blob.size;
    }
    dl.received += size;
    if (dl.received >= dl.size) {
      this.sendOn(peerId, dl.label, ack(this.l.selfId(), dl.ackN + 1));
      dl.ackN += 1;
      const result = this.assemble(dl);
      this.endDownload(dl);
      this.l.incomingData(result, dl.id, dl.senderPeerId, this.downloadInfo(dl, false), false);
      const info = this.downloadInfo(dl, false);
      info.percentage = 100;
      info.data = result;
      this.l.transferState(DATA_TRANSFER_STATE.DOWNLOAD_COMPLETED, dl.id, dl.senderPeerId, info, null);
      return;
    }
    dl.ackN += 1;
    this.sendOn(peerId, dl.label, ack(this.l.selfId(), dl.ackN));
    this.armDownloadTimer(dl);
    this.l.transferState(DATA_TRANSFER_STATE.DOWNLOADING, dl.id, dl.senderPeerId, this.downloadInfo(dl, false), null);
  }

  private assemble(dl: Download): Blob | string {
    if (dl.sessionType === 'data') return (dl.chunks as string[]).join('');
    return new Blob(dl.chunks as Blob[], dl.mimeType ? { type: dl.mimeType } : {});
  }

  private armDownloadTimer(dl: Download): void {
    this.clearTimer(dl);
    dl.timer = this.host.setTimeout(() => {
      dl.timer = null;
      const msg = `Connection Timeout. Longer than ${dl.timeout} seconds. Connection is abolished.`;
      this.sendOn(dl.peerId, dl.label, dtError(this.l.selfId(), dl.name, msg, false));
      this.failDownload(dl, msg);
    }, dl.timeout * 1000);
  }

  private clearTimer(dl: Download): void { if (dl.timer) { this.host.clearTimeout(dl.timer); dl.timer = null; } }

  private endDownload(dl: Download): void {
    this.clearTimer(dl);
    this.downloads.delete(dl.id);
    const e = this.channels.get(dl.peerId)?.get(dl.label);
    if (e && e.transferId === dl.id) e.transferId = null;
  }

  private failDownload(dl: Download, message: string): void {
    this.endDownload(dl);
    this.l.transferState(DATA_TRANSFER_STATE.ERROR, dl.id, dl.senderPeerId, this.downloadInfo(dl, true),
      { message: new Error(message), transferType: DATA_TRANSFER_TYPE.DOWNLOAD });
  }

  private downloadInfo(dl: Download, withData: boolean): TransferInfo {
    const info: TransferInfo = {
      name: dl.name,
      size: dl.originalSize || (dl.chunkType === 'string' && dl.sessionType === 'blob' ? Math.ceil(dl.size * 3 / 4) : dl.size),
      dataType: dl.sessionType === 'data' ? DATA_TRANSFER_SESSION_TYPE.DATA_URL : DATA_TRANSFER_SESSION_TYPE.BLOB,
      mimeType: dl.mimeType,
      chunkSize: dl.chunkSize,
      chunkType: dl.sessionType === 'data' ? DATA_TRANSFER_DATA_TYPE.STRING
        : dl.chunkType === 'binary' ? DATA_TRANSFER_DATA_TYPE.ARRAY_BUFFER : DATA_TRANSFER_DATA_TYPE.BINARY_STRING,
      timeout: dl.timeout,
      isPrivate: dl.isPrivate,
      direction: DATA_TRANSFER_TYPE.DOWNLOAD,
      percentage: dl.size > 0 ? (dl.received >= dl.size ? 100 : parseFloat(((dl.received / dl.size) * 100).toFixed(2))) : 0,
    };
    if (withData) info.data = null;
    return info;
  }

  // ---- cancel / error -------------------------------------------------------------------------

  cancel(peerId: string, transferId: string): boolean {
    const dl = this.downloads.get(transferId);
    if (dl && dl.peerId === peerId) {
      this.sendOn(peerId, dl.label, cancel(this.l.selfId(), dl.name));
      this.endDownload(dl);
      this.l.transferState(DATA_TRANSFER_STATE.CANCEL, transferId, dl.senderPeerId, this.downloadInfo(dl, false),
        { message: new Error('User cancelled download transfer'), transferType: DATA_TRANSFER_TYPE.DOWNLOAD });
      return true;
    }
    const up = this.uploads.get(transferId);
    const p = up?.peers.get(peerId);
    if (up && p && !p.done) {
      this.sendOn(peerId, p.label, cancel(this.l.selfId(), up.name));
      p.done = true;
      this.clearUploadTimer(p);
      this.releaseChannel(peerId, p.label);
      this.l.transferState(DATA_TRANSFER_STATE.CANCEL, transferId, peerId, this.uploadInfo(up, peerId, false),
        { message: new Error('User cancelled upload transfer'), transferType: DATA_TRANSFER_TYPE.UPLOAD });
      up.onPeerDone(peerId, 'User cancelled upload transfer');
      return true;
    }
    return false;
  }

  private onCancel(peerId: string, entry: ChannelEntry, msg: DtMessage): void {
    const tid = entry.transferId;
    if (!tid) return;
    const dl = this.downloads.get(tid);
    if (dl && dl.peerId === peerId) {
      this.endDownload(dl);
      this.l.transferState(DATA_TRANSFER_STATE.CANCEL, tid, dl.senderPeerId, this.downloadInfo(dl, false),
        { message: new Error(msg.content || 'Peer has terminated data transfer.'), transferType: DATA_TRANSFER_TYPE.DOWNLOAD });
      return;
    }
    const up = this.uploads.get(tid);
    const p = up?.peers.get(peerId);
    if (up && p && !p.done) {
      p.done = true;
      this.clearUploadTimer(p);
      this.releaseChannel(peerId, p.label);
      this.l.transferState(DATA_TRANSFER_STATE.CANCEL, tid, peerId, this.uploadInfo(up, peerId, false),
        { message: new Error(msg.content || 'Peer has terminated data transfer.'), transferType: DATA_TRANSFER_TYPE.UPLOAD });
      up.onPeerDone(peerId, msg.content || 'Peer has terminated data transfer.');
    }
  }

  private onError(peerId: string, entry: ChannelEntry, msg: DtMessage): void {
    const tid = entry.transferId;
    if (!tid) return;
    const dl = this.downloads.get(tid);
    if (dl && dl.peerId === peerId) { this.failDownload(dl, msg.content || 'Peer reported an error'); return; }
    const up = this.uploads.get(tid);
    if (up) this.failUpload(up, peerId, msg.content || 'Peer reported an error');
  }

  /** Transfers in progress, for getCurrentDataTransfers(). */
  current(): Record<string, TransferInfo> {
    const out: Record<string, TransferInfo> = {};
    for (const up of this.uploads.values()) out[up.id] = this.uploadInfo(up, null, false);
    for (const dl of this.downloads.values()) out[dl.id] = this.downloadInfo(dl, false);
    return out;
  }
}
