// Where the app finds its app key: `?key=` in the page's URL wins (for a key that is not the
// server's site key), else aerie's `/app-config.json` ({"appKey", "roomServer"}), which serves
// the key set with `aerie serve --site-key`, or the development key. App keys are public by
// design: the key's domains keep other sites from using it.
import type { LibraryChoice } from './skylink.js';

export interface AppConfig {
  appKey: string;
  /** Where the API server is, as SkylinkJS' `roomServer` ("//host:port"); empty: this page's origin. */
  roomServer: string;
  /** Which Skylink library to load (`?lib=skylinkjs` for the real SkylinkJS 0.6.37). */
  lib: LibraryChoice;
  /** Where the key came from, for messages. */
  keySource: 'url' | 'server' | 'none';
  /** Why /app-config.json could not be used, when it could not. */
  configError: string | null;
}

export async function loadConfig(search = location.search): Promise<AppConfig> {
  const params = new URLSearchParams(search);
  const lib: LibraryChoice = params.get('lib') === 'skylinkjs' ? 'skylinkjs' : 'aerie';
  const urlKey = (params.get('key') || '').trim();
  let serverKey = '';
  let roomServer = '';
  let configError: string | null = null;
  try {
    const res = await fetch('/app-config.json', { cache: 'no-store' });
    if (!res.ok) throw new Error(`/app-config.json answered ${res.status}`);
    const body = await res.json() as { appKey?: unknown; roomServer?: unknown };
    serverKey = typeof body.appKey === 'string' ? body.appKey.trim() : '';
    roomServer = typeof body.roomServer === 'string' ? body.roomServer.trim() : '';
  } catch (e) {
    configError = e instanceof Error ? e.message : String(e);
  }
  const appKey = urlKey || serverKey;
  return { appKey, roomServer, lib, keySource: urlKey ? 'url' : serverKey ? 'server' : 'none', configError };
}

/** The query string to carry from page to page: only what the user put there themselves. */
export function carriedQuery(search = location.search): string {
  const from = new URLSearchParams(search);
  const to = new URLSearchParams();
  for (const name of ['key', 'lib']) {
    const v = from.get(name);
    if (v) to.set(name, v);
  }
  const s = to.toString();
  return s ? `?${s}` : '';
}

/** SkylinkJS' `roomServer`: the configured one, else this page's own origin. */
export function roomServerFor(config: AppConfig, loc: { host: string } = location): string {
  return config.roomServer || `//${loc.host}`;
}
