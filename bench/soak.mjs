// A bounded soak: peers join rooms of 4 through the API and the socket (socket.io-client 1.4.8
// and 4, WebSocket and polling), say enter/welcome, chat publicly and privately, and leave,
// over and over for --minutes, while aerie's RSS is sampled. Passes when every round completed,
// RSS at the end is within 20 % of RSS after the first minute (no growth with churn) and aerie
// exits 0 on SIGTERM. Run it against an ASan build to also catch memory errors:
//   AERIE_BIN=build/asan/aerie ASAN_OPTIONS=log_path=/tmp/asan/a node bench/soak.mjs --minutes 10
// --hold N keeps N more peers (rooms of 4, all four client kinds) joined for the whole soak
// beside the churn; at the end every one of them must still be connected and its room must
// still relay a message.
// --wss: every other room (churned and held) speaks over TLS (https API, wss socket or https
// polling) on the same port.
import { readFileSync } from 'node:fs';
import { startAerie, joinRoom, sleep } from '../tests/lib/server.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : def; };
const minutes = opt('minutes', 10);
const parallelRooms = opt('rooms', 50);  // 4 peers each: 200 connected at once
const hold = opt('hold', 0);
const clients = ['sio1-websocket', 'sio1-polling', 'sio4-websocket', 'sio4-polling'];
const wss = args.includes('--wss');
const secureFor = (n) => wss && n % 2 === 1;

const server = await startAerie({ extraArgs: ['--stun', 'off'] });
const rssKiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))[1]);
let deadline = Date.now() + minutes * 60_000;
let rounds = 0;
let failures = 0;
let peersServed = 0;
const samples = [];

async function round(worker) {
  const room = `soak-${worker}-${rounds}`;
  const peers = [];
  try {
    const secure = secureFor(rounds + worker);
    for (let i = 0; i < 4; i++) peers.push(await joinRoom(server, { room, client: clients[(worker + i) % 4], secure }));
    for (const p of peers) p.enter();
    const last = peers[3];
    // The newest peer's enter reaches the three before it; they answer welcome.
    await peers[0].waitFor((m) => m.type === 'enter' && m.mid === last.sid, { timeoutMs: 5000, what: 'enter' });
    for (let i = 0; i < 3; i++) peers[i].welcome(last.sid);
    await last.waitFor((m) => m.type === 'welcome', { timeoutMs: 5000, what: 'welcome' });
    peers[0].send({ type: 'public', cid: server.app.appKey, data: `hello ${rounds}` });
    peers[1].send({ type: 'private', cid: server.app.appKey, data: 'psst', target: last.sid });
    await last.waitFor((m) => m.type === 'private', { timeoutMs: 5000, what: 'private' });
    peersServed += 4;
    rounds++;
  } catch (e) {
    failures++;
    if (failures <= 5) console.error(`round in ${room} failed: ${e.message}`);
  } finally {
    for (const p of peers) p.close();
  }
}

// The held peers: joined before the churn starts, idle (Engine.IO pings only) until the end.
const heldRooms = [];
for (let r = 0; r * 4 < hold; r += 50) {
  await Promise.all(Array.from({ length: Math.min(50, Math.ceil(hold / 4) - r) }, async (_, i) => {
    const room = `held-${r + i}`;
    const peers = [];
    for (let k = 0; k < 4; k++) {
      peers.push(await joinRoom(server, { room, client: clients[(r + i + k) % 4], secure: secureFor(r + i), timeoutMs: 15000 }));
    }
    for (const p of peers) p.enter();
    heldRooms.push(peers);
  }));
}
if (hold) console.log(`soak: holding ${heldRooms.length * 4} peers in ${heldRooms.length} rooms${wss ? ', every other room over TLS' : ''}`);
deadline = Date.now() + minutes * 60_000;  // the churn gets its full time beside them

const sampler = setInterval(() => samples.push({ t: Date.now(), rss: rssKiB() }), 10_000);
await Promise.all(Array.from({ length: parallelRooms }, async (_, w) => {
  while (Date.now() < deadline) await round(w);
}));
clearInterval(sampler);
await sleep(3000);  // let the churn's last sockets close
const end = rssKiB();  // with the held peers still connected, as in the warm-up sample
// Every held peer is still there, and every held room still relays.
let heldLost = 0;
let heldSilent = 0;
await Promise.all(heldRooms.map(async (peers, i) => {
  heldLost += peers.filter((p) => !p.sock.isConnected).length;
  peers[0].send({ type: 'public', cid: server.app.appKey, data: `still here ${i}` });
  try {
    await peers[3].waitFor((m) => m.type === 'public' && m.data === `still here ${i}`, { timeoutMs: 10000, what: 'held room relay' });
  } catch { heldSilent++; }
}));
if (hold) console.log(`soak: held peers at the end: ${heldRooms.length * 4 - heldLost} of ${heldRooms.length * 4} connected, ${heldRooms.length - heldSilent} of ${heldRooms.length} rooms relayed`);
for (const peers of heldRooms) for (const p of peers) p.close();
const warm = samples.find((s) => s.t - samples[0].t >= 50_000) || samples[0] || { rss: end };
const exit = await server.stop();
const growth = (end - warm.rss) / warm.rss;
console.log(`soak: ${minutes} min, ${rounds} rounds, ${peersServed} peer sessions, ${failures} failed rounds`);
const perMinute = samples.filter((s, i) => i % 6 === 5).map((s) => s.rss);
console.log(`soak: RSS each minute, KiB: ${perMinute.join(' ')}`);
console.log(`soak: RSS ${warm.rss} KiB after warm-up → ${end} KiB at the end (${(growth * 100).toFixed(1)} %); exit ${JSON.stringify(exit)}`);
const ok = failures === 0 && heldLost === 0 && heldSilent === 0 && growth < 0.2 && exit && exit.code === 0;
console.log(`soak: ${ok ? 'passed' : 'FAILED'}`);
process.exit(ok ? 0 : 1);
