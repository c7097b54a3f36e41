// The app's reconnect schedule, on top of the library's own short retry: 1 s, 2 s, 4 s, then
// every 8 s, with ±20 % jitter so a room full of pages does not hammer a restarting server in
// step. Pure, so it is unit-tested.

export interface BackoffOptions { firstMs: number; maxMs: number; jitter: number }
export const DEFAULT_BACKOFF: BackoffOptions = { firstMs: 1000, maxMs: 8000, jitter: 0.2 };

export function backoffDelay(attempt: number, o: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const base = Math.min(o.maxMs, o.firstMs * 2 ** Math.max(0, attempt));
  const spread = base * o.jitter;
  return Math.round(base - spread + 2 * spread * random());
}
