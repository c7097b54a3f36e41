// The landing page's health check, in the order a call needs things: the server answers
// (GET /health), the app key is accepted by the API server (GET /api/{key}/{room}, the request
// Skylink's init() makes), and the signaling server it names accepts a WebSocket (the socket.io
// handshake's first packet). Each step says in plain words what is wrong.
import type { AppConfig } from '../common/config.js';
import { roomServerFor } from '../common/config.js';

export type CheckState = 'pending' | 'ok' | 'fail' | 'skipped';
export interface Check { state: CheckState; message: string }
export interface HealthReport { server: Check; key: Check; signaling: Check }

export const PROBE_ROOM = 'aerie-health-check';

const pending = (message: string): Check => ({ state: 'pending', message });

export function initialReport(): HealthReport {
  return { server: pending('Checking the server…'), key: pending('Checking the app key…'), signaling: pending('Checking signaling…') };
}

interface ApiReply {
  success?: boolean;
  error?: number;
  info?: string;
  ipSigserver?: string;
  ipSigserverPath?: string;
  httpPortList?: number[];
  httpsPortList?: number[];
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

/** What an API error code means for someone running the server (codes of the Skylink API). */
export function explainApiError(code: number | undefined, info: string | undefined, host: string): string {
  const detail = info ? ` (${info})` : '';
  switch (code) {
    case 4001: return `The app key is not known to this server, or it was revoked or has expired${detail}. Create one with \`aerie app create\`, or start aerie with a fresh data folder to get a development key.`;
    case 4002: return `The app key does not allow pages on ${host}${detail}. Add this host to the key's domains, or open the page as localhost or 127.0.0.1.`;
    case 4003: return `The app key does not allow requests from this page's origin (${host})${detail}. Add it to the key's domains.`;
    case 4004:
    case 4005: return `The room credentials were refused${detail}.`;
    case 4006: return `The app key's parent key is not valid${detail}.`;
    default: return `The API server refused the app key${code ? ` with error ${code}` : ''}${detail}.`;
  }
}

export interface HealthDeps {
  fetch: typeof fetch;
  WebSocket: typeof WebSocket;
  location: { protocol: string; host: string; hostname: string };
}

export async function checkHealth(config: AppConfig, onUpdate: (r: HealthReport) => void,
  deps: HealthDeps = { fetch: (...a) => fetch(...a), WebSocket, location }): Promise<HealthReport> {
  const r = initialReport();
  const update = (patch: Partial<HealthReport>) => { Object.assign(r, patch); onUpdate({ ...r }); };

  try {
    const res = await withTimeout(deps.fetch('/health', { cache: 'no-store' }), 5000, 'The server');
    if (!res.ok) throw new Error(`it answered HTTP ${res.status}`);
    update({ server: { state: 'ok', message: 'The server is up.' } });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    update({
      server: { state: 'fail', message: `The Aerie server is not answering (${msg}). Is it running? Start it with scripts/run.sh.` },
      key: { state: 'skipped', message: 'Not checked: the server is down.' },
      signaling: { state: 'skipped', message: 'Not checked: the server is down.' },
    });
    return r;
  }

  if (!config.appKey) {
    const why = config.configError ? ` (${config.configError})` : '';
    update({
      key: { state: 'fail', message: `This server has no app key for this site${why}. Start aerie with --site-key KEY, or add ?key=YOUR_APP_KEY to this page's address.` },
      signaling: { state: 'skipped', message: 'Not checked: no app key.' },
    });
    return r;
  }

  const secure = deps.location.protocol === 'https:';
  const apiBase = `${secure ? 'https:' : 'http:'}${roomServerFor(config, deps.location)}`;
  let reply: ApiReply;
  try {
    const res = await withTimeout(deps.fetch(`${apiBase}/api/${encodeURIComponent(config.appKey)}/${PROBE_ROOM}`, { cache: 'no-store' }), 5000, 'The API server');
    reply = await res.json() as ApiReply;
  } catch (e) {
    update({
      key: { state: 'fail', message: `The API server at ${apiBase} could not be asked about the app key (${e instanceof Error ? e.message : e}).` },
      signaling: { state: 'skipped', message: 'Not checked: the app key could not be checked.' },
    });
    return r;
  }
  if (!reply.success) {
    update({
      key: { state: 'fail', message: explainApiError(reply.error, reply.info, deps.location.hostname) },
      signaling: { state: 'skipped', message: 'Not checked: the app key was refused.' },
    });
    return r;
  }
  update({ key: { state: 'ok', message: 'The app key is accepted.' } });

  const ports = (secure ? reply.httpsPortList : reply.httpPortList) ?? [];
  const host = reply.ipSigserver || deps.location.hostname;
  const port = ports[0];
  const url = `${secure ? 'wss' : 'ws'}://${host.includes(':') ? `[${host}]` : host}${port ? `:${port}` : ''}${reply.ipSigserverPath || ''}/socket.io/?EIO=4&transport=websocket`;
  try {
    await probeWebSocket(deps.WebSocket, url, 5000);
    update({ signaling: { state: 'ok', message: 'Signaling is reachable.' } });
  } catch (e) {
    update({ signaling: { state: 'fail', message: `Calls cannot connect: the signaling server at ${url.split('/socket.io')[0]} did not accept a WebSocket (${e instanceof Error ? e.message : e}).` } });
  }
  return r;
}

/** Resolves when the server sends Engine.IO's open packet ("0{...}"). */
function probeWebSocket(WS: typeof WebSocket, url: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let ws: WebSocket;
    try { ws = new WS(url); } catch (e) { reject(e); return; }
    const done = (err?: Error) => {
      clearTimeout(timer);
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      try { ws.close(); } catch { /* closing */ }
      if (err) reject(err); else resolve();
    };
    const timer = setTimeout(() => done(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string' && ev.data.startsWith('0')) done();
      else done(new Error('unexpected first packet'));
    };
    ws.onerror = () => done(new Error('connection failed'));
    ws.onclose = () => done(new Error('closed before the handshake'));
  });
}
