// Several aerie nodes on one Redis and one PostgreSQL database, on loopback (cluster tests and
// benches): nodes a, b, c... with the app made through the first.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { rm } from 'node:fs/promises';
import { startAerie, sleep } from './server.mjs';
import { startRedis } from './redis.mjs';

const execFileP = promisify(execFile);
let dbCount = 0;

// `pg`: a started PostgreSQL (lib/postgres.mjs). opts: {redis, app: extra `aerie app create`
// options (e.g. {extraArgs: ['--max-peers', '2']}), extraArgs: more for every `aerie serve`,
// env: more environment for every node (e.g. AERIE_REDIS_PASSWORD)}.
export async function startCluster(pg, count, { redis, app = {}, extraArgs = [], env } = {}) {
  redis = redis || (await startRedis());
  const url = await pg.createDatabase(`cluster${process.pid}x${++dbCount}`);
  const nodes = [];
  for (let i = 0; i < count; i++) {
    const id = String.fromCharCode(97 + i);
    nodes.push(await startAerie({
      store: url,
      env,
      apps: i === 0 ? [{ name: 'c', ...app }] : [],
      extraArgs: ['--redis', redis.address, '--node-id', id, '--tls', 'off', '--stun', 'off', '--media-port', 'off',
        '--threads', '1', ...extraArgs],
    }));
    nodes[i].id = id;
  }
  // Every node has heard of every other (heartbeats are a second apart).
  for (const n of nodes) {
    for (let i = 0; ; i++) {
      const text = await (await fetch(`${n.httpUrl}/metrics`)).text();
      if (new RegExp(`aerie_cluster_live_nodes\\{node="${n.id}"\\} ${count}\\b`).test(text)) break;
      if (i > 60) throw new Error(`node ${n.id} does not see ${count} live nodes:\n${text.match(/aerie_cluster.*/g)}`);
      await sleep(50);
    }
  }
  return {
    redis, nodes, app: nodes[0].app,
    byPort: (port) => nodes.find((n) => n.port === port),
    async stop() {
      await Promise.all(nodes.map((n) => {
        // A node this test killed or drained on purpose: only its data directory is left.
        if (!n.alive()) return rm(n.dataDir, { recursive: true, force: true });
        try { process.kill(n.child.pid, 'SIGCONT'); } catch { /* gone */ }
        return n.stop();
      }));
      await redis.stop();
    },
  };
}

export async function redisCli(redis, ...args) {
  const out = await execFileP('redis-cli', ['-p', String(redis.port), '--no-raw', ...args], { timeout: 5000 });
  return out.stdout.trim();
}
