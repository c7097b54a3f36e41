// Reference for the comparison: a Node socket.io 2.x server (Engine.IO 3, the stack the hosted
// Skylink signaling ran on) that relays the same Skylink messages as aerie, in the plainest
// idiomatic way: joinRoom → inRoom, `target` routing within the room, broadcast to the room
// but the sender, `mid`/`rid` stamped by the server, bye on leave and on disconnect.
// No credentials, no rate limits, no validation: it does less work per message than aerie.
//
//   node bench/reference/sio-server.mjs PORT [HOST] [--tls-cert PEM --tls-key PEM]
// Prints "listening PORT" when ready. With --tls-cert and --tls-key it serves https and wss
// instead (Node `https`, its defaults), as the bench's `sio-wss` target and tls-handshakes.mjs
// use it. GET /health answers 200 (for the TLS handshake benchmark; socket.io serves the rest).
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const io = require('socket.io');

const argv = process.argv.slice(2);
const flag = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const positional = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1].startsWith('--')));
const port = Number(positional[0] || 0);
const host = positional[1] || '127.0.0.1';
const health = (req, res) => {
  if (req.url === '/health') { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); }
};
const server = flag('--tls-cert')
  ? https.createServer({ cert: readFileSync(flag('--tls-cert')), key: readFileSync(flag('--tls-key')) }, health)
  : http.createServer(health);
// perMessageDeflate off, as aerie (and the load generator offers none).
const sio = io(server, { perMessageDeflate: false, httpCompression: false, serveClient: false, pingInterval: 25000, pingTimeout: 20000 });

const TARGETED = new Set(['welcome', 'restart', 'offer', 'answer', 'candidate', 'endOfCandidates', 'private', 'answerAck']);
const BROADCAST = new Set(['public', 'updateUserEvent', 'muteAudioEvent', 'muteVideoEvent', 'stream', 'roomLockEvent', 'group']);
const roomOf = new Map();  // socket id → room
let tie = 1;

function leave(socket) {
  const room = roomOf.get(socket.id);
  if (room === undefined) return;
  roomOf.delete(socket.id);
  socket.leave(room);
  socket.to(room).emit('message', JSON.stringify({ type: 'bye', mid: socket.id, rid: room }));
}

sio.on('connection', (socket) => {
  socket.on('message', (text) => {
    let msg;
    try { msg = JSON.parse(text); } catch { return; }
    if (!msg || typeof msg.type !== 'string') return;
    if (msg.type === 'joinRoom') {
      leave(socket);
      const room = String(msg.rid || 'default');
      roomOf.set(socket.id, room);
      socket.join(room);
      socket.emit('message', JSON.stringify({ type: 'inRoom', rid: room, sid: socket.id, mid: socket.id,
        pc_config: { iceServers: [] }, tieBreaker: tie++ }));
      return;
    }
    const room = roomOf.get(socket.id);
    if (room === undefined) return;
    if (msg.type === 'bye') return leave(socket);
    msg.mid = socket.id;
    msg.rid = room;
    if (msg.type === 'enter' && !msg.target) return socket.to(room).emit('message', JSON.stringify(msg));
    if (TARGETED.has(msg.type) || msg.type === 'enter') {
      if (typeof msg.target !== 'string' || roomOf.get(msg.target) !== room || msg.target === socket.id) return;
      return socket.to(msg.target).emit('message', JSON.stringify(msg));
    }
    if (BROADCAST.has(msg.type)) socket.to(room).emit('message', JSON.stringify(msg));
  });
  socket.on('disconnect', () => leave(socket));
});

server.listen(port, host, () => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
