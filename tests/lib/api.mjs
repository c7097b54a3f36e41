// HTTP helpers for Aerie's Skylink API (protocol spec section 2), with full control over the
// headers a browser would send (Origin, Referer, Host), over plain HTTP or HTTPS on the same port.
import http from 'node:http';
import https from 'node:https';
import crypto from 'node:crypto';

/**
 * One HTTP request. Returns {status, headers, body, json} (json is null when the body is not JSON).
 * opts: {method, headers, body, https: bool, timeoutMs, host (Host header)}
 */
export function request(server, pathAndQuery, opts = {}) {
  const secure = !!opts.https;
  const mod = secure ? https : http;
  const headers = { ...(opts.headers || {}) };
  if (opts.host) headers.Host = opts.host;
  return new Promise((resolve, reject) => {
    const req = mod.request({
      host: '127.0.0.1',
      port: server.port,
      method: opts.method || 'GET',
      path: pathAndQuery,
      headers,
      rejectUnauthorized: false, // the server's certificate is self-signed
      agent: false,
      timeout: opts.timeoutMs || 5000,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks); // the bytes, for binary replies
        const body = raw.toString('utf8');
        let json = null;
        try { json = JSON.parse(body); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, body, json, raw });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${opts.method || 'GET'} ${pathAndQuery}: no reply within ${opts.timeoutMs || 5000} ms`)));
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

// The headers SkylinkJS 0.6.37 sets on its API XHR.
export const SDK_HEADERS = { Skylink_SDK_version: '0.6.37', Skylink_SDK_type: 'WEB_SDK' };

// The path SkylinkJS builds (it pastes room and start into the path unencoded; the browser only
// escapes what it must — we percent-encode the room so non-ASCII names survive Node's checks).
export function apiPath(appKey, room, { start, duration, cred, rand = Date.now() } = {}) {
  let p = `/api/${appKey}/${encodePathSegment(room)}`;
  if (start !== undefined) {
    p += `/${start}/${duration}?cred=${encodeURIComponent(cred)}&rand=${rand}`;
  } else {
    p += `?rand=${rand}`;
  }
  return p;
}

// What a browser does to a path segment: escape spaces, controls and non-ASCII, keep the rest.
export function encodePathSegment(s) {
  return Array.from(new TextEncoder().encode(s)).map((b) => {
    const c = String.fromCharCode(b);
    return b > 0x20 && b < 0x7f && c !== '%' && c !== '"' && c !== '<' && c !== '>' && c !== '`'
      ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }).join('');
}

/**
 * GET the API as a page would. opts: {origin, referer, host, https, credentials:{start,duration,cred}}
 * Same-origin page (SkylinkJS 0.6.37 in Chromium): no Origin header, a Referer of the page.
 */
export function getApi(server, appKey, room, opts = {}) {
  const headers = { ...SDK_HEADERS, ...(opts.headers || {}) };
  if (opts.origin) headers.Origin = opts.origin;
  if (opts.referer) headers.Referer = opts.referer;
  const p = apiPath(appKey, room, opts.credentials || {});
  return request(server, p, { headers, host: opts.host, https: opts.https, timeoutMs: opts.timeoutMs });
}

// GET the API and insist on success; returns the parsed reply.
export async function getSession(server, appKey, room, opts = {}) {
  const res = await getApi(server, appKey, room, opts);
  if (res.status !== 200 || !res.json || res.json.success !== true) {
    throw new Error(`API ${appKey}/${room} failed: HTTP ${res.status} ${res.body.slice(0, 500)}`);
  }
  return res.json;
}

// The optional `cred` of spec section 2: base64(HMAC-SHA1(secret, room_duration_start)), not URL-encoded.
export function makeCred(secret, room, duration, startISO) {
  return crypto.createHmac('sha1', secret).update(`${room}_${duration}_${startISO}`).digest('base64');
}
