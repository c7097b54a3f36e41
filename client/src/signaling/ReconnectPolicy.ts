// How hard the signaling client tries: one small value object (like livekit-client's policy).

export interface ReconnectPolicy {
  /** socket.io connect timeout per attempt. */
  timeoutMs: number;
  /** socket.io reconnection attempts on one port/transport before moving on. */
  attemptsPerTarget: number;
  delayMs: number;
  delayMaxMs: number;
  /** Attempts to get back after an established connection drops. */
  reconnectAttempts: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = {
  timeoutMs: 7000,        // SkylinkJS socketTimeout default
  attemptsPerTarget: 1,
  delayMs: 500,
  delayMaxMs: 2000,
  reconnectAttempts: 3,
};

export type Transport = 'WebSocket' | 'Polling';
export interface Target { url: string; transport: Transport; port: number }

/** The order SkylinkJS tries: WebSocket on each port, then long-polling on each port. */
export function connectionTargets(protocol: string, host: string, ports: number[], hasWebSocket: boolean): Target[] {
  const out: Target[] = [];
  const transports: Transport[] = hasWebSocket ? ['WebSocket', 'Polling'] : ['Polling'];
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  for (const transport of transports) {
    for (const port of ports) out.push({ url: `${protocol}//${h}:${port}`, transport, port });
  }
  return out;
}
