// When to try to get back into the room after the signaling channel is lost. States:
//
//   idle ──lost()──▶ grace ──(graceMs)──▶ attempting ──failed()/timeout──▶ waiting ──(backoff)──▶ attempting …
//     ▲                 │                     │                               │
//     └──succeeded()────┴─────────────────────┴───────────────────────────────┘   (also stop())
//
// "grace" lets the library's own quick reconnection work first; `now()` (the browser is back
// online, or the library gave up) skips a grace or backoff wait. The attempt itself (init() and
// joinRoom()) belongs to the room model, which reports its end with succeeded() or failed().
import { backoffDelay } from './backoff.js';

export type ReconnectState = 'idle' | 'grace' | 'attempting' | 'waiting';

export interface ReconnectTimings { graceMs: number; attemptTimeoutMs: number }

export class Reconnector {
  private state: ReconnectState = 'idle';
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempts = 0;

  constructor(
    private readonly startAttempt: (attempt: number) => void,
    private readonly timings: () => ReconnectTimings,
    private readonly onTimeout: () => void = () => undefined,
  ) {}

  get current(): ReconnectState { return this.state; }
  get attempt(): number { return this.attempts; }

  /** The channel is gone: start the grace period unless a reconnection is already under way. */
  lost(): void {
    if (this.state !== 'idle') return;
    this.setState('grace', this.timings().graceMs, () => this.attemptNow());
  }

  /** Skip the wait (network back, or the library gave up). No effect during an attempt. */
  now(): void {
    if (this.state === 'grace' || this.state === 'waiting') this.attemptNow();
  }

  /** The attempt failed (or timed out): wait about 1 s, 2 s, 4 s, then 8 s, and try again. */
  failed(): void {
    if (this.state !== 'attempting') return;
    this.setState('waiting', backoffDelay(Math.max(0, this.attempts - 1)), () => this.attemptNow());
  }

  /** Back in the room: forget everything. */
  succeeded(): void {
    this.stop();
    this.attempts = 0;
  }

  stop(): void {
    this.clear();
    this.state = 'idle';
  }

  private attemptNow(): void {
    this.attempts++;
    this.setState('attempting', this.timings().attemptTimeoutMs, () => { this.onTimeout(); this.failed(); });
    this.startAttempt(this.attempts);
  }

  private setState(state: ReconnectState, afterMs: number, then: () => void): void {
    this.clear();
    this.state = state;
    this.timer = setTimeout(() => { this.timer = null; then(); }, afterMs);
  }

  private clear(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
  }
}
