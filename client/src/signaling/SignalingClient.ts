// The socket.io connection to the signaling server: tries each port and transport in SkylinkJS'
// order, keeps its own state machine, batches status messages into `group`s (at most one status
// send per second, 16 per group) and unpacks incoming groups.
import { VERSION, SOCKET_ERROR, SOCKET_FALLBACK } from '../constants.js';
import type { HostEnv, SocketLike, TimerId } from '../env.js';
import { logger } from '../log.js';
import { DEFAULT_RECONNECT_POLICY, connectionTargets, type ReconnectPolicy, type Target } from './ReconnectPolicy.js';
import { SignalingState, canTransition } from './SignalingState.js';
import { GROUPED_TYPES, GROUP_INTERVAL_MS, GROUP_MAX, SIG, buildGroup, decode, encode, type SigMessage } from './messages.js';

const log = logger('signaling');

export interface SignalingSession { socketServer: string; serverUrl: string; transportType: string; attempts: number; finalAttempts: number }

/** What the client tells its owner. Each call happens on the event loop, never re-entrantly. */
export interface SignalingListener {
  onStateChange(state: SignalingState, previous: SignalingState): void;
  onMessage(msg: SigMessage): void;
  onSocketError(code: number, error: Error | null, fallbackType: string, session: SignalingSession): void;
  onChannelRetry(fallbackType: string, attempt: number, session: SignalingSession): void;
  onChannelError(error: Error | string, session: SignalingSession): void;
  /** Sent status messages (e.g. our own `public` chat) — the facade echoes them to the page. */
  onSent?(msg: SigMessage): void;
}

/** What the client takes from the host. */
export type SignalingHost = Pick<HostEnv, 'createSocket' | 'now' | 'setTimeout' | 'clearTimeout' | 'hasWebSocket'>;

export class SignalingClient {
  private _state = SignalingState.Idle;
  private socket: SocketLike | null = null;
  private queue: SigMessage[] = [];
  private queueTimer: TimerId | null = null;
  private lastStatusSend = 0;
  private ids: { mid: string; rid: string } = { mid: '', rid: '' };
  readonly session: SignalingSession = { socketServer: '', serverUrl: '', transportType: '', attempts: 0, finalAttempts: 0 };

  constructor(private readonly host: SignalingHost, private readonly listener: SignalingListener,
    private readonly policy: ReconnectPolicy = DEFAULT_RECONNECT_POLICY) {}

  get state(): SignalingState { return this._state; }

  private setState(next: SignalingState): void {
    const prev = this._state;
    if (prev === next) return;
    if (!canTransition(prev, next)) { log.warn(`refused transition ${prev} → ${next}`); return; }
    this._state = next;
    log.debug(`${prev} → ${next}`);
    this.listener.onStateChange(next, prev);
  }

  /** Sets the ids stamped on `group` messages (our sid and room) once known. */
  setIdentity(mid: string, rid: string): void { this.ids = { mid, rid }; }

  /** Connects, trying every target in order; resolves once a socket is open. */
  async connect(protocol: string, host: string, ports: number[]): Promise<void> {
    this.setState(SignalingState.Connecting);
    const hasWs = this.host.hasWebSocket();
    const targets = connectionTargets(protocol, host, ports, hasWs);
    const secure = protocol === 'https:';
    for (let i = 0; i < targets.length; i++) {
      if (this._state !== SignalingState.Connecting) throw new Error('Signaling connection closed while connecting');
      const t = targets[i];
      const fallbackType = i === 0 ? SOCKET_FALLBACK.NON_FALLBACK
        : t.transport === 'Polling' ? (secure ? SOCKET_FALLBACK.LONG_POLLING_SSL : SOCKET_FALLBACK.LONG_POLLING)
          : (secure ? SOCKET_FALLBACK.FALLBACK_SSL_PORT : SOCKET_FALLBACK.FALLBACK_PORT);
      this.session.attempts++;
      this.session.socketServer = this.session.serverUrl = t.url;
      this.session.transportType = t.transport;
      if (i > 0) {
        this.listener.onSocketError(SOCKET_ERROR.RECONNECTION_ATTEMPT, null, fallbackType, { ...this.session });
        this.listener.onChannelRetry(fallbackType, this.session.attempts, { ...this.session });
      }
      try {
        await this.tryTarget(t);
        this.setState(SignalingState.Open);
        return;
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        log.warn(`connect to ${t.url} (${t.transport}) failed: ${err.message}`);
        this.listener.onSocketError(i === 0 ? SOCKET_ERROR.CONNECTION_FAILED : SOCKET_ERROR.RECONNECTION_FAILED, err, fallbackType, { ...this.session });
      }
    }
    const aborted = new Error('Reconnection aborted as there no more available ports, transports and final attempts left.');
    this.listener.onSocketError(SOCKET_ERROR.RECONNECTION_ABORTED, aborted, SOCKET_FALLBACK.NON_FALLBACK, { ...this.session });
    this.setState(SignalingState.Failed);
    throw aborted;
  }

  private tryTarget(t: Target): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = this.host.createSocket(`${t.url}?rand=${this.host.now()}`, {
        forceNew: true,
        reconnection: this.policy.attemptsPerTarget > 1,
        reconnectionAttempts: Math.max(0, this.policy.attemptsPerTarget - 1),
        reconnectionDelay: this.policy.delayMs,
        reconnectionDelayMax: this.policy.delayMaxMs,
        timeout: this.policy.timeoutMs,
        transports: t.transport === 'WebSocket' ? ['websocket'] : ['polling'],
        query: { Skylink_SDK_type: 'WEB_SDK', Skylink_SDK_version: VERSION },
      });
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        // With reconnection on, socket.io keeps trying until reconnect_failed.
        if (this.policy.attemptsPerTarget > 1 && !(err instanceof Error && err.message === 'reconnect_failed')) return;
        settled = true;
        try { socket.disconnect(); } catch { /* already closed */ }
        reject(err instanceof Error ? err : new Error(typeof err === 'string' ? err : 'connect_error'));
      };
      socket.on('connect', () => {
        if (settled) return;
        settled = true;
        this.adopt(socket);
        resolve();
      });
      socket.on('connect_error', fail);
      socket.on('connect_timeout', () => fail(new Error('connect_timeout')));
      socket.on('reconnect_failed', () => fail(new Error('reconnect_failed')));
    });
  }

  /** Takes over an open socket: messages, drops and socket.io's own reconnection. */
  private adopt(socket: SocketLike): void {
    this.socket = socket;
    socket.on('message', (payload: unknown) => {
      for (const msg of decode(payload)) this.listener.onMessage(msg);
    });
    socket.on('error', (err: unknown) => {
      this.listener.onChannelError(err instanceof Error ? err : String(err), { ...this.session });
    });
    socket.on('disconnect', (reason: string) => {
      if (this._state !== SignalingState.Open) return;
      if (reason === 'io client disconnect') return;
      this.dropQueue();
      // A dropped connection has lost its room membership on the server side; the owner decides.
      this.setState(SignalingState.Reconnecting);
      this.reconnect().catch(() => { /* state already Failed */ });
    });
  }

  private async reconnect(): Promise<void> {
    const old = this.socket;
    this.socket = null;
    try { old?.disconnect(); } catch { /* gone */ }
    const url = this.session.socketServer;
    const transport = this.session.transportType as Target['transport'];
    for (let attempt = 1; attempt <= this.policy.reconnectAttempts; attempt++) {
      if (this._state !== SignalingState.Reconnecting) return;
      await new Promise<void>((r) => this.host.setTimeout(r, Math.min(this.policy.delayMaxMs, this.policy.delayMs * attempt)));
      this.session.attempts++;
      this.listener.onChannelRetry(SOCKET_FALLBACK.NON_FALLBACK, this.session.attempts, { ...this.session });
      try {
        await this.tryTarget({ url, transport, port: 0 });
        if (this.state !== SignalingState.Reconnecting) { (this.socket as SocketLike | null)?.disconnect(); this.socket = null; return; }
        this.setState(SignalingState.Open);
        return;
      } catch (e) {
        this.listener.onSocketError(SOCKET_ERROR.RECONNECTION_FAILED, e as Error, SOCKET_FALLBACK.NON_FALLBACK, { ...this.session });
      }
    }
    this.listener.onSocketError(SOCKET_ERROR.RECONNECTION_ABORTED, new Error('Reconnection aborted'), SOCKET_FALLBACK.NON_FALLBACK, { ...this.session });
    this.setState(SignalingState.Failed);
  }

  /** Sends a message; status messages are rate-limited into groups like SkylinkJS does. */
  send(msg: SigMessage): boolean {
    if (this._state !== SignalingState.Open || !this.socket) {
      log.warn('dropping message while not connected:', msg.type);
      return false;
    }
    if (!GROUPED_TYPES.includes(msg.type)) {
      this.socket.send(encode(msg));
      return true;
    }
    const now = this.host.now();
    if (this.queue.length === 0 && now - this.lastStatusSend > GROUP_INTERVAL_MS) {
      this.socket.send(encode(msg));
      this.lastStatusSend = now;
      this.listener.onSent?.(msg);
      return true;
    }
    this.queue.push(msg);
    this.scheduleFlush();
    return true;
  }

  private scheduleFlush(): void {
    if (this.queueTimer) return;
    const wait = Math.max(0, GROUP_INTERVAL_MS - (this.host.now() - this.lastStatusSend));
    this.queueTimer = this.host.setTimeout(() => {
      this.queueTimer = null;
      this.flush();
    }, wait);
  }

  private flush(): void {
    if (this._state !== SignalingState.Open || !this.socket || this.queue.length === 0) return;
    const batch = this.queue.splice(0, GROUP_MAX);
    const group = buildGroup(batch, this.ids.mid, this.ids.rid);
    if (group) {
      this.socket.send(encode(group));
      this.lastStatusSend = this.host.now();
      for (const m of batch) this.listener.onSent?.(m);
    }
    if (this.queue.length > 0) this.scheduleFlush();
  }

  private dropQueue(): void {
    this.queue = [];
    if (this.queueTimer) { this.host.clearTimeout(this.queueTimer); this.queueTimer = null; }
  }

  /** Closes for good (leaveRoom). Queued status messages are flushed first. */
  close(): void {
    if (this._state === SignalingState.Closed) return;
    if (this.queue.length > 0) { if (this.queueTimer) this.host.clearTimeout(this.queueTimer); this.queueTimer = null; this.flush(); }
    this.dropQueue();
    const s = this.socket;
    this.socket = null;
    this.setState(SignalingState.Closed);
    try { s?.removeAllListeners?.(); } catch { /* ignore */ }
    try { s?.disconnect(); } catch { /* ignore */ }
  }
}

export { SIG };
