// Reference for the comparison: a Node socket.io 2.x server (Engine.IO 3, the stack the hosted
// Skylink signaling ran on) that relays the same Skylink messages as aerie, in the plainest
// idiomatic way: joinRoom → inRoom, `target` routing within the room, broadcast to the room
// but the sender, `mid`/`rid` stamped by the server, bye on leave and on disconnect.
// No credentials, no rate limits, no validation: it does less work per message than aerie.
//
//   node bench/reference/sio-server.mjs PORT [HOST]
// Prints "listening PORT" when ready.
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const io = require('socket.io');

const port = Number(process.argv[2] || 0);
const host = process.argv[3] || '127.0.0.1';
const server = http.createServer();
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
