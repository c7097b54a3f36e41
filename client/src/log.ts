// Named log channel with a run-time level (SkylinkJS setLogLevel / setDebugMode).
import { LOG_LEVEL } from './constants.js';

let level: number = LOG_LEVEL.ERROR;
const methods = ['error', 'warn', 'info', 'log', 'debug'] as const;

export function setLevel(l: number): void { if (l >= LOG_LEVEL.NONE && l <= LOG_LEVEL.DEBUG) level = l; }
export function getLevel(): number { return level; }

function out(l: number, scope: string, args: unknown[]): void {
  if (l > level || typeof console === 'undefined') return;
  const fn = (console as unknown as Record<string, (...a: unknown[]) => void>)[methods[l]] ?? console.log;
  fn.call(console, `Skylink [${scope}]`, ...args);
}

export interface Logger {
  error(...a: unknown[]): void; warn(...a: unknown[]): void; info(...a: unknown[]): void; debug(...a: unknown[]): void;
}

export function logger(scope: string): Logger {
  return {
    error: (...a) => out(0, scope, a),
    warn: (...a) => out(1, scope, a),
    info: (...a) => out(2, scope, a),
    debug: (...a) => out(4, scope, a),
  };
}
