// The API request of init() (protocol spec section 2): app key + room → a signed session.
import { VERSION } from '../constants.js';
import type { HostEnv } from '../env.js';
import { InitError } from '../errors.js';

export interface Credentials { startDateTime: string; duration: number; credentials: string }

export interface ApiRequest {
  roomServer: string;          // `//host:port`, `http://host` or `https://host`
  appKey: string;
  room: string;
  credentials: Credentials | null;
  forceSSL: boolean;
  timeoutMs: number;
  retries: number;             // extra tries on timeout (SkylinkJS: 2)
}

/** The fields of a successful reply that the library uses. */
export interface RoomCredentials {
  cid: string;
  apiOwner: string;
  roomKey: string;
  username: string;
  userCred: string;
  timeStamp: string;
  roomCred: string;
  start: string;
  len: number;
  signalingHost: string;
  httpPorts: number[];
  httpsPorts: number[];
  path: string;
  isPrivileged: boolean;
  autoIntroduce: boolean;
  /** The room's media go through the server's MCU (an SFU room): one connection, to peer 'MCU'. */
  hasMCU: boolean;
  /** The URL of the API call, with the scheme actually used. */
  url: string;
}

/** Builds the API URL exactly as SkylinkJS does (room and start pasted in unencoded). */
export function apiUrl(req: ApiRequest, rand: number, pageProtocol = 'http:'): string {
  let base = req.roomServer.replace(/\/+$/, '');
  if (base.startsWith('//')) base = (req.forceSSL ? 'https:' : pageProtocol === 'https:' ? 'https:' : 'http:') + base;
  else if (req.forceSSL) base = base.replace(/^http:/, 'https:');
  let url = `${base}/api/${req.appKey}/${req.room}`;
  if (req.credentials) {
    url += `/${req.credentials.startDateTime}/${req.credentials.duration}?cred=${req.credentials.credentials}&rand=${rand}`;
  } else {
    url += `?rand=${rand}`;
  }
  return url;
}

/** Maps a reply body to a session, or throws the InitError SkylinkJS would report. */
export function parseApiReply(status: number, body: unknown, url: string): RoomCredentials {
  const r = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (r.success !== true) {
    const code = typeof r.error === 'number' ? r.error : status;
    const info = typeof r.info === 'string' ? r.info : `XMLHttpRequest status not OK\nStatus was: ${status}`;
    throw new InitError('rejected', info, code, status);
  }
  const ports = (v: unknown, d: number[]) => (Array.isArray(v) && v.length > 0 ? v.map(Number) : d);
  return {
    cid: String(r.cid ?? ''),
    apiOwner: String(r.apiOwner ?? ''),
    roomKey: String(r.room_key ?? ''),
    username: String(r.username ?? ''),
    userCred: String(r.userCred ?? ''),
    timeStamp: String(r.timeStamp ?? ''),
    roomCred: String(r.roomCred ?? ''),
    start: String(r.start ?? ''),
    len: Number(r.len ?? 0),
    signalingHost: String(r.ipSigserver ?? ''),
    httpPorts: ports(r.httpPortList, [80, 3000]),
    httpsPorts: ports(r.httpsPortList, [443, 3443]),
    path: typeof r.ipSigserverPath === 'string' ? r.ipSigserverPath : '',
    isPrivileged: r.isPrivileged === true,
    autoIntroduce: r.autoIntroduce !== false,
    hasMCU: r.hasMCU === true,
    url,
  };
}

/** What the API call takes from the host. */
export type ApiHost = Pick<HostEnv, 'fetch' | 'now' | 'setTimeout' | 'clearTimeout' | 'pageLocation'>;

/** One API call with SkylinkJS' retry-on-timeout rule. */
export async function requestSession(req: ApiRequest, host: ApiHost): Promise<RoomCredentials> {
  for (let attempt = 0; ; attempt++) {
    const url = apiUrl(req, host.now(), host.pageLocation()?.protocol);
    const ctrl = typeof AbortController !== 'undefined' ? new AbortController() : null;
    let timedOut = false;
    const timer = host.setTimeout(() => { timedOut = true; ctrl?.abort(); }, req.timeoutMs);
    try {
      const res = await host.fetch(url, {
        method: 'GET',
        headers: { Skylink_SDK_version: VERSION, Skylink_SDK_type: 'WEB_SDK' },
        signal: ctrl?.signal,
        cache: 'no-store',
      });
      const text = await res.text();
      let body: unknown = {};
      try { body = JSON.parse(text || '{}'); } catch { throw new InitError('badReply', `Invalid reply from API server (status ${res.status})`, res.status || -1, res.status); }
      return parseApiReply(res.status, body, url);
    } catch (e) {
      if (e instanceof InitError) throw e;
      if (timedOut) {
        if (attempt < req.retries) continue;
        throw InitError.timeout();
      }
      throw InitError.network(0);
    } finally {
      host.clearTimeout(timer);
    }
  }
}
