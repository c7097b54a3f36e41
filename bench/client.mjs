// One load-generator worker: a shard of the simulated peers, driven by bench.mjs over IPC.
// Each peer is a raw WebSocket speaking what SkylinkJS 0.6.x puts on the wire (Engine.IO 3
// frames, `42["message","<JSON>"]`), or PeerJS' JSON for the PeerJS server. A raw client keeps
// the generator's CPU per message low; the frames are byte-for-byte what socket.io-client 1.4.8
// sends over a WebSocket.
//
// Commands (each answered with one reply carrying the same `id`):
//   init      {target, host, port, appKey, peers:[{idx, room, mates:[idx...]}], sources:[ip...], tls}
//             target: aerie | sio | peerjs; tls: true for https:// and wss:// (the aerie-wss and
//             sio-wss targets of bench.mjs; self-signed certificates, so rejectUnauthorized off)
//   join      {rate}            API → socket → joinRoom → inRoom → enter → welcome, at `rate`/s
//   negotiate {}                offer → answer → candidates between every pair of room mates
//   traffic   {durationMs, candidateRate, publicRate}   per-peer rates; counts what arrives
//   leave     {}                bye, then close
//   status    {}                counts so far
import http from 'node:http';
import https from 'node:https';
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { sioFrame, parseSioFrame, syntheticSdp, skylink, joinRoomFromApi, joinRoomPlain, frameTimestamp } from './lib/proto.mjs';

const now = () => performance.now();
// Wall-clock-free timestamps for latency across processes: performance.timeOrigin + now().
const stamp = () => Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000;
const MAX_SAMPLES = 50_000;

let cfg = null;
let agent = null;
const peers = [];
const bySid = new Map();  // sid (or PeerJS id) → peer
const counters = { errors: 0, errorKinds: {}, closedEarly: 0, sent: 0, received: 0, receivedByType: {} };
let phase = 'idle';
let sdpOffer = '';
let sdpAnswer = '';

function error(kind, detail) {
  counters.errors++;
  counters.errorKinds[kind] = (counters.errorKinds[kind] || 0) + 1;
  if (counters.errors <= 5 && detail) process.stderr.write(`[worker ${process.pid}] ${kind}: ${detail}\n`);
}

// Reservoir of latency samples in ms.
class Samples {
  constructor() { this.values = []; this.seen = 0; }
  add(v) {
    this.seen++;
    if (this.values.length < MAX_SAMPLES) this.values.push(v);
    else {
      const j = Math.floor(Math.random() * this.seen);
      if (j < MAX_SAMPLES) this.values[j] = v;
    }
  }
  take() { const v = this.values; this.values = []; this.seen = 0; return v; }
}
const lat = { api: new Samples(), connect: new Samples(), join: new Samples(), enter: new Samples(),
  answer: new Samples(), relay: new Samples() };

class Peer {
  constructor(spec, source) {
    this.idx = spec.idx;
    this.room = spec.room;
    this.mateIdx = spec.mates;  // earlier peers of the same room (PeerJS: who to offer to)
    this.source = source;
    this.ws = null;
    this.sid = null;
    this.rid = null;
    this.mates = [];            // sids of the others in the room
    this.nextMate = 0;
    this.lastPing = 0;
    this.tEnter = 0;
    this.gotWelcome = false;
    this.offersOut = new Map(); // sid → time the offer left
    this.done = null;           // resolve of the join promise
  }

  send(obj) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(cfg.target === 'peerjs' ? JSON.stringify(obj) : sioFrame(obj));
    counters.sent++;
  }
}

function url(peer) {
  const scheme = cfg.tls ? 'wss' : 'ws';
  if (cfg.target === 'peerjs') return `${scheme}://${cfg.host}:${cfg.port}/peerjs?key=peerjs&id=p${peer.idx}&token=t${peer.idx}`;
  return `${scheme}://${cfg.host}:${cfg.port}/socket.io/?EIO=3&transport=websocket&Skylink_SDK_type=WEB_SDK&Skylink_SDK_version=0.6.37`;
}

function apiSession(peer) {
  return new Promise((resolve, reject) => {
    const req = (cfg.tls ? https : http).get({ host: cfg.host, port: cfg.port, agent, localAddress: peer.source,
      path: `/api/${cfg.appKey}/${encodeURIComponent(peer.room)}?rand=${Date.now()}`,
      headers: { Skylink_SDK_version: '0.6.37', Skylink_SDK_type: 'WEB_SDK' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => {
        try {
          const j = JSON.parse(body);
          if (res.statusCode === 200 && j.success) resolve(j);
          else reject(new Error(`API ${res.statusCode} ${body.slice(0, 200)}`));
        } catch (e) { reject(e); }
      });
    });
    req.setTimeout(10000, () => req.destroy(new Error('API timeout')));
    req.on('error', reject);
  });
}

// ---- inbound ------------------------------------------------------------------------------

function onSkylink(peer, msg, text) {
  const from = msg.mid;
  switch (msg.type) {
    case 'inRoom': {
      peer.sid = msg.sid;
      peer.rid = msg.rid;
      bySid.set(peer.sid, peer);
      const t = now();
      if (peer.t0api) lat.api.add(t - peer.t0api);
      lat.connect.add(t - peer.t0socket);
      lat.join.add(t - peer.tJoinSent);
      peer.tEnter = now();
      peer.send(skylink.enter(Math.random() * 1e15));
      // A room's first peer hears no welcome: it is joined once inRoom is in.
      peer.done?.();
      return;
    }
    case 'enter':
      if (!peer.mates.includes(from)) peer.mates.push(from);
      peer.send(skylink.welcome(Math.random() * 1e15, from));
      return;
    case 'welcome':
      if (!peer.mates.includes(from)) peer.mates.push(from);
      if (!peer.gotWelcome) {
        peer.gotWelcome = true;
        lat.enter.add(now() - peer.tEnter);
      }
      return;
    case 'offer':
      peer.send(skylink.answer(from, sdpAnswer));
      peer.send(skylink.candidate(from, 0, stamp()));
      peer.send(skylink.candidate(from, 1, stamp()));
      return;
    case 'answer': {
      const t = peer.offersOut.get(from);
      if (t !== undefined) {
        lat.answer.add(now() - t);
        peer.offersOut.delete(from);
        negotiation.pending--;
        if (negotiation.pending === 0) negotiation.resolve?.();
      }
      peer.send(skylink.candidate(from, 2, stamp()));
      peer.send(skylink.candidate(from, 3, stamp()));
      return;
    }
    case 'bye': {
      const i = peer.mates.indexOf(from);
      if (i >= 0) peer.mates.splice(i, 1);
      return;
    }
    case 'redirect':
      error(`redirect:${msg.reason}`, text.slice(0, 200));
      if (msg.action === 'reject') peer.done?.(new Error(`rejected: ${msg.reason}`));
      return;
    default:
      return;
  }
}

function onPeerJs(peer, msg) {
  switch (msg.type) {
    case 'OPEN':
      lat.connect.add(now() - peer.t0socket);
      lat.join.add(now() - peer.t0socket);
      peer.sid = `p${peer.idx}`;
      bySid.set(peer.sid, peer);
      peer.mates = peer.mateIdx.map((i) => `p${i}`);
      peer.done?.();
      return;
    case 'OFFER':
      if (!peer.mates.includes(msg.src)) peer.mates.push(msg.src);
      peer.send({ type: 'ANSWER', dst: msg.src, payload: { sdp: { type: 'answer', sdp: sdpAnswer }, type: 'media', connectionId: msg.payload?.connectionId } });
      peer.send({ type: 'CANDIDATE', dst: msg.src, payload: { candidate: skylink.candidate('', 0, stamp()).candidate, type: 'media' } });
      peer.send({ type: 'CANDIDATE', dst: msg.src, payload: { candidate: skylink.candidate('', 1, stamp()).candidate, type: 'media' } });
      return;
    case 'ANSWER': {
      const t = peer.offersOut.get(msg.src);
      if (t !== undefined) {
        lat.answer.add(now() - t);
        peer.offersOut.delete(msg.src);
        negotiation.pending--;
        if (negotiation.pending === 0) negotiation.resolve?.();
      }
      peer.send({ type: 'CANDIDATE', dst: msg.src, payload: { candidate: skylink.candidate('', 2, stamp()).candidate, type: 'media' } });
      peer.send({ type: 'CANDIDATE', dst: msg.src, payload: { candidate: skylink.candidate('', 3, stamp()).candidate, type: 'media' } });
      return;
    }
    case 'ERROR':
    case 'ID-TAKEN':
      error(`peerjs:${msg.type}`, JSON.stringify(msg).slice(0, 200));
      peer.done?.(new Error(msg.payload?.msg || msg.type));
      return;
    default:
      return;
  }
}

function countType(type) {
  counters.receivedByType[type] = (counters.receivedByType[type] || 0) + 1;
}

function onFrame(peer, data) {
  const text = data.toString();
  if (text === '3') return;  // Engine.IO pong
  counters.received++;
  if (phase === 'traffic') {
    // Fast path: no JSON parse; classify by substring, time from the embedded stamp.
    if (text.includes('candidate')) countType(cfg.target === 'peerjs' ? 'CANDIDATE' : 'candidate');
    else if (text.includes('private')) countType('private');
    else if (text.includes('public')) countType('public');
    else countType('other');
    const ts = frameTimestamp(text);
    if (!Number.isNaN(ts)) lat.relay.add(stamp() - ts);
    return;
  }
  if (cfg.target === 'peerjs') {
    let msg;
    try { msg = JSON.parse(text); } catch { return error('badFrame', text.slice(0, 100)); }
    countType(msg.type);
    return onPeerJs(peer, msg);
  }
  if (text.charCodeAt(0) === 48 /* 0: open */) {
    try { peer.pingInterval = JSON.parse(text.slice(1)).pingInterval || 25000; } catch { peer.pingInterval = 25000; }
    return;
  }
  if (text === '40') {
    peer.tJoinSent = now();
    peer.send(cfg.target === 'aerie' ? joinRoomFromApi(peer.session, cfg.appKey) : joinRoomPlain(peer.room, `u${peer.idx}`));
    return;
  }
  const msg = parseSioFrame(text);
  if (!msg) return;
  countType(msg.type);
  onSkylink(peer, msg, text);
}

// ---- commands -----------------------------------------------------------------------------

async function joinOne(peer) {
  peer.t0api = 0;
  if (cfg.target === 'aerie') {
    peer.t0api = now();
    peer.session = await apiSession(peer);
  }
  peer.t0socket = now();
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { peer.done = null; reject(new Error('join timeout')); }, 20000);
    peer.done = (err) => { clearTimeout(timer); peer.done = null; err ? reject(err) : resolve(); };
    const ws = new WebSocket(url(peer), { perMessageDeflate: false, localAddress: peer.source, handshakeTimeout: 15000,
      ...(cfg.tls ? { rejectUnauthorized: false } : {}) });
    peer.ws = ws;
    peer.lastPing = Date.now();
    ws.on('message', (data) => onFrame(peer, data));
    ws.on('error', (e) => { peer.done?.(e); });
    ws.on('close', () => {
      if (phase !== 'leave') { counters.closedEarly++; peer.done?.(new Error('closed')); }
      if (peer.sid) bySid.delete(peer.sid);
    });
  });
}

// How late this worker's own event loop runs: latencies measured here include it.
function loopDelay() {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return () => { h.disable(); return { p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 }; };
}

async function join({ rate }) {
  phase = 'join';
  const lag = loopDelay();
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const interval = 1000 / rate;
  let joined = 0;
  const pending = [];
  for (let i = 0; i < peers.length; i++) {
    const due = t0 + i * interval;
    const wait = due - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(joinOne(peers[i]).then(() => { joined++; }, (e) => error('join', e.message)));
  }
  await Promise.all(pending);
  // Let the last welcomes arrive.
  await new Promise((r) => setTimeout(r, 500));
  phase = 'idle';
  const cpu = process.cpuUsage(cpu0);
  return { joined, seconds: (now() - t0) / 1000, loopLag: lag(), cpu: (cpu.user + cpu.system) / 1e6, lat: { api: lat.api.take(), connect: lat.connect.take(),
    join: lat.join.take(), enter: lat.enter.take() } };
}

const negotiation = { pending: 0, resolve: null };

// The newer peer of each pair offers (SkylinkJS: the higher weight; which one does not matter
// to the server). PeerJS: to the room mates fixed by the orchestrator.
async function negotiate({ rate = 2000 }) {
  phase = 'negotiate';
  const t0 = now();
  const pairs = [];
  for (const peer of peers) {
    const targets = cfg.target === 'peerjs' ? peer.mateIdx.map((i) => `p${i}`) : peer.mates.filter((sid) => {
      const mate = bySid.get(sid);
      return mate && mate.idx < peer.idx;
    });
    for (const sid of targets) pairs.push([peer, sid]);
  }
  const offers = pairs.length;
  negotiation.pending = offers;
  const done = new Promise((r) => { negotiation.resolve = r; });
  for (let n = 0; n < pairs.length; n++) {
    const [peer, sid] = pairs[n];
    const wait = t0 + n * (1000 / rate) - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    peer.offersOut.set(sid, now());
    if (cfg.target === 'peerjs') {
      peer.send({ type: 'OFFER', dst: sid, payload: { sdp: { type: 'offer', sdp: sdpOffer }, type: 'media', connectionId: `mc_${peer.idx}` } });
    } else {
      peer.send(skylink.offer(sid, sdpOffer));
    }
  }
  if (negotiation.pending > 0) await Promise.race([done, new Promise((r) => setTimeout(r, 15000))]);
  if (negotiation.pending > 0) error('negotiationTimeout', `${negotiation.pending} offers unanswered`);
  await new Promise((r) => setTimeout(r, 300));  // trailing candidates
  const unanswered = negotiation.pending;
  negotiation.pending = 0;
  phase = 'idle';
  return { offers, unanswered, seconds: (now() - t0) / 1000, lat: { answer: lat.answer.take() } };
}

// Each peer with a room mate sends `candidate` to its mates in turn (targeted relay) at
// `candidateRate`/s and `public` chat to its room at `publicRate`/s.
async function traffic({ durationMs, candidateRate = 0, publicRate = 0 }) {
  phase = 'traffic';
  const lag = loopDelay();
  const senders = peers.filter((p) => p.mates.length > 0 && p.ws?.readyState === WebSocket.OPEN);
  const before = { sent: counters.sent, received: counters.received, byType: { ...counters.receivedByType } };
  const t0 = now();
  let dueCand = 0;
  let duePub = 0;
  let sentCand = 0;
  let sentPub = 0;
  let rr = 0;
  let rrPub = 0;
  let i = 0;
  // Every receiver is a peer of this worker (a room stays in one worker): what must arrive here.
  let expected = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const elapsed = now() - t0;
      if (elapsed >= durationMs || senders.length === 0) return resolve();
      dueCand = Math.floor((elapsed / 1000) * candidateRate * senders.length);
      duePub = Math.floor((elapsed / 1000) * publicRate * senders.length);
      const ts = stamp();
      while (sentCand < dueCand) {
        const p = senders[rr++ % senders.length];
        const target = p.mates[p.nextMate++ % p.mates.length];
        if (cfg.target === 'peerjs') p.send({ type: 'CANDIDATE', dst: target, payload: { candidate: skylink.candidate('', i++, ts).candidate, type: 'media' } });
        else p.send(skylink.candidate(target, i++, ts));
        sentCand++;
        expected++;
      }
      while (sentPub < duePub) {
        const p = senders[rrPub++ % senders.length];
        p.send(skylink.chat(null, ts));
        sentPub++;
        if (cfg.target !== 'peerjs') expected += p.mates.length;  // PeerJS cannot broadcast
      }
      setTimeout(tick, 5);
    };
    tick();
  });
  // Drain: until everything expected is in, or nothing came for 2 s, or 10 s passed (a server
  // that is behind keeps delivering its backlog; one that lost messages goes quiet).
  const sentAt = now();
  let last = counters.received;
  let lastProgress = now();
  while (counters.received - before.received < expected && now() - sentAt < 10000 && now() - lastProgress < 2000) {
    await new Promise((r) => setTimeout(r, 50));
    if (counters.received !== last) {
      last = counters.received;
      lastProgress = now();
    }
  }
  phase = 'idle';
  const byType = {};
  for (const [k, v] of Object.entries(counters.receivedByType)) byType[k] = v - (before.byType[k] || 0);
  return { senders: senders.length, seconds: (sentAt - t0) / 1000, loopLag: lag(), expectedHere: expected, sentCandidates: sentCand, sentPublic: sentPub,
    received: counters.received - before.received, byType, lat: { relay: lat.relay.take() } };
}

async function leave() {
  phase = 'leave';
  for (const p of peers) if (cfg.target !== 'peerjs') p.send(skylink.bye());
  await new Promise((r) => setTimeout(r, 500));
  for (const p of peers) p.ws?.close();
  await new Promise((r) => setTimeout(r, 500));
  for (const p of peers) p.ws?.terminate();
  return {};
}

// Engine.IO 3: the client pings every pingInterval; PeerJS: HEARTBEAT within alive_timeout.
setInterval(() => {
  if (!cfg || phase === 'leave') return;
  const t = Date.now();
  for (const p of peers) {
    if (!p.ws || p.ws.readyState !== WebSocket.OPEN) continue;
    const every = cfg.target === 'peerjs' ? 30000 : (p.pingInterval || 25000) - 5000;
    if (t - p.lastPing < every) continue;
    p.lastPing = t;
    p.ws.send(cfg.target === 'peerjs' ? '{"type":"HEARTBEAT"}' : '2');
  }
}, 1000).unref();

const handlers = {
  init(m) {
    cfg = m;
    agent = m.tls
      ? new https.Agent({ keepAlive: true, maxSockets: 32, localAddress: m.sources[0], rejectUnauthorized: false })
      : new http.Agent({ keepAlive: true, maxSockets: 32, localAddress: m.sources[0] });
    sdpOffer = syntheticSdp('offer', process.pid);
    sdpAnswer = syntheticSdp('answer', process.pid);
    m.peers.forEach((spec, i) => peers.push(new Peer(spec, m.sources[i % m.sources.length])));
    return { peers: peers.length };
  },
  join,
  negotiate,
  traffic,
  leave,
  status() {
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    return { ...counters, rss: mem.rss, cpu: (cpu.user + cpu.system) / 1e6, open: peers.filter((p) => p.ws?.readyState === WebSocket.OPEN).length };
  },
};

process.on('message', async (m) => {
  let reply;
  try {
    reply = await handlers[m.cmd](m);
  } catch (e) {
    reply = { failed: e.stack || String(e) };
  }
  reply.errors = counters.errors;
  reply.errorKinds = counters.errorKinds;
  reply.closedEarly = counters.closedEarly;
  process.send({ id: m.id, ...reply });
});
process.on('disconnect', () => process.exit(0));
