// Starts Debian's coturn on 127.0.0.1:3478 with time-limited credentials (TURN REST, the
// shared secret aerie signs with), as shared/notes/webrtc-testing.md describes. Tests call it
// inside their lo-only network namespace.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';

export const TURNSERVER = process.env.TURNSERVER_BIN || '/usr/bin/turnserver';

// True once a STUN Binding request to host:port is answered.
async function stunAnswers(port) {
  const sock = dgram.createSocket('udp4');
  try {
    const msg = Buffer.alloc(20);
    msg.writeUInt16BE(1, 0);
    msg.writeUInt32BE(0x2112a442, 4);
    return await new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), 300);
      sock.once('message', () => { clearTimeout(t); resolve(true); });
      sock.send(msg, port, '127.0.0.1', (err) => { if (err) { clearTimeout(t); resolve(false); } });
    });
  } finally {
    sock.close();
  }
}

export async function startCoturn({ secret, port = 3478, realm = 'aerie.test' }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aerie-coturn-'));
  const args = ['-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
    '--min-port=49160', '--max-port=49260', `--realm=${realm}`, '--use-auth-secret',
    `--static-auth-secret=${secret}`, '--fingerprint', '--no-tls', '--no-dtls', '--no-cli',
    '--allow-loopback-peers', '--no-multicast-peers', `--pidfile=${dir}/turn.pid`,
    `--userdb=${dir}/turndb`, '--log-file=stdout', '--simple-log', '--verbose'];
  const child = spawn(TURNSERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (let i = 0; i < 50; i++) {
    if (await stunAnswers(port)) break;
    if (child.exitCode !== null) throw new Error(`turnserver exited: ${log.slice(-2000)}`);
    if (i === 49) { child.kill('SIGKILL'); throw new Error(`turnserver did not answer STUN: ${log.slice(-2000)}`); }
  }
  return {
    port,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 4000);  // it takes ~2 s to exit
      await exited;
      clearTimeout(t);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
