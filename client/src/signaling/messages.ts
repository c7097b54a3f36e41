// Signaling messages (protocol spec sections 4–5): types, the status messages SkylinkJS batches
// into `group`, and encoding/decoding of the socket.io `message` payload (a JSON string).

/* eslint-disable @typescript-eslint/no-explicit-any */
export type SigMessage = { type: string; mid?: string; rid?: string; target?: string; [k: string]: any };

export const SIG = {
  JOIN_ROOM: 'joinRoom', MEDIA_MODE: 'mediaMode', IN_ROOM: 'inRoom', ENTER: 'enter', WELCOME: 'welcome', RESTART: 'restart',
  OFFER: 'offer', ANSWER: 'answer', CANDIDATE: 'candidate', BYE: 'bye', REDIRECT: 'redirect',
  UPDATE_USER: 'updateUserEvent', ROOM_LOCK: 'roomLockEvent', MUTE_VIDEO: 'muteVideoEvent',
  MUTE_AUDIO: 'muteAudioEvent', PUBLIC_MESSAGE: 'public', PRIVATE_MESSAGE: 'private', STREAM: 'stream',
  GROUP: 'group', GET_PEERS: 'getPeers', PEER_LIST: 'peerList', INTRODUCE: 'introduce',
  INTRODUCE_ERROR: 'introduceError', APPROACH: 'approach', END_OF_CANDIDATES: 'endOfCandidates',
  RECORDING: 'recordingEvent', ANSWER_ACK: 'answerAck', MEDIA_INFO: 'mediaInfoEvent',
  ACTIVE_SPEAKER: 'activeSpeaker', START_RECORDING: 'startRecordingRoom', STOP_RECORDING: 'stopRecordingRoom',
} as const;

/** Status messages SkylinkJS sends at most once a second, batching the rest into `group`. */
export const GROUPED_TYPES: readonly string[] = [SIG.STREAM, SIG.UPDATE_USER, SIG.MUTE_AUDIO, SIG.MUTE_VIDEO, SIG.PUBLIC_MESSAGE];
export const GROUP_MAX = 16;
export const GROUP_INTERVAL_MS = 1000;

export function encode(msg: SigMessage): string {
  return JSON.stringify(msg);
}

/** Decodes one socket payload into messages (a `group` is unpacked); bad input yields []. */
export function decode(payload: unknown): SigMessage[] {
  let msg: unknown = payload;
  if (typeof payload === 'string') {
    try { msg = JSON.parse(payload); } catch { return []; }
  }
  if (!msg || typeof msg !== 'object' || typeof (msg as SigMessage).type !== 'string') return [];
  const m = msg as SigMessage;
  if (m.type !== SIG.GROUP) return [m];
  if (!Array.isArray(m.lists)) return [];
  const out: SigMessage[] = [];
  for (const item of m.lists) out.push(...decode(item).filter((x) => x.type !== SIG.GROUP));
  return out;
}

/** Builds a `group` message from queued status messages, newest stamp winning per kind. */
export function buildGroup(queue: SigMessage[], mid: string, rid: string): SigMessage | null {
  const latest: Record<string, number> = {};
  for (const m of queue) {
    if (typeof m.stamp === 'number' && m.type !== SIG.PUBLIC_MESSAGE && m.type !== SIG.STREAM) {
      latest[m.type] = Math.max(latest[m.type] ?? 0, m.stamp);
    }
  }
  const lists = queue
    .filter((m) => !(typeof m.stamp === 'number' && latest[m.type] !== undefined && m.stamp < latest[m.type]))
    .map((m) => JSON.stringify(m));
  if (lists.length === 0) return null;
  return { type: SIG.GROUP, lists, mid, rid };
}
