// The signaling connection's own state machine. Transitions are table-checked in setState().

export enum SignalingState {
  Idle = 'idle',
  Connecting = 'connecting',
  Open = 'open',
  Reconnecting = 'reconnecting',
  Closed = 'closed',
  Failed = 'failed',
}

/** Allowed transitions; anything else is a bug and is refused. */
export const SIGNALING_TRANSITIONS: Record<SignalingState, SignalingState[]> = {
  [SignalingState.Idle]: [SignalingState.Connecting, SignalingState.Closed],
  [SignalingState.Connecting]: [SignalingState.Open, SignalingState.Failed, SignalingState.Closed],
  [SignalingState.Open]: [SignalingState.Reconnecting, SignalingState.Closed],
  [SignalingState.Reconnecting]: [SignalingState.Open, SignalingState.Failed, SignalingState.Closed],
  [SignalingState.Closed]: [],
  [SignalingState.Failed]: [SignalingState.Closed],
};

export function canTransition(from: SignalingState, to: SignalingState): boolean {
  return SIGNALING_TRANSITIONS[from].includes(to);
}
