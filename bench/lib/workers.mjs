// Load-generator worker processes, both speaking the command protocol of bench/client.mjs
// ({id, cmd, ...args} in, {id, ...reply} out; see client.mjs for the commands):
//   node: bench/client.mjs, forked, over Node IPC;
//   cpp:  build/loadgen/aerie-loadgen --control (bench/loadgen/), one JSON object a line on
//         its stdin and stdout. It speaks the aerie and socket.io protocols, not PeerJS.
import { fork, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
export const loadgenBin = process.env.AERIE_LOADGEN || path.join(root, 'build', 'loadgen', 'aerie-loadgen');

class Worker {
  constructor(index) {
    this.index = index;
    this.pending = new Map();
    this.nextId = 1;
  }
  onReply(m) {
    const p = this.pending.get(m.id);
    if (p) { this.pending.delete(m.id); p(m); }
  }
  onExit(code, signal) {
    for (const [, p] of this.pending) p({ failed: `worker ${this.index} exited (${code ?? signal})` });
    this.pending.clear();
  }
  call(cmd, args = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (m) => (m.failed ? reject(new Error(`worker ${this.index} ${cmd}: ${m.failed}`)) : resolve(m)));
      this.post({ id, cmd, ...args });
    });
  }
}

class NodeWorker extends Worker {
  constructor(index) {
    super(index);
    this.kind = 'node';
    this.child = fork(path.join(here, '..', 'client.mjs'), [], { execArgv: ['--max-old-space-size=8192'] });
    this.child.on('message', (m) => this.onReply(m));
    this.child.on('exit', (code, signal) => this.onExit(code, signal));
  }
  post(m) { this.child.send(m); }
  stop() { this.child.kill(); }
}

class CppWorker extends Worker {
  // maxSeconds: the generator's own hard deadline (it exits non-zero past it).
  constructor(index, maxSeconds) {
    super(index);
    this.kind = 'cpp';
    this.child = spawn(loadgenBin, ['--control', '--source-block', String(index), '--max-seconds', String(Math.ceil(maxSeconds))],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.on('error', (e) => this.onExit(e.message));
    this.child.on('exit', (code, signal) => this.onExit(code, signal));
    this.child.stdin.on('error', () => {});
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      let m;
      try { m = JSON.parse(line); } catch { return process.stderr.write(`[aerie-loadgen ${this.index}] ${line}\n`); }
      this.onReply(m);
    });
  }
  post(m) { this.child.stdin.write(`${JSON.stringify(m)}\n`); }
  stop() { this.child.stdin.end(); this.child.kill(); }
}

// `generator`: node | cpp. The C++ generator has no PeerJS client and no TLS: PeerJS and the
// wss targets (aerie-wss, sio-wss) keep the Node one.
export function generatorFor(generator, target) {
  return generator === 'cpp' && target !== 'peerjs' && !target.endsWith('-wss') ? 'cpp' : 'node';
}

export function startWorker(kind, index, { maxSeconds = 3600 } = {}) {
  return kind === 'cpp' ? new CppWorker(index, maxSeconds) : new NodeWorker(index);
}
