// Range requests on a recording's file (GET /admin/v1/recordings/{id}/{file}), on the wire: the
// whole file with `Accept-Ranges: bytes`, 206 with `Content-Range` for `bytes=a-b`, `bytes=a-`
// and `bytes=-n`, 416 with `bytes */size` past the end, the whole file for several ranges, an
// If-Range or a header aerie cannot use, and the token still required. The recording is put in
// the data directory as the recorder leaves one (recording.json beside the file): this tests the
// download, tests/e2e/sfu-recording*.e2e.test.mjs make real ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startAerie } from '../lib/server.mjs';
import { adminToken, adminRequest, admin } from '../lib/admin.mjs';

const T = { timeout: 20000 };
const ID = 'RangeTestRecording0001';  // 22 characters of [A-Za-z0-9_-], as the recorder makes
const FILE = 'publisher-1.webm';
const SIZE = 100_000;
const bytes = Buffer.alloc(SIZE);
for (let i = 0; i < SIZE; i++) bytes[i] = (i * 7 + (i >> 8)) & 0xff;

let server;
let token;

before(async () => {
  server = await startAerie({ extraArgs: ['--tls', 'off', '--stun', 'off', '--media-port', '0'] });
  token = await adminToken(server);
  const dir = path.join(server.dataDir, 'recordings', ID);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, FILE), bytes);
  await writeFile(path.join(dir, 'recording.json'), JSON.stringify({
    room: 'range-room', appKey: server.app.appKey, startedAt: '2026-12-07T10:00:00.000Z', endedAt: '2026-12-07T10:00:10.000Z',
  }));
});
after(async () => { await server?.stop(); });

const get = (range, extra = {}) => adminRequest(server, token, 'GET', `/recordings/${ID}/${FILE}`, undefined,
  { headers: range === null ? extra : { Range: range, ...extra } });

test('the list names the file with its size', T, async () => {
  const { recordings } = await admin(server, token, 'GET', '/recordings');
  const rec = recordings.find((r) => r.id === ID);
  assert.ok(rec, JSON.stringify(recordings));
  assert.deepEqual(rec.files.map((f) => [f.name, f.bytes]), [[FILE, SIZE]]);
});

test('without Range: the whole file, Accept-Ranges: bytes', T, async () => {
  const res = await get(null);
  assert.equal(res.status, 200);
  assert.equal(res.headers['accept-ranges'], 'bytes');
  assert.equal(res.headers['content-type'], 'video/webm');
  assert.equal(res.headers['content-length'], String(SIZE));
  assert.equal(res.headers['content-range'], undefined);
  assert.ok(res.raw.equals(bytes));
});

test('bytes=a-b, bytes=a- and bytes=-n: 206 with Content-Range and exactly those bytes', T, async () => {
  const cases = [
    ['bytes=0-99', 0, 99],
    ['bytes=1000-1999', 1000, 1999],
    ['bytes=99999-99999', 99999, 99999],
    ['bytes=90000-500000', 90000, SIZE - 1],  // a last byte past the end means the end
    ['bytes=0-', 0, SIZE - 1],                 // what Chromium's <video> asks first
    ['bytes=65536-', 65536, SIZE - 1],         // and then, seeking
    ['bytes=-500', SIZE - 500, SIZE - 1],
    ['bytes=-200000', 0, SIZE - 1],
    ['Bytes=10-19', 10, 19],
  ];
  for (const [range, first, last] of cases) {
    const res = await get(range);
    assert.equal(res.status, 206, range);
    assert.equal(res.headers['content-range'], `bytes ${first}-${last}/${SIZE}`, range);
    assert.equal(res.headers['accept-ranges'], 'bytes', range);
    assert.equal(res.headers['content-type'], 'video/webm', range);
    assert.equal(res.headers['content-length'], String(last - first + 1), range);
    assert.ok(res.raw.equals(bytes.subarray(first, last + 1)), `${range}: the bytes of that range`);
  }
});

test('a range that starts past the end, or is empty: 416 with bytes */size', T, async () => {
  for (const range of [`bytes=${SIZE}-`, `bytes=${SIZE}-${SIZE + 10}`, 'bytes=500000-600000', 'bytes=-0']) {
    const res = await get(range);
    assert.equal(res.status, 416, range);
    assert.equal(res.headers['content-range'], `bytes */${SIZE}`, range);
    assert.equal(res.json.error, 'range_not_satisfiable', range);
  }
});

test('several ranges, If-Range, or a header aerie cannot use: the whole file', T, async () => {
  for (const range of ['bytes=0-9,20-29', 'bytes=0-9, -5', 'bytes=5-3', 'items=0-9', 'bytes=x-y', 'bytes=-']) {
    const res = await get(range);
    assert.equal(res.status, 200, range);
    assert.equal(res.headers['content-range'], undefined, range);
    assert.ok(res.raw.equals(bytes), `${range}: the whole file`);
  }
  const res = await get('bytes=0-9', { 'If-Range': '"some-etag"' });
  assert.equal(res.status, 200);
  assert.ok(res.raw.equals(bytes));
});

test('ranges need the admin token like the rest; no such file is a 404', T, async () => {
  const res = await adminRequest(server, null, 'GET', `/recordings/${ID}/${FILE}`, undefined, { headers: { Range: 'bytes=0-9' } });
  assert.equal(res.status, 401);
  assert.equal(res.headers['content-range'], undefined);
  const missing = await adminRequest(server, token, 'GET', `/recordings/${ID}/nobody.webm`, undefined, { headers: { Range: 'bytes=0-9' } });
  assert.equal(missing.status, 404);
});
