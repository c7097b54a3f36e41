import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib, testEnv } from './helpers.mjs';

const { dt } = await lib();

function bytes(n, seed = 1) { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 255; return b; }

test('chunkBlob keeps every byte, including a one-byte tail (SkylinkJS 0.6 drops it)', async () => {
  const table = [
    [0, 1], [1, 1], [dt.CHUNK_FILE_SIZE, 1], [dt.CHUNK_FILE_SIZE + 1, 2], [2 * dt.CHUNK_FILE_SIZE, 2],
    [5 * 1024 * 1024, Math.ceil(5 * 1024 * 1024 / dt.CHUNK_FILE_SIZE)],
  ];
  for (const [size, count] of table) {
    const src = bytes(size);
    const chunks = dt.chunkBlob(new Blob([src]), dt.CHUNK_FILE_SIZE);
    assert.equal(chunks.length, count, `size ${size}`);
    assert.ok(chunks.slice(0, -1).every((c) => c.size === dt.CHUNK_FILE_SIZE));
    const joined = new Uint8Array(await new Blob(chunks).arrayBuffer());
    assert.deepEqual(joined, src);
  }
});

test('base64 chunks: 49152 bytes become 65536 characters and decode back', () => {
  const src = bytes(dt.CHUNK_FILE_SIZE, 7);
  const b64 = dt.bytesToBase64(src);
  assert.equal(b64.length, 65536);
  assert.equal(dt.wireChunkSize('string'), 65536);
  assert.deepEqual(dt.base64ToBytes(b64), src);
  assert.deepEqual(dt.base64ToBytes(b64.slice(0, 100) + '\r\n' + b64.slice(100)), src, 'whitespace is ignored');
});

test('WRQ sizes: base64 length for string sessions, bytes for binary ones', () => {
  assert.equal(dt.wireSize(5 * 1024 * 1024, 'string'), 4 * Math.ceil(5 * 1024 * 1024 / 3));
  assert.equal(dt.wireSize(1000, 'binary'), 1000);
  assert.equal(dt.wireChunkSize('binary'), 65456);
  // The sum of the chunks' base64 lengths equals the announced size (receivers count up to it).
  const size = 3 * dt.CHUNK_FILE_SIZE + 1000;
  const perChunk = [dt.CHUNK_FILE_SIZE, dt.CHUNK_FILE_SIZE, dt.CHUNK_FILE_SIZE, 1000].map((n) => 4 * Math.ceil(n / 3));
  assert.equal(perChunk.reduce((a, b) => a + b), dt.wireSize(size, 'string'));
});

test('message encoding matches SkylinkJS field names', () => {
  const w = dt.wrq({ transferId: 't', name: 'f.bin', size: 8, originalSize: 6, dataType: 'blob', mimeType: null, chunkType: 'string',
    chunkSize: 65536, timeout: 60, isPrivate: false, sender: 's', agent: 'chrome', version: '120', target: 'p' });
  assert.deepEqual(Object.keys(w).sort(), ['agent', 'chunkSize', 'chunkType', 'dataType', 'isPrivate', 'mimeType', 'name', 'originalSize',
    'sender', 'size', 'target', 'timeout', 'transferId', 'type', 'version'].sort());
  assert.equal(w.type, 'WRQ');
  assert.deepEqual(dt.ack('s', -1), { type: 'ACK', sender: 's', ackN: -1 });
  assert.deepEqual(dt.p2pMessage('s', 'p', { a: 1 }, true), { type: 'MESSAGE', sender: 's', target: 'p', data: { a: 1 }, isPrivate: true });
  assert.equal(dt.cancel('s', 'f').type, 'CANCEL');
  assert.equal(dt.error('s', 'f', 'x', true).isUploadError, true);
});

test('classify: JSON control messages, base64 and binary chunks, junk', () => {
  assert.equal(dt.classify(JSON.stringify({ type: 'ACK', ackN: 1 })).kind, 'control');
  assert.equal(dt.classify('QUJD').kind, 'chunk');
  assert.equal(dt.classify(new ArrayBuffer(4)).kind, 'chunk');
  assert.equal(dt.classify(new Uint8Array(4)).kind, 'chunk');
  assert.equal(dt.classify('{"type":"NOPE"}').kind, 'invalid');
  assert.equal(dt.classify('{broken').kind, 'invalid');
  assert.equal(dt.classify(42).kind, 'invalid');
});

test('versionLower compares numerically', () => {
  const table = [['0.1.0', '0.1.2', true], ['0.1.3', '0.1.2', false], ['0.1.2', '0.1.2', false], ['0.1.10', '0.1.3', false], ['', '0.1.0', true]];
  for (const [a, b, want] of table) assert.equal(dt.versionLower(a, b), want, `${a} < ${b}`);
});

test('a file that can no longer be read fails the upload at once, on both sides (no unhandled rejection, no 60 s wait)', async () => {
  const { DataTransferManager } = await lib();
  const states = [];
  const manager = new DataTransferManager({
    selfId: () => 'me', agent: () => ({ name: 'firefox', version: '153' }), peerDtVersion: () => '0.1.0',
    createChannel: () => null, transferState: (state, tid, peerId, info, error) => states.push({ state, peerId, message: error?.message?.message }),
    incomingDataRequest() {}, incomingData() {}, incomingP2PMessage() {}, channelState() {},
  }, await testEnv());
  const channel = { label: 'me_peer', readyState: 'open', sent: [], send(d) { this.sent.push(JSON.parse(d)); }, close() {}, addEventListener() {} };
  manager.addChannel('peer', channel);
  // As a picked file changed or removed on disk reads in Firefox: the read rejects.
  class GoneFile extends Blob {
    get name() { return 'gone.bin'; }
    arrayBuffer() { return Promise.reject(new DOMException('The operation was aborted.', 'AbortError')); }
  }
  const result = new Promise((resolve) => manager.send(new GoneFile([bytes(1000)]), 'blob', ['peer'], 60, false, false, (r, isError) => resolve({ r, isError })));
  assert.equal(channel.sent[0].type, 'WRQ');
  channel.onmessage({ data: JSON.stringify({ type: 'ACK', sender: 'peer', ackN: 0 }) });
  const { r, isError } = await result;
  assert.equal(isError, true);
  assert.match(r.transferErrors.peer.message, /Unable to read the file: The operation was aborted/);
  const err = channel.sent.find((m) => m.type === 'ERROR');
  assert.ok(err, `the receiver is told: ${JSON.stringify(channel.sent)}`);
  assert.equal(err.isUploadError, true);
  assert.equal(states[states.length - 1].state, 'error');
});
