// Full TLS handshakes per server CPU-second: aerie (`serve --tls on`, its own P-256 certificate)
// against the Node reference (bench/reference/sio-server.mjs over Node `https`, a P-256
// certificate made here), in one run, over loopback, for TLS 1.3 and TLS 1.2.
//
//   node bench/tls-handshakes.mjs [--count 3000] [--concurrency 16] [--workers 2]
//        [--versions 1.3,1.2] [--targets aerie,sio] [--aerie-threads 2] [--rounds 1]
//        [--max-seconds 120]
//
// Each handshake is a fresh TCP connection and a full TLS handshake (no session is offered:
// tls.connect without `session`, no agent), then `GET /health` over it with `Connection: close`;
// it counts once the 200 and its body are in. W worker processes (this script with --worker)
// keep C connections in flight in total from source addresses 127.3.w.1..8; before each
// measured batch, a warm-up of 100. Server CPU from /proc/PID/stat (utime + stime, all
// threads) over the batch. Bounded: --count per batch, 10 s per connection, --max-seconds per
// batch, 15 minutes in all; every server started here is stopped at the end.
import { fork, spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { procStats, machine, machineBusy } from './lib/proc.mjs';
import { selfSignedCert } from './lib/tls.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};

// ---- worker: handshakes on command ----------------------------------------------------------

if (argv.includes('--worker')) {
  const index = Number(opt('worker', 0));
  const sources = Array.from({ length: 8 }, (_, i) => `127.3.${index}.${i + 1}`);
  let next = 0;
  const one = ({ port, version }) => new Promise((resolve) => {
    const v = version === '1.2' ? 'TLSv1.2' : 'TLSv1.3';
    let got = '';
    let done = false;
    const finish = (err, protocol) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ err, protocol });
    };
    const socket = tls.connect({ host: '127.0.0.1', port, localAddress: sources[next++ % sources.length],
      rejectUnauthorized: false, minVersion: v, maxVersion: v }, () => {
      socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    });
    const timer = setTimeout(() => finish('timeout'), 10000);
    socket.setEncoding('latin1');
    socket.on('data', (c) => {
      got += c;
      if (got.includes('{"ok":true}')) finish(got.startsWith('HTTP/1.1 200') ? null : `status ${got.slice(0, 40)}`, socket.getProtocol());
    });
    socket.on('error', (e) => finish(e.code || e.message));
    socket.on('close', () => finish(`closed early: ${got.slice(0, 40)}`));
  });
  process.on('message', async ({ id, port, version, count, concurrency, deadlineMs }) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let started = 0;
    let ok = 0;
    const errors = {};
    const protocols = {};
    const lane = async () => {
      while (started < count && performance.now() - t0 < deadlineMs) {
        started++;
        const r = await one({ port, version });
        if (r.err) errors[r.err] = (errors[r.err] || 0) + 1;
        else { ok++; protocols[r.protocol] = (protocols[r.protocol] || 0) + 1; }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
    const cpu = process.cpuUsage(cpu0);
    process.send({ id, ok, errors, protocols, seconds: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 });
  });
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

// ---- orchestrator ---------------------------------------------------------------------------

async function main() {
  const count = Number(opt('count', 3000));
  const concurrency = Number(opt('concurrency', 16));
  const nWorkers = Number(opt('workers', 2));
  const versions = opt('versions', '1.3,1.2').split(',');
  const targets = opt('targets', 'aerie,sio').split(',');
  const aerieThreads = Number(opt('aerie-threads', 2));
  const rounds = Number(opt('rounds', 1));
  const maxSeconds = Number(opt('max-seconds', 120));
  const aerieBin = process.env.AERIE_BIN || path.join(root, 'build', 'release', 'aerie');
  const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  const servers = [];
  const workers = [];
  const cleanup = async () => {
    for (const w of workers) w.kill();
    for (const s of servers) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        const gone = new Promise((r) => s.child.once('exit', r));
        s.child.kill('SIGTERM');
        const t = setTimeout(() => s.child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(t);
      }
      s.cleanup();
    }
  };
  const overall = setTimeout(async () => { console.error('tls-handshakes: overall time limit reached'); await cleanup(); process.exit(3); }, 15 * 60_000);
  overall.unref();

  const listening = (child, what) => new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${out.slice(-2000)}`)), 30000);
    const on = (c) => {
      out += c;
      const m = /listening (?:on http:\/\/[^:]+:)?(\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', (c) => { out += c; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}): ${out.slice(-2000)}`)); });
  });

  async function start(target) {
    if (target === 'aerie') {
      const data = mkdtempSync(path.join(os.tmpdir(), 'aerie-tlshs-'));
      execFileSync(aerieBin, ['app', 'create', '--data', data, '--name', 'bench', '--domain', '127.0.0.1'], { stdio: 'ignore' });
      const child = spawn(aerieBin, ['serve', '--listen', '127.0.0.1:0', '--data', data, '--tls', 'on', '--stun', 'off',
        '--log-level', 'warn', '--threads', String(aerieThreads)], { stdio: ['ignore', 'pipe', 'pipe'] });
      const s = { target, child, cleanup: () => rmSync(data, { recursive: true, force: true }) };
      servers.push(s);
      s.port = await listening(child, 'aerie');
      return s;
    }
    if (target === 'sio') {
      const cert = selfSignedCert();
      const child = spawn(process.execPath, [path.join(here, 'reference', 'sio-server.mjs'), '0', '127.0.0.1',
        '--tls-cert', cert.cert, '--tls-key', cert.key], { stdio: ['ignore', 'pipe', 'pipe'] });
      const s = { target, child, cleanup: () => rmSync(cert.dir, { recursive: true, force: true }) };
      servers.push(s);
      s.port = await listening(child, 'sio');
      return s;
    }
    throw new Error(`unknown target ${target} (aerie, sio)`);
  }

  let nextId = 1;
  const pending = new Map();
  for (let w = 0; w < nWorkers; w++) {
    const child = fork(fileURLToPath(import.meta.url), ['--worker', String(w)]);
    child.on('message', (m) => { pending.get(m.id)?.(m); pending.delete(m.id); });
    child.on('exit', (code) => { for (const [, p] of pending) p({ failed: `worker ${w} exited (${code})` }); pending.clear(); });
    workers.push(child);
  }
  const batch = (port, version, n) => Promise.all(workers.map((child, w) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, (m) => (m.failed ? reject(new Error(m.failed)) : resolve(m)));
    const share = Math.floor(n / nWorkers) + (w < n % nWorkers ? 1 : 0);
    const lanes = Math.floor(concurrency / nWorkers) + (w < concurrency % nWorkers ? 1 : 0);
    child.send({ id, port, version, count: share, concurrency: lanes, deadlineMs: maxSeconds * 1000 });
  })));

  const results = [];
  try {
    for (const t of targets) await start(t);
    log(`machine: ${JSON.stringify(machine())}`);
    log(`${count} handshakes per batch, ${concurrency} in flight over ${nWorkers} workers; targets ${targets.join(', ')}; TLS ${versions.join(', ')}`);
    for (let round = 1; round <= rounds; round++) {
      for (const version of versions) {
        for (const s of servers) {
          await batch(s.port, version, 100);  // warm-up
          await sleep(300);
          const busy0 = machineBusy();
          const p0 = procStats(s.child.pid);
          const t0 = performance.now();
          const reps = await batch(s.port, version, count);
          const seconds = (performance.now() - t0) / 1000;
          const p1 = procStats(s.child.pid);
          const busy = machineBusy() - busy0;
          const ok = reps.reduce((a, r) => a + r.ok, 0);
          const errors = {};
          const protocols = {};
          for (const r of reps) {
            for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] || 0) + v;
            for (const [k, v] of Object.entries(r.protocols)) protocols[k] = (protocols[k] || 0) + v;
          }
          const serverCpu = p1.cpu - p0.cpu;
          const clientCpu = reps.reduce((a, r) => a + r.cpu, 0);
          const r = { round, target: s.target, version, ok, asked: count, errors, protocols, seconds, serverCpu,
            serverSys: p1.sys - p0.sys, clientCpu, otherCpu: busy - serverCpu - clientCpu,
            perSecond: ok / seconds, perServerCpuSecond: ok / Math.max(1e-9, serverCpu) };
          results.push(r);
          log(`${s.target} TLS ${version}: ${ok}/${count} in ${seconds.toFixed(2)} s, server CPU ${serverCpu.toFixed(2)} s` +
            ` → ${Math.round(r.perSecond)}/s, ${Math.round(r.perServerCpuSecond)} per server CPU-second` +
            (Object.keys(errors).length ? `; errors ${JSON.stringify(errors)}` : ''));
        }
      }
    }
  } finally {
    await cleanup();
    clearTimeout(overall);
  }

  const names = { aerie: `aerie (--tls on, --threads ${aerieThreads})`, sio: 'Node https + socket.io 2.5' };
  const int = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
  console.log(`\n| round | TLS | server | handshakes ok / asked | wall s | handshakes/s | server CPU s (system share) | **handshakes per server CPU-second** | server µs per handshake | client CPU s / everything else |`);
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.round} | ${r.version} | ${names[r.target]} | ${int(r.ok)} / ${int(r.asked)} | ${r.seconds.toFixed(2)} | ${int(r.perSecond)} |` +
      ` ${r.serverCpu.toFixed(2)} (${int((100 * r.serverSys) / Math.max(1e-9, r.serverCpu))} %) | ${int(r.perServerCpuSecond)} |` +
      ` ${int((r.serverCpu * 1e6) / Math.max(1, r.ok))} | ${r.clientCpu.toFixed(2)} / ${r.otherCpu.toFixed(2)} |`);
  }
  console.log('');
  for (const round of [...new Set(results.map((r) => r.round))]) {
    for (const version of versions) {
      const a = results.find((r) => r.round === round && r.version === version && r.target === 'aerie');
      const n = results.find((r) => r.round === round && r.version === version && r.target === 'sio');
      if (a && n) {
        console.log(`- round ${round}, TLS ${version}: aerie ÷ Node: ${(a.perServerCpuSecond / n.perServerCpuSecond).toFixed(2)}x handshakes per server CPU-second` +
          ` (${int(a.perServerCpuSecond)} vs ${int(n.perServerCpuSecond)})`);
      }
    }
  }
  const bad = results.filter((r) => r.ok < r.asked || Object.keys(r.errors).length);
  const wrongVersion = results.filter((r) => Object.keys(r.protocols).some((p) => p !== (r.version === '1.2' ? 'TLSv1.2' : 'TLSv1.3')));
  for (const r of bad) console.log(`- ${r.target} TLS ${r.version}: ${r.asked - r.ok} failed: ${JSON.stringify(r.errors)}`);
  for (const r of wrongVersion) console.log(`- ${r.target} TLS ${r.version}: negotiated ${JSON.stringify(r.protocols)}`);
  process.exit(bad.length || wrongVersion.length ? 1 : 0);
}
