#!/usr/bin/env node
// aerie's SFU beside Janus's videoroom (Debian's `janus` 1.1.2) under the same browser load, in one
// run and one network namespace, one server after the other: N Chromium pages (default 6) at
// 320x240@15 in one room, every page playing every other's video through the server
// (aerie: SkylinkJS 2.7.2 pages, lib/aerie-sfu.mjs, the load of bench/sfu.mjs; Janus: pages that
// speak its WebSocket API, bench/janus-sfu.mjs). For `--seconds` (default 20) with every video
// playing it reads the server's CPU (/proc/PID/stat) and counts the forwarded RTP packets the
// same way for both: the pages' getStats() inbound-rtp packetsReceived, summed over the pages
// (for aerie also its own /metrics counter). Prints each server's JSON, then one comparison
// line per round: µs of server CPU per forwarded packet for each, and aerie / Janus.
//
//   node bench/sfu-compare.mjs [--pages 6] [--seconds 20] [--threads 2] [--rounds 1] [--order aerie,janus]
//
// As root; needs build/release/aerie (scripts/run.sh or bench/run.sh builds it), `apt-get install
// -y janus chromium`, and tests/node_modules (npm ci in tests/). Everything stays on loopback:
// the run happens inside `unshare -n` with only `lo` and a veth pair of its own (lib/sfu-load.mjs).
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { enterNetns } from './lib/sfu-load.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
enterNetns(fileURLToPath(import.meta.url), args);

const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const PAGES = Number(opt('pages', 6));
const SECONDS = Number(opt('seconds', 20));
const THREADS = Number(opt('threads', 2));
const ROUNDS = Number(opt('rounds', 1));
const ORDER = String(opt('order', 'aerie,janus')).split(',');
if (ORDER.some((s) => s !== 'aerie' && s !== 'janus')) throw new Error('--order: aerie and/or janus');

const { runAerieSfu } = await import('./lib/aerie-sfu.mjs');
const { runJanusSfu, printLine } = await import('./janus-sfu.mjs');

const timer = setTimeout(() => { console.error('sfu-compare: gave up after 30 minutes'); process.exit(2); }, 30 * 60 * 1000);
timer.unref();

const runs = [];
for (let round = 1; round <= ROUNDS; round++) {
  const results = {};
  for (const server of ORDER) {
    const r = server === 'aerie'
      ? await runAerieSfu({ pages: PAGES, seconds: SECONDS, threads: THREADS })
      : await runJanusSfu({ pages: PAGES, seconds: SECONDS });
    console.log(JSON.stringify({ round, ...r }, null, 2));
    console.log(printLine(r));
    results[server] = r;
  }
  const a = results.aerie;
  const j = results.janus;
  const comparison = a && j ? {
    aerieMicrosecondsPerPacket: a.serverMicrosecondsPerForwardedPacket,
    janusMicrosecondsPerPacket: j.serverMicrosecondsPerForwardedPacket,
    aerieOverJanus: Number((a.serverMicrosecondsPerForwardedPacket / j.serverMicrosecondsPerForwardedPacket).toFixed(2)),
  } : null;
  if (comparison) {
    console.log(`compare (round ${round}, ${PAGES} pages, ${SECONDS} s each): ` +
      `aerie ${a.serverMicrosecondsPerForwardedPacket} µs/packet (${a.forwardedPerSecond} packets/s, ${a.serverCores} core), ` +
      `janus ${j.serverMicrosecondsPerForwardedPacket} µs/packet (${j.forwardedPerSecond} packets/s, ${j.serverCores} core): ` +
      `aerie/janus = ${comparison.aerieOverJanus}`);
  }
  runs.push({ round, results, comparison });
}

const out = path.join(here, 'results', 'sfu-compare-latest.json');
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, JSON.stringify({ date: new Date().toISOString(), pages: PAGES, seconds: SECONDS, aerieThreads: THREADS, runs }, null, 2));
console.log(`written: ${path.relative(process.cwd(), out)}`);
