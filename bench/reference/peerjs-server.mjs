// The PeerJS server (npm `peer`), unmodified, for connection capacity and offer/candidate relay
// in its own protocol (WebSocket /peerjs?key=&id=&token=, JSON {type, dst, payload}).
//
//   node bench/reference/peerjs-server.mjs PORT [HOST]
// Prints "listening PORT" when ready.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { PeerServer } = require('peer');

const port = Number(process.argv[2] || 9000);
const host = process.argv[3] || '127.0.0.1';
// concurrent_limit defaults to 5000: lifted so the same client counts as aerie's fit.
PeerServer({ port, host, path: '/', key: 'peerjs', concurrent_limit: 1_000_000, alive_timeout: 90000 }, (server) => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
