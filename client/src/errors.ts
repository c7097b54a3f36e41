// Typed errors with reason codes, mapped to SkylinkJS' error shapes in exactly one place each.
import { READY_STATE_CHANGE_ERROR } from './constants.js';
import type { ReadyStateError } from './events.js';

export type ApiErrorKind = 'network' | 'timeout' | 'rejected' | 'badReply' | 'noKey';

/** A failed init(): carries what `readyStateChange(ERROR, error)` reports. */
export class InitError extends Error {
  constructor(readonly kind: ApiErrorKind, message: string, readonly errorCode: number, readonly status: number) {
    super(message);
    this.name = 'InitError';
  }

  /** The second argument of `readyStateChange(-1, error, room)`. */
  toReadyStateError(): ReadyStateError {
    return { status: this.status, content: new Error(this.message), errorCode: this.errorCode };
  }

  static network(status: number): InitError {
    return new InitError('network', `Network error occurred. (Status: ${status})`, READY_STATE_CHANGE_ERROR.XML_HTTP_REQUEST_ERROR, status || -1);
  }
  static timeout(): InitError {
    return new InitError('timeout', 'Response timed out from API server', READY_STATE_CHANGE_ERROR.XML_HTTP_NO_REPONSE_ERROR, -1);
  }
  static noKey(): InitError {
    return new InitError('noKey', 'Please provide an app key', READY_STATE_CHANGE_ERROR.NO_PATH, -2);
  }
}

/** The error shape of joinRoom()'s callback. */
export interface JoinRoomError { room: string | null; errorCode: number | null; error: Error }

export const SIGNALING_ERROR = {
  /** Every port and transport failed. */
  UNREACHABLE: 'unreachable',
  /** The server refused our joinRoom (redirect reject). */
  REJECTED: 'rejected',
  /** The socket closed before inRoom. */
  CLOSED: 'closed',
} as const;
