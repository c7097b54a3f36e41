// Cluster bench (issue 17): Redis, PostgreSQL and 1-3 aerie nodes on loopback, socket.io
// clients (socket.io-client 1.4.8 over WebSocket, as SkylinkJS 0.6.x) in this process.
//
//   node bench/cluster.mjs [--joins 200] [--pairs 30] [--rate 80] [--seconds 5]
//
// 1. join latency (API call -> socket -> joinRoom -> inRoom, one room per join, so every join
//    claims a room), 1 node and 3 nodes, the peer following the API reply;
// 2. relay latency of a targeted `candidate` (one-way, sender and receiver in this process),
//    both peers on the owner vs the sender bridged through the other node;
// 3. messages delivered per server CPU-second (aerie processes + redis-server, from /proc),
//    1 node; 2 nodes steered; 2 nodes with every peer bridged; Redis ops/s meanwhile;
// 4. failover: kill -9 of a room's owner -> the room placed on the live node and a peer in it.
// Every node runs one event loop (--threads 1). Prints one JSON object.
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { procStats } from './lib/proc.mjs';
import { startPostgres } from '../tests/lib/postgres.mjs';
import { startCluster, redisCli } from '../tests/lib/cluster.mjs';
import { getSession, getApi, openSocket, joinRoomMessage, joinRoom, Peer, sleep } from '../tests/lib/server.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const JOINS = opt('joins', 200);
const PAIRS = opt('pairs', 30);
const RATE = opt('rate', 80); // candidate/s per sender (the targeted budget is 100/s)
const SECONDS = opt('seconds', 5);
const ORIGIN = { origin: 'http://127.0.0.1' };

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const round = (x, d = 3) => Number(x.toFixed(d));

// Joins at `node` itself (bridged when it is not the owner) or where the API reply says.
async function join(c, via, room, { at } = {}) {
  if (!at) return joinRoom(via, { app: c.app, room, session: await getSession(via, c.app.appKey, room, ORIGIN) });
  const session = await getSession(via, c.app.appKey, room, ORIGIN);
  const sock = await openSocket(`http://127.0.0.1:${at.port}`);
  sock.send(joinRoomMessage(session, c.app.appKey));
  const reply = await sock.waitFor((m) => m.type === 'inRoom' || m.type === 'redirect');
  if (reply.type !== 'inRoom') throw new Error(`bridged join refused: ${JSON.stringify(reply)}`);
  const p = new Peer(sock, session, c.app, room);
  p.inRoom = reply;
  p.sid = reply.sid;
  return p;
}

async function owner(c, room) {
  const s = await getSession(c.nodes[0], c.app.appKey, room, ORIGIN);
  return c.byPort(s.httpPortList[0]);
}

async function joinLatency(c) {
  const ms = [];
  for (let i = 0; i < JOINS; i++) {
    const via = c.nodes[i % c.nodes.length];
    const t0 = performance.now();
    const p = await join(c, via, `j${i}`);
    ms.push(performance.now() - t0);
    p.close();
  }
  return { joins: JOINS, p50: round(pct(ms, 50)), p99: round(pct(ms, 99)) };
}

// `pairs` rooms of two: the receiver on the owner, the sender on the owner or (bridged) on
// another node. Each sender sends `rate` candidates a second for `seconds`; the receiver
// stamps one-way latency. Server CPU is measured over the sending window.
async function relay(c, { bridged, pairs = PAIRS, rate = RATE, seconds = SECONDS, tag }) {
  const rooms = [];
  for (let i = 0; rooms.length < pairs; i++) {
    const room = `${tag}${i}`;
    const own = await owner(c, room);
    const other = c.nodes.find((n) => n !== own);
    const rx = await join(c, own, room);
    const tx = bridged ? await join(c, own, room, { at: other }) : await join(c, own, room);
    rooms.push({ rx, tx });
  }
  const lat = [];
  let delivered = 0;
  for (const { rx } of rooms) {
    rx.sock.raw.on('message', (arg) => {
      const m = JSON.parse(arg);
      if (m.type !== 'candidate') return;
      delivered++;
      lat.push(performance.now() - Number(m.candidate.slice(2)));
    });
  }
  const pids = [...c.nodes.map((n) => n.child.pid), c.redis.pid];
  const cpu0 = pids.map((p) => procStats(p).cpu);
  const opsSamples = [];
  const t0 = performance.now();
  const interval = 1000 / rate;
  let sent = 0;
  while (performance.now() - t0 < seconds * 1000) {
    const tick = performance.now();
    for (const { tx, rx } of rooms) {
      tx.sock.raw.send(JSON.stringify({ type: 'candidate', mid: tx.sid, rid: tx.rid, target: rx.sid,
        candidate: `c:${performance.now()}`, label: 0, id: '0' }));
      sent++;
    }
    if (opsSamples.length < Math.floor((performance.now() - t0) / 1000)) {
      const info = await redisCli(c.redis, 'INFO', 'stats');
      opsSamples.push(Number(/instantaneous_ops_per_sec:(\d+)/.exec(info)[1]));
    }
    const wait = interval - (performance.now() - tick);
    if (wait > 0) await sleep(wait);
  }
  await sleep(300);
  const cpu1 = pids.map((p) => procStats(p).cpu);
  const cpuByPid = cpu1.map((v, i) => v - cpu0[i]);
  const serverCpu = cpuByPid.reduce((a, b) => a + b, 0);
  for (const { rx, tx } of rooms) { rx.close(); tx.close(); }
  return {
    bridged, pairs, sent, delivered,
    latencyMs: { p50: round(pct(lat, 50)), p99: round(pct(lat, 99)) },
    serverCpuS: round(serverCpu), redisCpuS: round(cpuByPid.at(-1)),
    msgsPerCpuS: Math.round(delivered / serverCpu),
    redisOpsPerSec: opsSamples,
  };
}

async function failover(c) {
  let room;
  for (let i = 0; ; i++) {
    const own = await owner(c, `fo${i}`);
    if (own !== c.nodes[0]) { room = `fo${i}`; break; }
  }
  const victim = await owner(c, room);
  const p = await join(c, c.nodes[0], room);
  const killed = performance.now();
  process.kill(victim.child.pid, 'SIGKILL');
  for (;;) {
    const res = await getApi(c.nodes[0], c.app.appKey, room, ORIGIN);
    if (res.json && res.json.success && res.json.httpPortList[0] !== victim.port) break;
    await sleep(20);
  }
  const placed = performance.now() - killed;
  const again = await join(c, c.nodes[0], room);
  const back = performance.now() - killed;
  p.close();
  again.close();
  return { placedMs: Math.round(placed), rejoinedMs: Math.round(back) };
}

const pg = await startPostgres();
const out = { machine: { cpus: os.cpus().length, loadavgAtStart: os.loadavg().map((x) => round(x, 2)) } };
try {
  let c = await startCluster(pg, 1);
  out.join1 = await joinLatency(c);
  out.relay1 = await relay(c, { bridged: false, tag: 'one' });
  await c.stop();

  c = await startCluster(pg, 3);
  out.join3 = await joinLatency(c);
  await c.stop();

  c = await startCluster(pg, 2);
  out.relaySteered2 = await relay(c, { bridged: false, tag: 'st' });
  out.relayBridged2 = await relay(c, { bridged: true, tag: 'br' });
  out.failover = await failover(c);
  await c.stop();
} finally {
  await pg.stop();
}
out.machine.loadavgAtEnd = os.loadavg().map((x) => round(x, 2));
out.ratios = {
  steeredPerCpuVsOneNode: round(out.relaySteered2.msgsPerCpuS / out.relay1.msgsPerCpuS),
  bridgedP50MinusSteeredMs: round(out.relayBridged2.latencyMs.p50 - out.relaySteered2.latencyMs.p50),
  joinP99ThreeMinusOneMs: round(out.join3.p99 - out.join1.p99),
};
console.log(JSON.stringify(out, null, 2));
