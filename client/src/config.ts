// init() options: what the page may pass, and their normalized form with SkylinkJS' defaults.
import * as C from './constants.js';
import type { Credentials } from './signaling/ApiClient.js';

export interface InitOptions {
  appKey?: string;
  apiKey?: string;
  defaultRoom?: string;
  roomServer?: string;
  credentials?: Credentials | null;
  enableDataChannel?: boolean;
  enableIceTrickle?: boolean;
  enableSimultaneousTransfers?: boolean;
  forceTURN?: boolean;
  forceSSL?: boolean;
  audioFallback?: boolean;
  apiTimeout?: number;
  socketTimeout?: number;
  priorityWeightScheme?: string;
  iceServer?: string | string[];
  [k: string]: unknown;
}

export interface NormalizedInit {
  appKey: string; defaultRoom: string; roomServer: string; credentials: Credentials | null;
  enableDataChannel: boolean; enableIceTrickle: boolean; enableSimultaneousTransfers: boolean; forceTURN: boolean;
  forceSSL: boolean; audioFallback: boolean; apiTimeout: number; socketTimeout: number; priorityWeightScheme: string;
  iceServer: string[] | null;
}

/** `defaultRoomServer`: where roomServer points when the page gives none (the script's origin). */
export function normalizeInit(opts: InitOptions, defaultRoomServer: string): NormalizedInit {
  const appKey = typeof opts.appKey === 'string' && opts.appKey ? opts.appKey : typeof opts.apiKey === 'string' ? opts.apiKey : '';
  return {
    appKey,
    defaultRoom: typeof opts.defaultRoom === 'string' && opts.defaultRoom ? opts.defaultRoom : appKey,
    roomServer: typeof opts.roomServer === 'string' && opts.roomServer ? opts.roomServer : defaultRoomServer,
    credentials: opts.credentials && typeof opts.credentials === 'object' && typeof opts.credentials.startDateTime === 'string'
      && typeof opts.credentials.credentials === 'string' && typeof opts.credentials.duration === 'number' ? opts.credentials : null,
    enableDataChannel: opts.enableDataChannel !== false,
    enableIceTrickle: opts.enableIceTrickle !== false,
    enableSimultaneousTransfers: opts.enableSimultaneousTransfers !== false,
    forceTURN: opts.forceTURN === true,
    // Unlike SkylinkJS (default true), follow the page's scheme unless asked: our server is
    // usually the page's own origin, on http in development.
    forceSSL: opts.forceSSL === true,
    audioFallback: opts.audioFallback === true,
    apiTimeout: typeof opts.apiTimeout === 'number' ? opts.apiTimeout : 4000,
    socketTimeout: typeof opts.socketTimeout === 'number' && opts.socketTimeout >= 5000 ? opts.socketTimeout : 7000,
    priorityWeightScheme: (Object.values(C.PRIORITY_WEIGHT_SCHEME) as unknown[]).includes(opts.priorityWeightScheme)
      ? (opts.priorityWeightScheme as string) : C.PRIORITY_WEIGHT_SCHEME.AUTO,
    iceServer: typeof opts.iceServer === 'string' ? [opts.iceServer] : Array.isArray(opts.iceServer) && opts.iceServer.length ? opts.iceServer : null,
  };
}
