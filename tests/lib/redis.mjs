// A throwaway redis-server for one test file: a free loopback port, no persistence (so a
// restart comes back empty, as after a crash without AOF), killed by stop().
//
//   const redis = await startRedis();   // redis.port, redis.address ('127.0.0.1:PORT')
//   const secure = await startRedis({ tls: { cert, key, ca, authClients: 'yes' } });   // TLS only
//   await redis.restart({ downMs: 1000 });
//   await redis.stop();
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { freePort, sleep } from './server.mjs';

const bin = process.env.AERIE_REDIS_BIN || '/usr/bin/redis-server';

// False when redis-server is absent (scripts/setup.sh --test installs it).
export function haveRedis() {
  return existsSync(bin);
}

function accepts(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

// tls: {cert, key, ca (PEM files), authClients: 'yes'|'no'|'optional'}: the port speaks TLS
// only (no plain port at all).
export async function startRedis({ password, tls } = {}) {
  const port = await freePort();
  let child = null;
  async function up() {
    const listen = tls
      ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.cert, '--tls-key-file', tls.key,
        '--tls-ca-cert-file', tls.ca, '--tls-auth-clients', tls.authClients || 'no']
      : ['--port', String(port)];
    const args = [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];
    if (password) args.push('--requirepass', password);
    child = spawn(bin, args, { stdio: 'ignore' });
    for (let i = 0; i < 300; i++) {
      if (await accepts(port)) return;
      await sleep(10);
    }
    throw new Error(`redis-server did not start on port ${port}`);
  }
  async function down(signal = 'SIGKILL') {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
  await up();
  return {
    port,
    address: `127.0.0.1:${port}`,
    get pid() { return child.pid; },
    async restart({ downMs = 0 } = {}) {
      await down();
      if (downMs) await sleep(downMs);
      await up();
    },
    down,
    up,
    stop: () => down(),
  };
}
