#!/usr/bin/env node
// aerie's SFU under the native bot (bench/bot): for each load, a fresh aerie with one SFU app,
// then aerie-bot with R rooms of P clients (each publishing VP8 and Opus, receiving every room
// mate's). Over the bot's measuring window it reads aerie's CPU (/proc/PID/stat, utime+stime)
// and RTP packets forwarded (/metrics aerie_media_forwarded_packets_total), and aerie's RSS
// before the bot and in the window; the bot gives the latency publisher send → subscriber
// receive. It prints one Markdown row per load:
//   forwarded packets/s, aerie cores, forwarded packets per aerie CPU-second, consumers
//   (subscriber tracks), consumers per aerie core at this load, latency p50/p99, loss, RSS per consumer.
//
//   node bench/sfu-bot.mjs [--rooms 1,2,4,8] [--peers 6] [--seconds 10] [--video 640x480@30]
//                          [--video-kbps 1000] [--aerie-threads 1] [--bot-threads 1]
//                          [--simulcast] [--record] [--modes plain,simulcast,simulcast+record] [--repeat N]
//                          [--warmup S]
//                          [--perf RATE]   (perf record -e cpu-clock of aerie in the last load's window)
//
// --simulcast: every publisher sends its video in three layers (rids q, h, f; the bot's
// --simulcast), subscribers get the layer the SFU picks. --record: every room records while the
// load runs (its first client sends startRecordingRoom; the bot's --record). --modes runs each
// load in several of these back to back, on a fresh aerie each (`plain`, `simulcast`, `record`,
// `simulcast+record`), and --repeat runs the whole list N times, every other time in reverse
// order, so that the machine's drift spreads over the modes.
//
// Runs itself inside a network namespace with only `lo` (unshare -n, as root): every packet
// stays on loopback. aerie: build/release/aerie (or $AERIE_BIN), the bot beside it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { procStats, machine } from './lib/proc.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const ROOMS = String(opt('rooms', '1,2,4,8')).split(',').map(Number);
const PEERS = Number(opt('peers', 6));
const SECONDS = Number(opt('seconds', 10));
const VIDEO = opt('video', '640x480@30');
const KBPS = Number(opt('video-kbps', 1000));
const AERIE_THREADS = Number(opt('aerie-threads', 1));
const BOT_THREADS = Number(opt('bot-threads', 1));
const PERF = opt('perf', null);
const REPEAT = Number(opt('repeat', 1));
// Seconds between "every client has media" and the window: simulcast subscribers climb to the
// top layer one receiver-report probe (3 s) at a time, so simulcast runs need about 8.
const WARMUP = Number(opt('warmup', 2));
const MODES = opt('modes', null)?.split(',')
  ?? [[args.includes('--simulcast') && 'simulcast', args.includes('--record') && 'record'].filter(Boolean).join('+') || 'plain'];
for (const m of MODES) {
  if (!/^(plain|simulcast|record|simulcast\+record)$/.test(m)) throw new Error(`--modes: unknown mode ${m}`);
}

if (!process.env.AERIE_BENCH_NETNS) {
  const r = spawnSync('unshare', ['-n', 'sh', '-c', `ip link set lo up; AERIE_BENCH_NETNS=1 exec node ${JSON.stringify(fileURLToPath(import.meta.url))} ${args.map((a) => JSON.stringify(a)).join(' ')}`], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const { startAerie, request, aerieBin } = await import(path.join(here, '..', 'tests', 'lib', 'server.mjs'));
const bot = path.join(path.dirname(aerieBin()), 'bench', 'bot', 'aerie-bot');

// aerie's counters of the media plane that the table reads.
async function counters(server) {
  const res = await request(server, '/metrics');
  const value = (name) => {
    const line = res.body.split('\n').find((l) => l.startsWith(`${name} `));
    return line ? Number(line.split(' ')[1]) : NaN;
  };
  return {
    fwd: value('aerie_media_forwarded_packets_total'),
    datagramsIn: value('aerie_media_datagrams_in_total'),
    recordingFiles: value('aerie_recording_files'),
  };
}

// What the recordings under way have written: the sizes of the WebM files in the server's data
// directory (aerie's aerie_recorded_bytes_total counts files only once they are closed).
function recordedBytes(server) {
  const dir = path.join(server.dataDir, 'recordings');
  let total = 0;
  let ids = [];
  try { ids = readdirSync(dir); } catch { return 0; }
  for (const id of ids) {
    let files = [];
    try { files = readdirSync(path.join(dir, id)); } catch { continue; }
    for (const f of files) {
      if (f.endsWith('.webm')) total += statSync(path.join(dir, id, f)).size;
    }
  }
  return total;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Datagrams the kernel dropped because a UDP socket's receive buffer was full (the `drops`
// column of /proc/net/udp, this namespace only), split into aerie's sockets and the others (the bot's).
function udpDrops(pid) {
  const mine = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) mine.add(m[1]);
    } catch { /* closed meanwhile */ }
  }
  let aerie = 0;
  let others = 0;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 13) continue;
      const drops = Number(f[12]);
      if (mine.has(f[9])) aerie += drops;
      else others += drops;
    }
  }
  return { aerie, others };
}

// Runs the bot; calls onStart/onEnd when it prints its window lines; resolves with its JSON.
function runBot(server, rooms, mode, { onStart, onEnd }) {
  return new Promise((resolve, reject) => {
    const child = spawn(bot, ['--api', `http://127.0.0.1:${server.port}`, '--app-key', server.apps[0].appKey,
      '--rooms', String(rooms), '--peers-per-room', String(PEERS), '--seconds', String(SECONDS),
      '--video', VIDEO, '--video-kbps', String(KBPS), '--threads', String(BOT_THREADS), '--join-timeout', '60', '--warmup', String(WARMUP),
      ...(mode.includes('simulcast') ? ['--simulcast'] : []), ...(mode.includes('record') ? ['--record'] : [])],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const pending = [];
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => {
      err += d;
      if (/window start/.test(d)) pending.push(onStart());
      if (/window end/.test(d)) pending.push(onEnd());
    });
    child.on('exit', async (code) => {
      await Promise.all(pending);
      try {
        resolve({ code, summary: JSON.parse(out), stderr: err });
      } catch {
        reject(new Error(`aerie-bot exited ${code} without a summary: ${err.slice(-2000)}`));
      }
    });
  });
}

async function measure(rooms, mode, perfRate) {
  const server = await startAerie({
    apps: [{ name: 'bench-bot', domains: ['127.0.0.1'], extraArgs: ['--media', 'sfu'] }],
    extraArgs: ['--tls', 'off', '--stun', 'off', '--threads', String(AERIE_THREADS), '--media-port', '0',
      '--log-level', 'warn'],
  });
  try {
    const pid = server.child.pid;
    await sleep(500);
    const idle = procStats(pid);
    let s0;
    let s1;
    let perf;
    const { code, summary, stderr } = await runBot(server, rooms, mode, {
      onStart: async () => {
        s0 = { ...procStats(pid), recordedBytes: recordedBytes(server), drops: udpDrops(pid), t: process.hrtime.bigint() };
        Object.assign(s0, await counters(server));
        if (perfRate) {
          perf = spawn('perf', ['record', '-e', 'cpu-clock', '-F', String(perfRate), '-g', '-p', String(pid),
            '-o', path.join(here, 'results', 'sfu-bot.perf.data')], { stdio: 'ignore' });
        }
      },
      onEnd: async () => {
        s1 = { ...procStats(pid), recordedBytes: recordedBytes(server), drops: udpDrops(pid), t: process.hrtime.bigint() };
        Object.assign(s1, await counters(server));
        if (perf) {
          perf.kill('SIGINT');
          await new Promise((r) => perf.on('exit', r));
        }
      },
    });
    if (code !== 0) process.stderr.write(`aerie-bot exited ${code}:\n${stderr.slice(-3000)}\n`);
    const wall = Number(s1.t - s0.t) / 1e9;
    const cpu = s1.cpu - s0.cpu;
    const fwd = s1.fwd - s0.fwd;
    const consumers = rooms * PEERS * (PEERS - 1) * 2;  // subscriber tracks: audio and video of each mate
    // Which layer the subscribers got: the share of their video frames in the window at the
    // full size (by the VP8 key frame header of what they received; frames of a track that has
    // not had a key frame yet, of no known size, left out).
    const bySize = summary.received.windowVideoFramesBySize ?? {};
    const videoFrames = Object.entries(bySize).reduce((a, [size, n]) => a + (size === 'unknown' ? 0 : n), 0);
    const [w, h] = VIDEO.split('@')[0].split('x');
    const topLayerShare = videoFrames ? (bySize[`${w}x${h}`] ?? 0) / videoFrames : NaN;
    if (mode.includes('record') && summary.recordings?.on !== rooms) {
      process.stderr.write(`recording: ${JSON.stringify(summary.recordings)} for ${rooms} rooms\n`);
    }
    return {
      mode, rooms, clients: rooms * PEERS, consumers, botExit: code,
      datagramsInPerSecond: Math.round((s1.datagramsIn - s0.datagramsIn) / wall),
      recordedKbps: Math.round(((s1.recordedBytes - s0.recordedBytes) * 8) / wall / 1000),
      recordingFiles: s1.recordingFiles,
      recordingsOn: summary.recordings?.on ?? 0,
      topLayerShare,
      forwardedPerSecond: Math.round(fwd / wall),
      aerieCores: Number((cpu / wall).toFixed(3)),
      forwardedPerCpuSecond: Math.round(fwd / cpu),
      microsPerForwarded: Number(((cpu / fwd) * 1e6).toFixed(2)),
      consumersPerCore: Math.round(consumers / (cpu / wall)),
      latencyMs: summary.latencyMs,
      lossRate: summary.received.lossRate,
      udpDropsAerie: s1.drops.aerie - s0.drops.aerie,
      udpDropsBot: s1.drops.others - s0.drops.others,
      rssPerConsumerKiB: Number(((s0.rss - idle.rss) / consumers / 1024).toFixed(1)),
      rssPerClientKiB: Number(((s0.rss - idle.rss) / (rooms * PEERS) / 1024).toFixed(1)),
      botCores: Number((summary.botCpuSeconds / summary.windowSeconds).toFixed(3)),
      bot: summary,
    };
  } finally {
    await server.stop();
  }
}

mkdirSync(path.join(here, 'results'), { recursive: true });
const results = [];
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`aerie-bot bench: rooms of ${PEERS}, ${VIDEO} at ${KBPS} kbit/s + Opus, aerie --threads ${AERIE_THREADS}, bot --threads ${BOT_THREADS}, ${SECONDS} s windows; load average ${load()}`);
const several = MODES.length > 1 || REPEAT > 1;
const modeHead = several ? '| mode ' : '';
const modeRule = several ? '|---' : '';
console.log(`${modeHead}| rooms | clients | consumers | forwarded pkts/s | aerie cores | **forwarded pkts per aerie CPU-s** | µs per pkt | consumers per core | latency p50 / p99 / max (ms) | loss | UDP drops aerie / bot | RSS per consumer (KiB) | bot cores | datagrams in/s | full-size frames | recorded kbit/s |`);
console.log(`${modeRule}|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|`);
const runs = [];
for (let rep = 0; rep < REPEAT; rep++) {
  for (const rooms of ROOMS) {
    for (const mode of rep % 2 === 0 ? MODES : [...MODES].reverse()) runs.push({ rooms, mode });
  }
}
for (let i = 0; i < runs.length; i++) {
  const r = await measure(runs[i].rooms, runs[i].mode, i === runs.length - 1 ? PERF : null);
  results.push({ ...r, loadAverage: load() });
  const l = r.latencyMs;
  const top = Number.isNaN(r.topLayerShare) ? '—' : `${(r.topLayerShare * 100).toFixed(1)} %`;
  console.log(`${several ? `| ${r.mode} ` : ''}| ${r.rooms} | ${r.clients} | ${r.consumers} | ${r.forwardedPerSecond.toLocaleString('en')} | ${r.aerieCores} | **${r.forwardedPerCpuSecond.toLocaleString('en')}** | ${r.microsPerForwarded} | ${r.consumersPerCore.toLocaleString('en')} | ${l.p50} / ${l.p99} / ${l.max} | ${(r.lossRate * 100).toFixed(2)} % | ${r.udpDropsAerie} / ${r.udpDropsBot} | ${r.rssPerConsumerKiB} | ${r.botCores} | ${r.datagramsInPerSecond.toLocaleString('en')} | ${top} | ${r.recordedKbps.toLocaleString('en')} |`);
}
console.log(`load average at the end: ${load()}`);
writeFileSync(path.join(here, 'results', 'sfu-bot-latest.json'), JSON.stringify({
  when: new Date().toISOString(), machine: machine(), settings: { ROOMS, PEERS, SECONDS, VIDEO, KBPS, AERIE_THREADS, BOT_THREADS, MODES, REPEAT, WARMUP }, results,
}, null, 2));
if (results.some((r) => r.botExit !== 0)) process.exitCode = 1;
