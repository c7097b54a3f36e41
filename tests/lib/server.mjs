// Starts and stops an Aerie server for one test file, and re-exports the API and socket helpers
// so a test needs a single import.
//
//   const server = await startAerie({ apps: [{ name: 'a', domains: ['127.0.0.1'] }] });
//   ... server.port, server.apps[0].appKey, server.httpUrl, server.httpsUrl ...
//   await server.stop();
//
// The binary is $AERIE_BIN, else <repo>/build/release/aerie. Each server gets a fresh temporary
// data directory (removed on stop unless AERIE_KEEP_DATA=1) and a free port on 127.0.0.1.
// Set AERIE_TEST_LOG=1 to echo the server's output to the test's stderr.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export * from './api.mjs';
export * from './sockets.mjs';

const execFileP = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');

export function aerieBin() {
  return process.env.AERIE_BIN || path.join(repoRoot, 'build', 'release', 'aerie');
}

export function haveAerie() {
  return existsSync(aerieBin());
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// `aerie app create --data DIR --name NAME --domain D...` → {appKey, secret, domains}.
// `store` (a postgresql:// URL) takes the place of the data directory.
export async function createApp(dataDir, { name, domains = ['127.0.0.1', 'localhost'], extraArgs = [], store }) {
  const args = ['app', 'create', ...(store ? ['--store', store] : ['--data', dataDir]), '--name', name];
  for (const d of domains) args.push('--domain', d);
  args.push(...extraArgs);
  let out;
  try {
    out = await execFileP(aerieBin(), args, { timeout: 15000 });
  } catch (e) {
    throw new Error(`aerie ${args.join(' ')} failed (exit ${e.code}): ${e.stderr || e.message}`);
  }
  // The JSON object may be preceded by log lines; take the last line that parses.
  const lines = out.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const app = JSON.parse(lines[i]);
      if (app && typeof app.appKey === 'string' && typeof app.secret === 'string') return { name, ...app };
    } catch { /* not JSON */ }
  }
  try {
    const app = JSON.parse(out.stdout);
    if (app && typeof app.appKey === 'string') return { name, ...app };
  } catch { /* fall through */ }
  throw new Error(`aerie app create printed no {appKey, secret} JSON: ${JSON.stringify(out.stdout)}`);
}

/**
 * Creates the apps, then starts `aerie serve` and waits for its `listening` line.
 * options.apps: [{name, domains}] (default: one app "test" for 127.0.0.1 and localhost)
 * options.extraArgs: more arguments for `aerie serve`
 * options.store: a postgresql:// URL for `--store` (apps, settings and usage there; the data
 *   directory keeps only the TLS certificate)
 */
export async function startAerie(options = {}) {
  const bin = options.bin || aerieBin();
  if (!existsSync(bin)) throw new Error(`aerie binary not found at ${bin} (build it or set AERIE_BIN)`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'aerie-test-'));
  const appSpecs = options.apps || [{ name: 'test' }];
  const apps = [];
  for (const spec of appSpecs) apps.push(await createApp(dataDir, { store: options.store, ...spec }));

  const port = options.port || (await freePort());
  // How the CLI reaches this server's store (`aerie token ...`, `aerie app ...`).
  const storeArgs = options.store ? ['--store', options.store] : ['--data', dataDir];
  const args = ['serve', '--listen', `127.0.0.1:${port}`, '--data', dataDir,
    ...(options.store ? ['--store', options.store] : []), ...(options.extraArgs || [])];
  const echo = process.env.AERIE_TEST_LOG === '1';
  let log = '';
  let proc = null; // {child, exited, exitPromise}

  // Spawns `aerie serve` and waits for its `listening` line.
  async function spawnServe() {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd, env: { ...process.env, ...(options.env || {}) } });
    const p = { child, exited: null, stopping: false };
    p.exitPromise = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        p.exited = { code, signal };
        resolve(p.exited);
      });
    });
    let mine = '';
    const onData = (chunk) => {
      const s = chunk.toString();
      mine += s;
      if (mine.length > 100_000) mine = mine.slice(-50_000);
      log += s;
      if (log.length > 4_000_000) log = log.slice(-2_000_000);
      if (echo) process.stderr.write(`[aerie:${port}] ${s}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const ready = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), options.startTimeoutMs || 20000);
      const check = () => {
        if (/listening/i.test(mine)) {
          clearTimeout(timer);
          resolve('ok');
        }
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      p.exitPromise.then(() => {
        clearTimeout(timer);
        resolve('exited');
      });
      check();
    });
    if (ready !== 'ok') {
      child.kill('SIGKILL');
      throw new Error(`aerie ${args.join(' ')} did not print "listening" (${ready}${p.exited ? ' ' + JSON.stringify(p.exited) : ''}); ` +
        `output:\n${log.slice(-4000)}`);
    }
    return p;
  }

  async function terminate(p) {
    if (p.exited === null) {
      p.stopping = true;
      p.child.kill('SIGTERM');
      const t = setTimeout(() => p.child.kill('SIGKILL'), 5000);
      await p.exitPromise;
      clearTimeout(t);
      return true;
    }
    return false;
  }

  try {
    proc = await spawnServe();
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }

  let stopped = false;
  const server = {
    port,
    host: '127.0.0.1',
    dataDir,
    storeArgs,
    apps,
    app: apps[0],
    httpUrl: `http://127.0.0.1:${port}`,
    httpsUrl: `https://127.0.0.1:${port}`,
    get child() { return proc.child; },
    log: () => log,
    logTail: (n = 3000) => log.slice(-n),
    // null while running; {code, signal} after the process ended.
    exitInfo: () => proc.exited,
    alive: () => proc.exited === null,
    // Stops the process (SIGTERM) and starts it again on the same port and data directory.
    async restart() {
      if (!(await terminate(proc))) throw new Error(`aerie had exited by itself before restart: ${JSON.stringify(proc.exited)}`);
      proc = await spawnServe();
    },
    // kill -9, then start again on the same port and data directory.
    async crashAndRestart() {
      if (proc.exited === null) {
        proc.child.kill('SIGKILL');
        await proc.exitPromise;
      }
      proc = await spawnServe();
    },
    // SIGTERM and wait for the exit, keeping the data directory (stop() removes it).
    async terminate() {
      await terminate(proc);
      return proc.exited;
    },
    async stop() {
      if (stopped) return proc.exited;
      stopped = true;
      if (!(await terminate(proc))) {
        // It died before we asked: keep the evidence.
        const file = path.join(os.tmpdir(), `aerie-crash-${port}-${Date.now()}.log`);
        await writeFile(file, log);
        process.stderr.write(`aerie on port ${port} had exited by itself (${JSON.stringify(proc.exited)}); log in ${file}\n`);
      }
      if (process.env.AERIE_KEEP_DATA !== '1') await rm(dataDir, { recursive: true, force: true });
      return proc.exited;
    },
  };
  return server;
}
