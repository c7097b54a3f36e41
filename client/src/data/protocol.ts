// The SkylinkJS data-channel protocol (DT 0.1.x, protocol spec section 6): JSON control messages
// (WRQ, ACK, ERROR, CANCEL, MESSAGE) with data chunks in between — base64 strings for "string"
// sessions, raw ArrayBuffers for "binary" ones, plain string slices for data URLs. Pure
// functions only: no channels or timers here.

/** Raw bytes per chunk in a base64 ("string") blob session; 65536 characters on the wire. */
export const CHUNK_FILE_SIZE = 49152;
/** Bytes per chunk in a binary session. */
export const BINARY_FILE_SIZE = 65456;
/** Characters per chunk of a data URL transfer. */
export const CHUNK_DATAURL_SIZE = 1212;

export type DtType = 'WRQ' | 'ACK' | 'ERROR' | 'CANCEL' | 'MESSAGE';
/* eslint-disable @typescript-eslint/no-explicit-any */
export type DtMessage = { type: DtType; [k: string]: any };

export interface WrqFields {
  transferId: string; name: string; size: number; originalSize: number; dataType: 'blob' | 'data';
  mimeType: string | null; chunkType: 'string' | 'binary'; chunkSize: number; timeout: number;
  isPrivate: boolean; sender: string; agent: string; version: string | number; target: string;
}

export function wrq(f: WrqFields): DtMessage { return { type: 'WRQ', ...f }; }
export function ack(sender: string, ackN: number): DtMessage { return { type: 'ACK', sender, ackN }; }
export function cancel(sender: string, name: string, content = 'Peer cancelled download transfer'): DtMessage {
  return { type: 'CANCEL', sender, content, name, ackN: 0 };
}
export function error(sender: string, name: string, content: string, isUploadError: boolean): DtMessage {
  return { type: 'ERROR', sender, name, content, isUploadError };
}
export function p2pMessage(sender: string, target: string, data: unknown, isPrivate: boolean): DtMessage {
  return { type: 'MESSAGE', sender, target, data, isPrivate };
}

const DT_TYPES = new Set(['WRQ', 'ACK', 'ERROR', 'CANCEL', 'MESSAGE']);

/** Classifies one received channel message: a control message, or a data chunk. */
export function classify(raw: unknown): { kind: 'control'; msg: DtMessage } | { kind: 'chunk'; data: string | ArrayBuffer | Blob } | { kind: 'invalid' } {
  if (typeof raw === 'string') {
    // Base64 never contains '{', so only a JSON object can start with it.
    if (raw.charCodeAt(0) === 123 /* { */) {
      try {
        const msg = JSON.parse(raw);
        if (msg && typeof msg === 'object' && DT_TYPES.has(msg.type)) return { kind: 'control', msg };
      } catch { /* fall through */ }
      return { kind: 'invalid' };
    }
    return { kind: 'chunk', data: raw };
  }
  if (raw instanceof ArrayBuffer || (typeof Blob !== 'undefined' && raw instanceof Blob)) return { kind: 'chunk', data: raw };
  if (ArrayBuffer.isView(raw)) {
    const v = raw as ArrayBufferView;
    return { kind: 'chunk', data: v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer };
  }
  return { kind: 'invalid' };
}

/** Splits a blob into chunks of `size` bytes (the last one shorter). */
export function chunkBlob(blob: Blob, size: number): Blob[] {
  if (blob.size <= size) return [blob];
  const out: Blob[] = [];
  for (let start = 0; start < blob.size; start += size) out.push(blob.slice(start, Math.min(start + size, blob.size)));
  return out;
}

export function chunkString(s: string, size: number): string[] {
  if (s.length <= size) return [s];
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

/** Size announced in a WRQ: base64 length for string sessions, bytes for binary ones. */
export function wireSize(bytes: number, chunkType: 'string' | 'binary'): number {
  return chunkType === 'string' ? 4 * Math.ceil(bytes / 3) : bytes;
}

export function wireChunkSize(chunkType: 'string' | 'binary'): number {
  return chunkType === 'string' ? 4 * Math.ceil(CHUNK_FILE_SIZE / 3) : BINARY_FILE_SIZE;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) bin += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + step)));
  return btoa(bin);
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64.replace(/\s/g, ''));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Compares dotted versions numerically: is `a` lower than `b`? */
export function versionLower(a: string, b: string): boolean {
  const pa = (a || '0').split('.').map((x) => parseInt(x, 10) || 0);
  const pb = (b || '0').split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0; const y = pb[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}
