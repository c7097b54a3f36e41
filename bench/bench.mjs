// Signaling benchmark: aerie and its peers (a Node socket.io 2.x server relaying the same
// Skylink messages, and the PeerJS server) measured in one run, on this machine, over loopback,
// with the same client counts. Usually started by bench/run.sh, which raises the fd limit.
//
//   node bench/bench.mjs [--mode smoke|quick|full] [--targets aerie,sio,peerjs] [--out FILE]
//                        (more targets: aerie-wss, sio-wss: the same servers over TLS, wss://)
//                        [--peers N] [--room K] [--join-rate R] [--capacity N] [--workers W]
//                        [--generator node|cpp]
//
// Phases per target: start the server; W worker processes (bench/client.mjs, or with
// --generator cpp build/loadgen/aerie-loadgen from bench/loadgen/) join N peers in
// rooms of K at R joins/s (API → socket → joinRoom → inRoom → enter → welcome); negotiate
// (offer → answer → 2+2 candidates per pair, synthetic SDP); relay steps (targeted `candidate`
// and room-wide `public` chat at fixed per-peer rates, every peer sending); leave (bye, close).
// Server CPU seconds and RSS come from /proc/<pid>. Everything is bounded in count and time.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { procStats, summarize, machine, machineBusy, threadStats } from './lib/proc.mjs';
import { startWorker, generatorFor, loadgenBin } from './lib/workers.mjs';
import { selfSignedCert } from './lib/tls.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const aerieBin = process.env.AERIE_BIN || path.join(root, 'build', 'release', 'aerie');

// ---- options ------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const mode = opt('mode', 'quick');
const MODES = {
  // CI: aerie only, a few hundred peers, every phase once; fails on any error. < 30 s.
  smoke: { targets: 'aerie', peers: 200, room: 4, joinRate: 400, workers: 1, capacity: 0,
    steps: [{ candidateRate: 10, publicRate: 1, durationMs: 2000 }] },
  // ~2 minutes: all three servers, 4,000 peers at 1,000 joins/s, two relay steps (14k and 56k msg/s offered).
  quick: { targets: 'aerie,sio,peerjs', peers: 4000, room: 4, joinRate: 1000, workers: 2, capacity: 0,
    steps: [{ candidateRate: 2, publicRate: 0.5, durationMs: 8000 }, { candidateRate: 8, publicRate: 2, durationMs: 8000 }] },
  // The targets: 10,000 peers at 1,000 joins/s, relay steps of 25k and 70k msg/s offered,
  // then 100,000 idle peers (capped by the descriptor limit).
  full: { targets: 'aerie,sio,peerjs', peers: 10000, room: 4, joinRate: 1000, workers: 2, capacity: 100000,
    steps: [{ candidateRate: 1, publicRate: 0.5, durationMs: 10000 }, { candidateRate: 4, publicRate: 1, durationMs: 10000 }] },
};
if (!MODES[mode]) throw new Error(`unknown --mode ${mode}`);
const M = { ...MODES[mode] };
M.targets = opt('targets', M.targets).split(',');
M.peers = Number(opt('peers', M.peers));
M.room = Number(opt('room', M.room));
M.joinRate = Number(opt('join-rate', M.joinRate));
M.workers = Number(opt('workers', M.workers));
M.capacity = Number(opt('capacity', M.capacity));
// --steps 20:2:8000,40:2:8000 = candidate/s per peer : public/s per peer : duration ms, per step
if (opt('steps') === 'none') M.steps = [];
else if (opt('steps')) {
  M.steps = opt('steps').split(',').map((s) => {
    const [candidateRate, publicRate, durationMs] = s.split(':').map(Number);
    return { candidateRate, publicRate, durationMs };
  });
}
M.capacityWorkers = Number(opt('capacity-workers', 4));
// --generator cpp: the C++ load generator (bench/loadgen/, built by run.sh) instead of client.mjs
// for aerie and socket.io; PeerJS keeps the Node one.
M.generator = opt('generator', 'node');
if (!['node', 'cpp'].includes(M.generator)) throw new Error(`unknown --generator ${M.generator} (node, cpp)`);
if (M.generator === 'cpp' && !existsSync(loadgenBin)) {
  throw new Error(`--generator cpp: ${loadgenBin} is missing (bench/run.sh builds it; or cmake -S bench/loadgen -B build/loadgen -G Ninja && ninja -C build/loadgen)`);
}
M.capacityRate = Number(opt('capacity-rate', 1000));
// --aerie-threads 1: aerie on one event loop, the per-core comparison with single-threaded Node.
M.aerieThreads = Number(opt('aerie-threads', 2));
// One process can hold at most its descriptor limit in sockets: cap the capacity run by it
// (a sandbox without CAP_SYS_RESOURCE keeps the hard limit wherever it is) and say so.
import { readFileSync } from 'node:fs';
const fdLimit = Number(/Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] || 1024);
if (M.capacity > fdLimit - 200) {
  console.log(`bench: capacity ${M.capacity} is above this process' descriptor limit ${fdLimit}; using ${fdLimit - 200}`);
  M.capacityAsked = M.capacity;
  M.capacity = fdLimit - 200;
}
M.fdLimit = fdLimit;
// The TLS targets: aerie with `--tls on` (its own self-signed certificate), the socket.io
// reference over Node `https` with a self-signed P-256 certificate made at start (aerie's is
// P-256 too). The Node generator speaks https:// and wss:// to them; the C++ one has no TLS.
const TLS_TARGETS = { 'aerie-wss': 'aerie', 'sio-wss': 'sio' };
const KNOWN = ['aerie', 'sio', 'peerjs', ...Object.keys(TLS_TARGETS)];
for (const t of M.targets) if (!KNOWN.includes(t)) throw new Error(`unknown target ${t} (${KNOWN.join(', ')})`);
const baseOf = (target) => TLS_TARGETS[target] || target;
const isTls = (target) => target in TLS_TARGETS;
if (M.generator === 'cpp' && M.targets.some(isTls)) {
  console.log(`bench: --generator cpp has no TLS client: the Node generator (client.mjs) runs ${M.targets.filter(isTls).join(', ')}`);
}
const outFile = opt('out', path.join(here, 'results', `${mode}-latest.json`));
const timeLimitMs = mode === 'smoke' ? 60_000 : mode === 'quick' ? 15 * 60_000 : 60 * 60_000;

const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- servers ------------------------------------------------------------------------------

function waitListening(child, what) {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${out.slice(-2000)}`)), 60000);
    const on = (c) => {
      out += c;
      const m = /listening (?:on http:\/\/[^:]+:)?(\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', (c) => { out += c; if (process.env.BENCH_SERVER_LOG) process.stderr.write(c); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}): ${out.slice(-2000)}`)); });
  });
}

async function startServer(target) {
  if (baseOf(target) === 'aerie') {
    const data = mkdtempSync(path.join(os.tmpdir(), 'aerie-bench-'));
    const created = execFileSync(aerieBin, ['app', 'create', '--data', data, '--name', 'bench',
      '--domain', '127.0.0.1', '--domain', 'localhost'], { encoding: 'utf8' });
    const app = JSON.parse(created.trim().split('\n').filter((l) => l.startsWith('{')).pop());
    // BENCH_AERIE_WRAP="valgrind --tool=callgrind ..." runs aerie under a profiler.
    const wrap = (process.env.BENCH_AERIE_WRAP || '').split(' ').filter(Boolean);
    const child = spawn(wrap[0] || aerieBin, [...wrap.slice(1), ...(wrap.length ? [aerieBin] : []), 'serve', '--listen', '127.0.0.1:0', '--data', data, '--tls', isTls(target) ? 'on' : 'off',
      '--stun', 'off', '--log-level', 'warn', '--threads', String(M.aerieThreads)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await waitListening(child, 'aerie');
    return { target, child, port, appKey: app.appKey, cleanup: () => rmSync(data, { recursive: true, force: true }) };
  }
  const script = baseOf(target) === 'sio' ? 'reference/sio-server.mjs' : 'reference/peerjs-server.mjs';
  // PeerServer cannot listen on port 0 and tell us: pick a free port first.
  const wanted = target === 'peerjs' ? await freePort() : 0;
  const tls = isTls(target) ? selfSignedCert() : null;
  const tlsArgs = tls ? ['--tls-cert', tls.cert, '--tls-key', tls.key] : [];
  const child = spawn(process.execPath, ['--max-old-space-size=16384', path.join(here, script), String(wanted), '127.0.0.1', ...tlsArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await waitListening(child, target);
  return { target, child, port, cleanup: () => { if (tls) rmSync(tls.dir, { recursive: true, force: true }); } };
}

function freePort() {
  return new Promise((resolve) => {
    const s = http.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function stopServer(server) {
  server.child.removeAllListeners('exit');
  const gone = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  const t = setTimeout(() => server.child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(t);
  server.cleanup();
}

function scrapeMetrics(port) {
  return new Promise((resolve) => {
    http.get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve(body));
    }).on('error', () => resolve(''));
  });
}

// p50/p99 of aerie_join_latency_seconds (upper bound of the bucket that holds it), ms.
function hubJoinLatency(text) {
  const buckets = [];
  for (const line of text.split('\n')) {
    const m = /^aerie_join_latency_seconds_bucket\{le="([^"]+)"\} (\d+)/.exec(line);
    if (m) buckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]) * 1000, Number(m[2])]);
  }
  const total = buckets.length ? buckets[buckets.length - 1][1] : 0;
  const at = (p) => buckets.find(([, n]) => n >= total * p)?.[0];
  const sumS = metricValue(text, 'aerie_join_latency_seconds_sum');
  return { n: total, p50: at(0.5), p99: at(0.99), mean: total ? (sumS * 1000) / total : NaN };
}

export function metricValue(text, name, labels = '') {
  const line = text.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}}` : `${name} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
}

// ---- workers ------------------------------------------------------------------------------

// Peers of one room stay in one worker (the pairwise handshake needs both ends' sids). Worker w
// uses source addresses 127.1.w.1, 127.1.w.2, ...: each has its own ~28,000 ephemeral ports.
function shard(total, room, workers, runTag) {
  const rooms = Math.ceil(total / room);
  const shards = Array.from({ length: workers }, () => []);
  for (let r = 0; r < rooms; r++) {
    const w = Math.floor((r * workers) / rooms);
    for (let k = 0; k < room; k++) {
      const idx = r * room + k;
      if (idx >= total) break;
      const mates = [];
      for (let j = r * room; j < idx; j++) mates.push(j);
      shards[w].push({ idx, room: `${runTag}-${r}`, mates });
    }
  }
  // aerie admits at most Limits::maxConnectionsPerIp (1,000) connections per client address
  // other than 127.0.0.1: like real clients, the peers come from many hosts, 800 per address.
  return shards.map((peers, w) => ({ peers,
    sources: Array.from({ length: Math.max(2, Math.ceil(peers.length / 800)) }, (_, i) => `127.1.${w}.${i + 1}`) }));
}

async function all(workers, cmd, args) {
  return Promise.all(workers.map((w) => w.call(cmd, args)));
}

const merge = (replies, key) => replies.flatMap((r) => r.lat?.[key] || []);
const sum = (replies, key) => replies.reduce((a, r) => a + (r[key] || 0), 0);

// ---- one target ---------------------------------------------------------------------------

async function runTarget(target, { peers, room, joinRate, workers: nWorkers, steps, negotiate = true, tag }) {
  const server = await startServer(target);
  const pid = server.child.pid;
  const generator = generatorFor(M.generator, target);
  const result = { target, peers, room, joinRate, generator };
  const workers = Array.from({ length: nWorkers }, (_, i) => startWorker(generator, i, { maxSeconds: timeLimitMs / 1000 + 60 }));
  try {
    await sleep(300);
    const base = procStats(pid);
    result.rssBase = base.rss;
    const shards = shard(peers, room, nWorkers, `${tag}${target}`);
    await Promise.all(workers.map((w, i) => w.call('init', { target: baseOf(target), tls: isTls(target), host: '127.0.0.1', port: server.port,
      appKey: server.appKey, peers: shards[i].peers, sources: shards[i].sources })));

    log(`${target}: joining ${peers} peers in rooms of ${room} at ${joinRate}/s`);
    const cpu0 = procStats(pid).cpu;
    const busy0 = machineBusy();
    const joined = await all(workers, 'join', { rate: joinRate / nWorkers });
    const cpu1 = procStats(pid).cpu;
    const joinBusy = machineBusy() - busy0;
    result.join = {
      joined: sum(joined, 'joined'),
      seconds: Math.max(...joined.map((r) => r.seconds)),
      serverCpu: cpu1 - cpu0,
      machineBusy: joinBusy,
      clientCpu: sum(joined, 'cpu'),
      clientLagP99: Math.max(...joined.map((r) => r.loopLag.p99)),
      api: summarize(merge(joined, 'api')),
      connect: summarize(merge(joined, 'connect')),
      joinRoom: summarize(merge(joined, 'join')),
      enter: summarize(merge(joined, 'enter')),
    };
    if (baseOf(target) === 'aerie') result.join.hub = hubJoinLatency(await scrapeMetrics(server.port));
    await sleep(1500);
    result.rssJoined = procStats(pid).rss;

    if (negotiate) {
      log(`${target}: negotiating`);
      const c0 = procStats(pid).cpu;
      const neg = await all(workers, 'negotiate', { rate: 2000 / nWorkers });
      result.negotiate = { offers: sum(neg, 'offers'), unanswered: sum(neg, 'unanswered'),
        seconds: Math.max(...neg.map((r) => r.seconds)), serverCpu: procStats(pid).cpu - c0,
        answer: summarize(merge(neg, 'answer')) };
      await sleep(1500);
    }
    result.rssIdle = procStats(pid).rss;
    result.rssPerPeer = (result.rssIdle - result.rssBase) / Math.max(1, result.join.joined);

    result.steps = [];
    for (const step of steps) {
      log(`${target}: relay ${step.candidateRate} candidate/s + ${step.publicRate} public/s per peer for ${step.durationMs / 1000} s`);
      const clientCpu0 = sum(await all(workers, 'status'), 'cpu');
      const busy0 = machineBusy();
      const t0threads = threadStats(pid);
      const s0 = procStats(pid);
      const t0 = performance.now();
      const rep = await all(workers, 'traffic', step);
      const seconds = (performance.now() - t0) / 1000;
      const s1 = procStats(pid);
      const busy1 = machineBusy();
      // The busiest thread's share of the step: 1.0 means one loop (aerie: the Hub's) was the bound.
      const threads = threadStats(pid).map((t) => ({ ...t, cpu: t.cpu - (t0threads.find((u) => u.tid === t.tid)?.cpu || 0) }))
        .sort((a, b) => b.cpu - a.cpu);
      const received = sum(rep, 'received');
      const sent = sum(rep, 'sentCandidates') + sum(rep, 'sentPublic');
      const expected = sum(rep, 'sentCandidates') + sum(rep, 'sentPublic') * (room - 1);
      const activeSeconds = Math.max(...rep.map((r) => r.seconds));
      result.steps.push({ ...step, senders: sum(rep, 'senders'), sent, expected, received,
        seconds: activeSeconds, window: seconds, serverCpu: s1.cpu - s0.cpu,
        serverSys: s1.sys - s0.sys, clientCpu: sum(await all(workers, 'status'), 'cpu') - clientCpu0,
        machineBusy: busy1 - busy0,
        clientLagP99: Math.max(...rep.map((r) => r.loopLag.p99)),
        busiestThread: threads[0] ? threads[0].cpu / seconds : NaN, threads: threads.slice(0, 4),
        relayedPerSec: received / activeSeconds,
        perCpuSecond: received / Math.max(1e-9, s1.cpu - s0.cpu),
        serverCores: (s1.cpu - s0.cpu) / seconds,
        relay: summarize(merge(rep, 'relay')), rss: s1.rss,
        byType: rep.reduce((a, r) => { for (const [k, v] of Object.entries(r.byType)) a[k] = (a[k] || 0) + v; return a; }, {}) });
      await sleep(500);
    }
    if (baseOf(target) === 'aerie') result.metrics = await scrapeMetrics(server.port);

    log(`${target}: leaving`);
    await all(workers, 'leave');
    const status = await all(workers, 'status');
    result.errors = sum(status, 'errors');
    result.errorKinds = status.reduce((a, s) => { for (const [k, v] of Object.entries(s.errorKinds)) a[k] = (a[k] || 0) + v; return a; }, {});
    result.closedEarly = sum(status, 'closedEarly');
    result.clientRss = status.map((s) => s.rss);
    result.serverCpuTotal = procStats(pid).cpu;
  } finally {
    for (const w of workers) w.stop();
    await stopServer(server);
  }
  return result;
}

// Many idle peers: join, enter/welcome, then hold; RSS per connected peer. No negotiation, no
// relay: the peers sit as a browser tab would between calls.
async function runCapacity(target, n) {
  return runTarget(target, { peers: n, room: M.room, joinRate: M.capacityRate, workers: M.capacityWorkers,
    steps: [], negotiate: false, tag: 'cap' });
}

// ---- report -------------------------------------------------------------------------------

const f1 = (v) => (Number.isFinite(v) ? v.toFixed(1) : '–');
const f2 = (v) => (Number.isFinite(v) ? v.toFixed(2) : '–');
const kib = (b) => (Number.isFinite(b) ? (b / 1024).toFixed(2) : '–');
const mib = (b) => (Number.isFinite(b) ? (b / 1048576).toFixed(0) : '–');
const int = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
const lat3 = (s) => (s && s.n ? `${f2(s.p50)} / ${f2(s.p99)} / ${f1(s.max)}` : '–');

function table(results) {
  const lines = [];
  const names = { aerie: 'aerie', sio: 'socket.io 2.5 (Node)', peerjs: 'PeerJS server 1.0',
    'aerie-wss': 'aerie over wss (TLS)', 'sio-wss': 'socket.io 2.5 over wss (Node https)' };
  lines.push(`| | ${results.map((r) => names[r.target]).join(' | ')} |`);
  lines.push(`|---|${results.map(() => '---').join('|')}|`);
  const row = (label, fn) => lines.push(`| ${label} | ${results.map(fn).join(' | ')} |`);
  row('load generator', (r) => (r.generator === 'cpp' ? 'C++ (aerie-loadgen)'
    : M.generator === 'cpp' && isTls(r.target) ? 'Node (client.mjs; the C++ one has no TLS)' : 'Node (client.mjs)'));
  row('peers joined / asked', (r) => `${int(r.join.joined)} / ${int(r.peers)}`);
  row(`join: API call → inRoom, ms p50 / p99 / max`, (r) => lat3(r.join.api));
  row('join: socket open → inRoom (PeerJS: → OPEN), ms', (r) => lat3(r.join.connect));
  row('join: joinRoom → inRoom on the wire, ms', (r) => lat3(r.join.joinRoom));
  row('enter → first welcome, ms', (r) => lat3(r.join.enter));
  row('offer → answer, ms', (r) => lat3(r.negotiate?.answer));
  row('server CPU s during joins (per join, µs)', (r) => `${f2(r.join.serverCpu)} (${int((r.join.serverCpu * 1e6) / r.join.joined)})`);
  row('machine busy during joins, cores (of 2); load generator CPU s', (r) => `${f2(r.join.machineBusy / r.join.seconds)}; ${f2(r.join.clientCpu)}`);
  row('load generator CPU per join, µs', (r) => int((r.join.clientCpu * 1e6) / Math.max(1, r.join.joined)));
  row('load generator event-loop lag p99 during joins, ms', (r) => f1(r.join.clientLagP99));
  if (results.some((r) => r.join.hub)) {
    row('aerie Hub: joinRoom handled → inRoom sent (/metrics), ms p50 ≤ / p99 ≤ / mean', (r) => (r.join.hub
      ? `${r.join.hub.p50} / ${r.join.hub.p99} / ${f2(r.join.hub.mean)}` : '–'));
  }
  for (let i = 0; i < (results[0]?.steps.length || 0); i++) {
    const st = results[0].steps[i];
    const label = `relay step ${i + 1} (${st.candidateRate} candidate + ${st.publicRate} public /s/peer)`;
    row(`${label}: delivered msg/s`, (r) => int(r.steps[i]?.relayedPerSec));
    row(`${label}: delivered / expected`, (r) => (r.steps[i] ? `${int(r.steps[i].received)} / ${int(r.steps[i].expected)}` : '–'));
    row(`${label}: server cores busy (system share)`, (r) => (r.steps[i]
      ? `${f2(r.steps[i].serverCores)} (${int((100 * r.steps[i].serverSys) / Math.max(1e-9, r.steps[i].serverCpu))} %)` : '–'));
    row(`${label}: busiest server thread, share of one core over the step`, (r) => f2(r.steps[i]?.busiestThread));
    row(`${label}: CPU s: load generator / everything else on the machine`, (r) => (r.steps[i]
      ? `${f2(r.steps[i].clientCpu)} / ${f2(r.steps[i].machineBusy - r.steps[i].clientCpu - r.steps[i].serverCpu)}` : '–'));
    row(`${label}: load generator CPU per delivered message, µs`, (r) => (r.steps[i]
      ? f2((r.steps[i].clientCpu * 1e6) / Math.max(1, r.steps[i].received)) : '–'));
    row(`${label}: **msg per server CPU-second**`, (r) => int(r.steps[i]?.perCpuSecond));
    row(`${label}: relay latency ms p50 / p99 / max`, (r) => lat3(r.steps[i]?.relay));
    row(`${label}: load generator event-loop lag p99, ms`, (r) => f1(r.steps[i]?.clientLagP99));
  }
  row('server RSS idle before → with peers, MiB', (r) => `${mib(r.rssBase)} → ${mib(r.rssIdle)}`);
  row('**RSS per connected idle peer, KiB**', (r) => kib(r.rssPerPeer));
  row('errors (client-side) / sockets closed early', (r) => `${r.errors} / ${r.closedEarly}`);
  return lines.join('\n');
}

function ratios(results) {
  const a = results.find((r) => r.target === 'aerie');
  const lines = [];
  for (const o of a ? results.filter((r) => r !== a && !isTls(r.target)) : []) {
    const parts = [];
    a.steps.forEach((s, i) => {
      const b = o.steps[i];
      if (b) parts.push(`step ${i + 1}: ${f1(s.perCpuSecond / b.perCpuSecond)}x msg per CPU-second`);
    });
    parts.push(`RSS per peer ${f2(o.rssPerPeer / a.rssPerPeer)}x smaller`);
    if (a.join.enter.n && o.join.enter?.n) parts.push(`enter→welcome p99 ${f1(o.join.enter.p99 / a.join.enter.p99)}x lower`);
    lines.push(`- aerie vs ${o.target}: ${parts.join('; ')}`);
  }
  return [...lines, ...tlsRatios(results)].join('\n');
}

// Over TLS: the relay over wss ÷ the same server's relay over ws, in messages per server
// CPU-second at each step (the target: ≥ 0.7 for aerie), and aerie-wss vs sio-wss.
function tlsRatios(results) {
  const by = (t) => results.find((r) => r.target === t);
  const lines = [];
  const perStep = (x, y, fmt) => x.steps.map((s, i) => (y.steps[i]
    ? `step ${i + 1}: ${fmt(s.perCpuSecond / y.steps[i].perCpuSecond)}` : null)).filter(Boolean);
  for (const [tls, plain] of Object.entries(TLS_TARGETS)) {
    const w = by(tls);
    const p = by(plain);
    if (!w || !p) continue;
    const parts = perStep(w, p, f2);
    parts.push(`RSS per peer ${f2(w.rssPerPeer / 1024)} vs ${f2(p.rssPerPeer / 1024)} KiB`);
    lines.push(`- ${plain}: relay over wss ÷ over ws, msg per server CPU-second${plain === 'aerie' ? ' (target ≥ 0.7)' : ''}: ${parts.join('; ')}`);
  }
  const aw = by('aerie-wss');
  const sw = by('sio-wss');
  if (aw && sw) {
    const parts = perStep(aw, sw, (v) => `${f1(v)}x msg per CPU-second`);
    parts.push(`RSS per peer ${f2(sw.rssPerPeer / aw.rssPerPeer)}x smaller`);
    lines.push(`- aerie-wss vs sio-wss: ${parts.join('; ')}`);
  }
  return lines;
}

// ---- main ---------------------------------------------------------------------------------

const report = { mode, started: new Date().toISOString(), machine: machine(), options: M, runs: [], capacity: [] };
log(`mode ${mode}: ${JSON.stringify(M)}`);
log(`machine: ${JSON.stringify(report.machine)}`);
let failed = false;
const deadline = setTimeout(() => { console.error('bench: overall time limit reached'); process.exit(3); }, timeLimitMs);
deadline.unref();

// --only capacity | --only latency: one half of --full.
const only = opt('only', '');
if (only === 'capacity') M.peers = 0;
if (only === 'latency') M.capacity = 0;
for (const target of M.peers > 0 ? M.targets : []) {
  const r = await runTarget(target, { peers: M.peers, room: M.room, joinRate: M.joinRate, workers: M.workers,
    steps: M.steps, tag: 'lat' });
  report.runs.push(r);
  log(`${target}: done, ${r.errors} errors`);
}
if (M.capacity > 0) {
  for (const target of M.targets) {
    const r = await runCapacity(target, M.capacity);
    report.capacity.push(r);
    log(`${target}: capacity ${r.join.joined} peers, ${kib(r.rssPerPeer)} KiB RSS per peer`);
  }
}

if (report.runs.length) {
  console.log(`\n## ${M.peers.toLocaleString('en-US')} peers, rooms of ${M.room}, ${M.joinRate} joins/s\n`);
  console.log(table(report.runs));
  console.log(`\n${ratios(report.runs)}`);
}
if (report.capacity.length) {
  console.log(`\n## Capacity: ${M.capacity.toLocaleString('en-US')} idle peers, rooms of ${M.room}, joined at ${M.capacityRate}/s\n`);
  console.log(table(report.capacity));
}

mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(report, null, 1));
log(`results in ${path.relative(process.cwd(), outFile)}`);

// The smoke check: every peer joined, everything sent arrived, no errors, /metrics agrees.
if (mode === 'smoke') {
  for (const r of report.runs) {
    const problems = [];
    if (r.join.joined !== r.peers) problems.push(`joined ${r.join.joined} of ${r.peers}`);
    if (r.errors) problems.push(`${r.errors} errors ${JSON.stringify(r.errorKinds)}`);
    if (r.negotiate?.unanswered) problems.push(`${r.negotiate.unanswered} offers unanswered`);
    for (const s of r.steps) if (s.received < s.expected) problems.push(`relay delivered ${s.received} of ${s.expected}`);
    if (baseOf(r.target) === 'aerie') {
      const joins = metricValue(r.metrics, 'aerie_join_latency_seconds_count');
      if (joins !== r.peers) problems.push(`/metrics join count ${joins}, expected ${r.peers}`);
      const out = metricValue(r.metrics, 'aerie_messages_out_total', 'type="candidate"');
      if (!(out > 0)) problems.push('/metrics shows no candidate relayed');
    }
    r.smokeOk = problems.length === 0;
    if (!r.smokeOk) { failed = true; console.log(`smoke ${r.target} FAILED: ${problems.join('; ')}`); }
  }
  const ok = report.runs.filter((r) => r.smokeOk).length;
  console.log(`smoke: ${ok} passed, ${report.runs.length - ok} failed`);
}
process.exit(failed ? 1 : 0);
