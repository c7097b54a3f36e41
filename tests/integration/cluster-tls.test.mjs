// TLS to Redis (issue 17, `--redis-tls`): a redis-server that speaks TLS only (no plain port),
// with a password and client certificates required, all started by this file on loopback with
// certificates it makes with openssl. Nodes with the right CA register and place rooms; a node
// given another CA, or a name the certificate does not carry, says why in its log, never its
// password, and refuses new rooms as when Redis is down (503, error 5003); a CA file that cannot
// be read stops `aerie serve` at once, naming the file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { aerieBin, getApi, getSession, joinRoom, startAerie, sleep } from '../lib/server.mjs';
import { havePostgres, startPostgres } from '../lib/postgres.mjs';
import { haveRedis, startRedis } from '../lib/redis.mjs';
import { startCluster } from '../lib/cluster.mjs';
import { makeCertificates } from '../lib/certs.mjs';

const execFileP = promisify(execFile);
const skip = !havePostgres() ? 'no PostgreSQL binaries (scripts/setup.sh --test)'
  : !haveRedis() ? 'no redis-server (scripts/setup.sh --test)' : false;
const T = { timeout: 60000, skip };
const ORIGIN = { origin: 'http://127.0.0.1' };
const PASSWORD = `tls-secret-${process.pid}-x9`;

let pg;
let certs;
let ca; // signs Redis's certificate and the nodes' client certificate
let otherCa; // signs nothing Redis shows
let client; // the nodes' client certificate
let redis;

before(async () => {
  if (skip) return;
  certs = await makeCertificates();
  ca = await certs.ca('ca');
  otherCa = await certs.ca('other');
  const server = await certs.leaf(ca, 'redis', ['IP:127.0.0.1', 'DNS:localhost']);
  client = await certs.leaf(ca, 'node');
  redis = await startRedis({ password: PASSWORD, tls: { cert: server.cert, key: server.key, ca: ca.cert, authClients: 'yes' } });
  pg = await startPostgres();
});
after(async () => {
  if (redis) await redis.stop();
  if (pg) await pg.stop();
  if (certs) await certs.remove();
});

const tlsArgs = (caFile, ...more) => ['--redis-tls', 'on', '--redis-ca', caFile,
  '--redis-cert', client.cert, '--redis-key', client.key, ...more];
// The password from the environment, as docs/cluster.md advises.
const withPassword = { AERIE_REDIS_PASSWORD: PASSWORD };

async function metric(node, name) {
  const text = await (await fetch(`${node.httpUrl}/metrics`)).text();
  const m = text.match(new RegExp(`^${name}\\{[^}]*\\} (\\d+)`, 'm'));
  return m ? Number(m[1]) : null;
}

async function redisKeys(pattern) {
  const out = await execFileP('redis-cli', ['--tls', '--cacert', ca.cert, '--cert', client.cert, '--key', client.key,
    '-h', '127.0.0.1', '-p', String(redis.port), '--no-auth-warning', '-a', PASSWORD, '--raw', 'KEYS', pattern], { timeout: 5000 });
  return out.stdout.split('\n').filter(Boolean).sort();
}

test('nodes on a TLS-only Redis register, agree on each room\'s node, and their peers meet there', T, async () => {
  // startCluster waits until each node sees both in the registry: both registered over TLS.
  // The Redis of this file outlives the cluster; the password comes from the environment.
  const c = await startCluster(pg, 2, { redis: { ...redis, stop: async () => {} }, extraArgs: tlsArgs(ca.cert), env: withPassword });
  try {
    for (const n of c.nodes) assert.equal(await metric(n, 'aerie_cluster_redis_up'), 1);
    assert.deepEqual(await redisKeys('aerie:node:*'), ['aerie:node:a', 'aerie:node:b']);
    const owners = [];
    for (let r = 0; r < 4; r++) {
      const seen = new Set();
      for (const n of c.nodes) seen.add((await getSession(n, c.app.appKey, `tls${r}`, ORIGIN)).httpPortList[0]);
      assert.equal(seen.size, 1, `tls${r} named ${[...seen]} by different nodes`);
      owners.push([...seen][0]);
    }
    assert.equal((await redisKeys('aerie:room:*')).length, 4, 'four rooms placed in Redis');
    // Two peers whose API calls went to different nodes meet on the room's node.
    const p1 = await joinRoom(c.nodes[0], { app: c.app, room: 'tls0', session: await getSession(c.nodes[0], c.app.appKey, 'tls0', ORIGIN) });
    const p2 = await joinRoom(c.nodes[1], { app: c.app, room: 'tls0', session: await getSession(c.nodes[1], c.app.appKey, 'tls0', ORIGIN) });
    p2.enter();
    await p1.waitFor((m) => m.type === 'enter' && m.mid === p2.sid, { what: 'enter' });
    assert.ok(c.byPort(owners[0]), 'the owner is one of the nodes');
    for (const n of c.nodes) assert.ok(!n.log().includes(PASSWORD), `node ${n.id} logged the Redis password`);
    p1.close();
    p2.close();
  } finally {
    await c.stop();
  }
});

for (const [what, args, why] of [
  ['a CA that did not sign Redis\'s certificate', () => tlsArgs(otherCa.cert), /certificate was refused: (unable to get local issuer certificate|self-signed certificate in certificate chain)/],
  ['a server name Redis\'s certificate does not carry', () => tlsArgs(ca.cert, '--redis-server-name', 'redis.example.org'), /certificate was refused: hostname mismatch/],
]) {
  test(`with ${what}, the node says why and refuses new rooms (503, 5003)`, T, async () => {
    const node = await startAerie({
      env: withPassword,
      extraArgs: ['--redis', redis.address, '--node-id', 'wrong', '--tls', 'off', '--stun', 'off', '--media-port', 'off',
        '--threads', '1', ...args()],
    });
    try {
      for (let i = 0; !why.test(node.log()); i++) {
        assert.ok(i < 100, `no TLS error in the log:\n${node.logTail()}`);
        await sleep(50);
      }
      assert.match(node.log(), /TLS handshake with 127\.0\.0\.1:\d+ failed/);
      assert.ok(!node.log().includes(PASSWORD), 'the Redis password is in the log');
      assert.equal(await metric(node, 'aerie_cluster_redis_up'), 0);
      const refused = await getApi(node, node.app.appKey, 'never-placed', ORIGIN);
      assert.equal(refused.status, 503);
      assert.equal(refused.json.error, 5003);
      assert.match(refused.json.info, /registry is unreachable/);
      // It never reached the registry.
      assert.deepEqual((await redisKeys('aerie:node:wrong')), []);
    } finally {
      await node.stop();
    }
  });
}

test('a CA file that cannot be read stops aerie serve at once, naming the file', { timeout: 30000, skip }, async () => {
  const missing = `${certs.dir}/no-such-ca.pem`;
  const run = execFileP(aerieBin(), ['serve', '--listen', '127.0.0.1:0', '--data', `${certs.dir}/data`, '--tls', 'off',
    '--stun', 'off', '--media-port', 'off', '--redis', redis.address, '--node-id', 'x', ...tlsArgs(missing)], { timeout: 20000 });
  const err = await run.then(() => null, (e) => e);
  assert.ok(err, 'aerie serve started with an unreadable CA file');
  assert.notEqual(err.code, 0);
  assert.match(`${err.stdout}${err.stderr}`, /--redis-ca .*no-such-ca\.pem/);
});
