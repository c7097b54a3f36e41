// RSS per idle Engine.IO WebSocket peer over TLS (wss) and over plain TCP (ws): N raw sockets
// open the socket.io endpoint, get the open packet and `40`, then idle. Loopback only.
//   node bench/tls-memory.mjs [--peers 2000]
// Each scheme gets a fresh aerie (one loop, `--tls on`): freed memory that the allocator keeps
// after the ws peers closed would otherwise be reused by the wss peers and hide their cost
// (10,000 ws then 10,000 wss in one server measured 0.03 KiB per wss peer). One scheme's
// sockets are closed and its server stopped before the next opens any.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startAerie, sleep } from '../tests/lib/server.mjs';

const require = createRequire(new URL('../tests/', import.meta.url));
const WebSocket = require('ws');
const args = process.argv.slice(2);
const peers = Number(args[args.indexOf('--peers') + 1] || 0) || 2000;

let server = null;
const rssKiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))[1]);

async function hold(scheme) {
  server = await startAerie({ extraArgs: ['--tls', 'on', '--stun', 'off', '--threads', '1'] });
  await sleep(500);
  const before = rssKiB();
  const sockets = [];
  for (let i = 0; i < peers; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, peers - i) }, () => new Promise((resolve, reject) => {
      const ws = new WebSocket(`${scheme}://127.0.0.1:${server.port}/socket.io/?EIO=3&transport=websocket`,
        { rejectUnauthorized: false, perMessageDeflate: false });
      ws.on('message', (d) => { if (String(d) === '40') resolve(); });
      ws.on('error', reject);
      sockets.push(ws);
    })));
  }
  await sleep(1000);
  const during = rssKiB();
  for (const ws of sockets) ws.terminate();
  await sleep(2000);
  await server.stop();
  return { scheme, peers, before, during, perPeerKiB: (during - before) / peers };
}

for (const scheme of ['ws', 'wss']) {
  const r = await hold(scheme);
  console.log(`${r.scheme}: ${r.peers} idle peers, RSS ${r.before} → ${r.during} KiB: ${r.perPeerKiB.toFixed(2)} KiB per peer`);
}
