// aerie-bot (bench/bot) through the real path: three native Skylink 2.x clients in one room of
// an SFU app join through the room API and socket.io, negotiate with the server peer MCU, run
// ICE, DTLS and SRTP against aerie's media port, publish VP8 and Opus, and each receives and
// decodes every other's tracks; then the same with the video in three simulcast layers, and the
// room recorded. Against a mesh app the bot says why it cannot start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startAerie, aerieBin, request } from '../lib/server.mjs';

const T = { timeout: 30000 };

// Beside the aerie binary under test (release or asan build), else the release build's.
function botBin() {
  const beside = path.join(path.dirname(aerieBin()), 'bench', 'bot', 'aerie-bot');
  return existsSync(beside) ? beside : path.join(path.dirname(aerieBin()), '..', 'release', 'bench', 'bot', 'aerie-bot');
}

function runBot(args) {
  return new Promise((resolve) => {
    execFile(botBin(), args, { timeout: 25000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function metric(server, name) {
  const res = await request(server, '/metrics');
  const line = res.body.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

let server;

before(async () => {
  server = await startAerie({
    apps: [
      { name: 'sfu', domains: ['127.0.0.1'], extraArgs: ['--media', 'sfu'] },
      { name: 'mesh', domains: ['127.0.0.1'] },
    ],
    extraArgs: ['--tls', 'off', '--stun', 'off', '--media-port', '0'],
  });
});
after(async () => { await server?.stop(); });

test('three bots in an SFU room each receive and decode every other\'s audio and video', T, async () => {
  const r = await runBot(['--api', `http://127.0.0.1:${server.port}`, '--app-key', server.apps[0].appKey,
    '--rooms', '1', '--peers-per-room', '3', '--seconds', '3', '--join-timeout', '15', '--decode']);
  assert.equal(r.code, 0, `aerie-bot exited ${r.code}: ${r.stderr}\n${r.stdout}`);
  const s = JSON.parse(r.stdout);
  assert.equal(s.complete, 3, 'every client got audio and video from both room mates');
  assert.equal(s.failed, 0);
  assert.deepEqual(s.failures, []);
  // 3 clients x 2 publishers each, audio at 50 packets/s and video at 15 frames/s.
  assert.ok(s.received.windowFramesPerSecond > 0.8 * 6 * (50 + 15), JSON.stringify(s.received));
  assert.ok(s.received.lossRate < 0.01, `loss ${s.received.lossRate}`);
  assert.equal(s.received.unknownSsrcPackets, 0);
  assert.ok(s.received.decodedFrames > 6 * 15 * 2, `decoded ${s.received.decodedFrames}`);
  assert.equal(s.received.decodeErrors, 0);
  assert.ok(s.latencyMs.samples > 0.9 * s.received.windowPackets, JSON.stringify(s.latencyMs));
  assert.ok(s.latencyMs.p50 > 0 && s.latencyMs.p50 < 50, JSON.stringify(s.latencyMs));
  assert.equal(s.perRoom.length, 1);
  assert.ok(s.perRoom[0].minFramesPerTrack > 15, JSON.stringify(s.perRoom));
  assert.ok(s.sent.videoPackets > 0 && s.sent.audioPackets > 0 && s.sent.keyframes > 0);
  // aerie counted what it forwarded: each packet sent went to two subscribers.
  assert.ok(await metric(server, 'aerie_media_forwarded_packets_total') >= s.received.rtpPackets * 0.95);
});

test('with simulcast each bot receives and decodes its room mates\' video at the full size, with latency, while the room records', T, async () => {
  const recordedBefore = await metric(server, 'aerie_recorded_bytes_total');
  const r = await runBot(['--api', `http://127.0.0.1:${server.port}`, '--app-key', server.apps[0].appKey,
    '--rooms', '1', '--peers-per-room', '3', '--seconds', '3', '--join-timeout', '15', '--decode',
    '--video', '320x240@15', '--simulcast', '--record', '--room-prefix', 'sim',
    // aerie's LayerSwitch starts a subscriber on whichever layer's key frame comes first and climbs
    // a layer per receiver report probe (3 s apart): by 7 s every subscriber is on the top layer.
    '--warmup', '7']);
  assert.equal(r.code, 0, `aerie-bot exited ${r.code}: ${r.stderr}\n${r.stdout}`);
  const s = JSON.parse(r.stdout);
  assert.equal(s.complete, 3, 'every client got audio and video from both room mates');
  assert.deepEqual(s.failures, []);
  assert.equal(s.simulcastLayers, 3);
  // Each publisher sends three layers: 80x60, 160x120 and 320x240 frames at 15 fps.
  assert.ok(s.sent.videoFrames >= 3 * 3 * 15 * 3 * 0.8, JSON.stringify(s.sent));
  // What a user sees: every room mate's video, decoded, at the full size (the SFU picks the top
  // layer on a clean loopback), 6 remote videos at about 15 fps over the 3 s window.
  const decoded = s.received.windowDecodedFramesBySize;
  const full = decoded['320x240'] ?? 0;
  const all = Object.values(decoded).reduce((a, b) => a + b, 0);
  assert.ok(full > 0.8 * 6 * 15 * 3, `decoded in the window by size: ${JSON.stringify(decoded)}`);
  assert.ok(full >= 0.95 * all, `decoded in the window by size: ${JSON.stringify(decoded)}`);
  assert.ok((s.received.windowVideoFramesBySize['320x240'] ?? 0) >= full, JSON.stringify(s.received));
  assert.equal(s.received.decodeErrors, 0);
  assert.equal(s.received.unknownSsrcPackets, 0);
  assert.ok(s.received.lossRate < 0.01, `loss ${s.received.lossRate}`);
  // Latency from the publishers' abs-send-time stamps, which survive the SFU's renumbering:
  // samples for (nearly) every packet received in the window, audio and video.
  assert.ok(s.latencyMs.samples > 0.9 * s.received.windowPackets, JSON.stringify({ latency: s.latencyMs, windowPackets: s.received.windowPackets }));
  assert.ok(s.latencyMs.p50 > 0 && s.latencyMs.p50 < 50, JSON.stringify(s.latencyMs));
  // The room recorded (its first client asked, as SkylinkJS 2.x's startRecording does).
  assert.deepEqual(s.recordings, { requested: 1, on: 1, errors: 0 });
  assert.ok(await metric(server, 'aerie_recorded_bytes_total') > recordedBefore);
});

test('against a mesh app the bot exits 1 and says the app is not in SFU mode', T, async () => {
  const r = await runBot(['--api', `http://127.0.0.1:${server.port}`, '--app-key', server.apps[1].appKey,
    '--rooms', '1', '--peers-per-room', '2', '--seconds', '1', '--join-timeout', '5', '--warmup', '0']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /hasMCU is not true: the app is not in SFU mode/);
  assert.equal(JSON.parse(r.stdout).complete, 0);
});

test('usage errors exit 2 with a message, and a non-loopback server is refused', T, async () => {
  let r = await runBot(['--app-key', 'k']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--api and --app-key are required/);
  r = await runBot(['--api', 'http://10.0.0.1:80', '--app-key', 'k']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not loopback/);
});
