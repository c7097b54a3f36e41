// The typed event map (SkylinkJS 0.6 names and argument orders) and the emitter behind
// `on/once/off`. Listeners run synchronously in subscription order; `once` listeners take an
// optional condition and fire only when it returns true, as in SkylinkJS.

/* eslint-disable @typescript-eslint/no-explicit-any */
export type PeerInfo = Record<string, any>;
export type TransferInfo = Record<string, any>;
export interface ReadyStateError { status: number; content: Error; errorCode: number }
export interface TransferError { message: Error; transferType: string }
export interface MessageInfo {
  content: unknown;
  isPrivate: boolean;
  isDataChannel: boolean;
  senderPeerId: string;
  targetPeerId?: string | string[] | null;
  listOfPeers?: string[];
}
/** A camera or microphone (`deviceId` and `label` as enumerateDevices() gives them). */
export interface MediaDeviceRef { deviceId: string; label: string }
export interface SocketSession { serverUrl?: string; socketServer?: string; transportType?: string; attempts?: number; finalAttempts?: number }

export interface SkylinkEvents {
  readyStateChange: [state: number, error: ReadyStateError | null, room: string];
  channelOpen: [session: SocketSession];
  channelClose: [session: SocketSession];
  channelMessage: [message: Record<string, any>, session: SocketSession];
  channelError: [error: Error | string, session: SocketSession];
  channelRetry: [fallbackType: string, attempt: number, session: SocketSession];
  socketError: [errorCode: number, error: Error | null, type: string, session: SocketSession];
  peerJoined: [peerId: string, peerInfo: PeerInfo, isSelf: boolean];
  peerUpdated: [peerId: string, peerInfo: PeerInfo, isSelf: boolean];
  peerLeft: [peerId: string, peerInfo: PeerInfo, isSelf: boolean];
  peerRestart: [peerId: string, peerInfo: PeerInfo, isSelfInitiateRestart: boolean, isIceRestart: boolean];
  sessionDisconnect: [peerId: string, peerInfo: PeerInfo];
  incomingStream: [peerId: string, stream: MediaStream, isSelf: boolean, peerInfo: PeerInfo, isScreensharing: boolean, streamId: string];
  incomingMessage: [message: MessageInfo, peerId: string, peerInfo: PeerInfo, isSelf: boolean];
  incomingData: [data: Blob | string, transferId: string, peerId: string, transferInfo: TransferInfo, isSelf: boolean];
  incomingDataRequest: [transferId: string, peerId: string, transferInfo: TransferInfo, isSelf: boolean];
  dataTransferState: [state: string, transferId: string, peerId: string, transferInfo: TransferInfo, error: TransferError | null];
  dataChannelState: [state: string, peerId: string, error: Error | null, channelName: string, channelType: string, messageType: string | null, bufferAmount: { bufferedAmountLow: number; bufferedAmountLowThreshold: number }];
  mediaAccessSuccess: [stream: MediaStream, isScreensharing: boolean, isAudioFallback: boolean, streamId: string];
  mediaAccessError: [error: Error, isScreensharing: boolean, isAudioFallbackError: boolean];
  mediaAccessFallback: [error: { error: Error; diff: unknown }, state: number, isScreensharing: boolean, isAudioFallback: boolean, streamId?: string];
  mediaAccessStopped: [isScreensharing: boolean, isAudioFallback: boolean, streamId: string];
  mediaAccessRequired: [];
  /** Not in SkylinkJS: our camera or microphone ended on its own; `replacement` is the device now used, null when none is left (the stream goes on without that kind; null stream when nothing is left). */
  mediaDeviceLost: [kind: 'audio' | 'video', lost: MediaDeviceRef, replacement: MediaDeviceRef | null, stream: MediaStream | null];
  localMediaMuted: [mediaStatus: { audioMuted: boolean; videoMuted: boolean }];
  streamMuted: [peerId: string, peerInfo: PeerInfo, isSelf: boolean, isScreensharing: boolean];
  streamEnded: [peerId: string, peerInfo: PeerInfo, isSelf: boolean, isScreensharing: boolean, streamId: string];
  roomLock: [isLocked: boolean, peerId: string, peerInfo: PeerInfo, isSelf: boolean];
  systemAction: [action: string, message: string, reason: string];
  handshakeProgress: [state: string, peerId: string, error?: Error | null];
  peerConnectionState: [state: string, peerId: string];
  iceConnectionState: [state: string, peerId: string];
  candidateGenerationState: [state: string, peerId: string];
  getPeersStateChange: [state: string, privilegedPeerId: string, peerList: unknown];
  introduceStateChange: [state: string, privilegedPeerId: string, sendingPeerId: string, receivingPeerId: string, reason?: string];
  recordingState: [state: number, recordingId: string | null, link: unknown, error: Error | null];
  /** Not in SkylinkJS: SFU rooms only. The room's loudest publisher changed (the MCU's `activeSpeaker`); `peerId` null when nobody speaks, `isSelf` when it is us. Fires only on a change. */
  activeSpeakerChanged: [peerId: string | null, isSelf: boolean];
  /** Not in SkylinkJS: aerie names the room's owner, the member longest in the room (`inRoom.owner`, and the owner's `bye` names the next); `peerId` null when the server does not say. Fires on joining and on a change. */
  roomOwnerChanged: [peerId: string | null, isSelf: boolean];
}

export type EventName = keyof SkylinkEvents;
type Listener = (...args: any[]) => unknown;

export class Emitter<Events extends { [K in keyof Events]: unknown[] }> {
  private listeners = new Map<keyof Events, Listener[]>();
  private onceListeners = new Map<keyof Events, Array<{ fn: Listener; cond: Listener; always: boolean }>>();

  on<K extends keyof Events>(name: K, fn: (...args: Events[K]) => unknown): void {
    if (typeof fn !== 'function') return;
    const list = this.listeners.get(name) ?? [];
    list.push(fn as Listener);
    this.listeners.set(name, list);
  }

  /** SkylinkJS: once(name, fn, [condition], [fireAlways]) — fireAlways keeps the listener after it fires. */
  once<K extends keyof Events>(name: K, fn: (...args: Events[K]) => unknown,
    condition?: ((...args: Events[K]) => unknown) | boolean, fireAlways?: boolean): void {
    if (typeof fn !== 'function') return;
    if (typeof condition === 'boolean') { fireAlways = condition; condition = undefined; }
    const list = this.onceListeners.get(name) ?? [];
    list.push({ fn: fn as Listener, cond: (condition as Listener) ?? (() => true), always: !!fireAlways });
    this.onceListeners.set(name, list);
  }

  off<K extends keyof Events>(name?: K, fn?: (...args: Events[K]) => unknown): void {
    if (!name) { this.listeners.clear(); this.onceListeners.clear(); return; }
    if (!fn) { this.listeners.delete(name); this.onceListeners.delete(name); return; }
    const list = this.listeners.get(name);
    if (list) { const i = list.indexOf(fn as Listener); if (i >= 0) list.splice(i, 1); }
    const once = this.onceListeners.get(name);
    if (once) { const i = once.findIndex((o) => o.fn === fn); if (i >= 0) once.splice(i, 1); }
  }

  /** Fires an event. A throwing listener is reported on the console and does not stop the others. */
  emit<K extends keyof Events>(name: K, ...args: Events[K]): void {
    for (const fn of [...(this.listeners.get(name) ?? [])]) {
      try { if (fn.apply(this, args) === false) break; } catch (e) { reportListenerError(String(name), e); }
    }
    const once = this.onceListeners.get(name);
    if (!once) return;
    for (const entry of [...once]) {
      let ok = false;
      try { ok = entry.cond.apply(this, args) === true; } catch (e) { reportListenerError(String(name), e); }
      if (!ok) continue;
      if (!entry.always) { const i = once.indexOf(entry); if (i >= 0) once.splice(i, 1); }
      try { entry.fn.apply(this, args); } catch (e) { reportListenerError(String(name), e); }
    }
  }

  listenerCount(name: keyof Events): number {
    return (this.listeners.get(name)?.length ?? 0) + (this.onceListeners.get(name)?.length ?? 0);
  }
}

function reportListenerError(name: string, e: unknown): void {
  // A listener belongs to the page: its bug must not break our state machines.
  if (typeof console !== 'undefined') console.error(`Skylink: exception in "${name}" listener`, e);
}
