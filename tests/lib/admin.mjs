// Helpers for Aerie's admin API (/admin/v1/, docs/admin-api.md) and its CLI token command.
//
//   const token = await adminToken(server);          // `aerie token --data DIR`
//   const res = await adminRequest(server, token, 'POST', '/apps', { name, domains });
//   res.status, res.json
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { aerieBin, request } from './server.mjs';

const execFileP = promisify(execFile);

// Runs `aerie <args...>` and returns its stdout (throws with stderr on a non-zero exit).
export async function aerieCli(args) {
  try {
    const out = await execFileP(aerieBin(), args, { timeout: 15000 });
    return out.stdout;
  } catch (e) {
    throw new Error(`aerie ${args.join(' ')} failed (exit ${e.code}): ${e.stderr || e.message}`);
  }
}

// The admin token of a server's store (created on its first start).
export async function adminToken(server, { rotate = false } = {}) {
  const args = ['token', ...(server.storeArgs || ['--data', server.dataDir])];
  if (rotate) args.push('--rotate');
  const token = (await aerieCli(args)).trim();
  if (!/^[A-Za-z0-9_-]{40,}$/.test(token)) throw new Error(`aerie token printed ${JSON.stringify(token)}`);
  return token;
}

/**
 * One admin API call. `path` is below /admin/v1 (e.g. '/apps'); `body` is sent as JSON unless it
 * is a string. token: a string, or null for no Authorization header. opts.headers adds headers.
 */
export function adminRequest(server, token, method, path, body, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  if (token !== null && token !== undefined) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = Buffer.byteLength(payload);
  }
  return request(server, `/admin/v1${path}`, { method, headers, body: payload, https: opts.https });
}

// Like adminRequest, but insists on the expected status (default: 201 for creating a key, else
// 200) and returns the parsed JSON.
export async function admin(server, token, method, path, body, expectStatus = undefined) {
  if (expectStatus === undefined) {
    expectStatus = method === 'POST' && /\/(apps|aliases)$/.test(path) ? 201 : 200;
  }
  const res = await adminRequest(server, token, method, path, body);
  if (res.status !== expectStatus) {
    throw new Error(`${method} /admin/v1${path}: HTTP ${res.status}, expected ${expectStatus}: ${res.body.slice(0, 500)}`);
  }
  return res.json;
}
