// Skylink signaling over real socket.io clients:
//   socket.io-client 1.4.8 (what SkylinkJS 0.6.x bundles; Engine.IO 3) and socket.io-client 4
//   (Engine.IO 4), each over websocket or polling.
// Every Skylink message is the socket.io event `message` with one JSON *string* argument.
import { createRequire } from 'node:module';
import { io as io4 } from 'socket.io-client';
import { getSession } from './api.mjs';

const require = createRequire(import.meta.url);
const io1 = require('socket.io-client-v1');

export const CLIENTS = {
  'sio1-websocket': { lib: 1, transports: ['websocket'] },
  'sio1-polling': { lib: 1, transports: ['polling'] },
  'sio4-websocket': { lib: 4, transports: ['websocket'] },
  'sio4-polling': { lib: 4, transports: ['polling'] },
};

let socketCounter = 0;

export class TimeoutError extends Error {}

// One socket.io connection carrying Skylink messages, with a buffer of everything received so a
// test can wait for a message that may already have arrived.
export class SkylinkSocket {
  constructor(raw, label) {
    this.raw = raw;
    this.label = label;
    this.received = [];          // parsed messages, group entries unpacked (entry._group = true)
    this.rawFrames = [];         // the `message` arguments as received
    this.violations = [];        // protocol violations seen (non-string argument, bad JSON)
    this.consumed = new Set();
    this.waiters = new Set();
    this.isConnected = false;
    this.disconnectReason = null;
    this.disconnectWaiters = new Set();
    raw.on('message', (...args) => this._onMessage(args));
    raw.on('connect', () => { this.isConnected = true; });
    raw.on('disconnect', (reason) => {
      this.isConnected = false;
      this.disconnectReason = reason || 'disconnect';
      for (const w of this.disconnectWaiters) w(this.disconnectReason);
      this.disconnectWaiters.clear();
    });
  }

  _onMessage(args) {
    const arg = args[0];
    this.rawFrames.push(arg);
    if (args.length !== 1 || typeof arg !== 'string') {
      this.violations.push(`message event with ${args.length} argument(s), first of type ${typeof arg}: ${JSON.stringify(args).slice(0, 300)}`);
      if (typeof arg === 'object' && arg) this._push(arg);
      return;
    }
    let msg;
    try { msg = JSON.parse(arg); } catch {
      this.violations.push(`message argument is not JSON: ${arg.slice(0, 300)}`);
      return;
    }
    if (msg && msg.type === 'group' && Array.isArray(msg.lists)) {
      for (const entry of msg.lists) {
        try {
          const e = typeof entry === 'string' ? JSON.parse(entry) : entry;
          if (typeof entry !== 'string') this.violations.push('group entry is not a JSON string');
          e._group = true;
          this._push(e);
        } catch {
          this.violations.push(`group entry is not JSON: ${String(entry).slice(0, 200)}`);
        }
      }
      return;
    }
    this._push(msg);
  }

  _push(msg) {
    this.received.push(msg);
    for (const w of [...this.waiters]) {
      if (!this.consumed.has(msg) && w.pred(msg)) {
        this.consumed.add(msg);
        this.waiters.delete(w);
        w.resolve(msg);
      }
    }
  }

  connect(timeoutMs = 5000) {
    if (this.isConnected) return Promise.resolve(this);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        cleanup();
        reject(new TimeoutError(`${this.label}: socket.io connect timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const onConnect = () => { cleanup(); resolve(this); };
      const onError = (err) => {
        cleanup();
        reject(new Error(`${this.label}: socket.io connect failed: ${err && (err.message || err.description || err)}`));
      };
      const cleanup = () => {
        clearTimeout(t);
        this.raw.off('connect', onConnect);
        this.raw.off('connect_error', onError);
        this.raw.off('connect_timeout', onError);
      };
      this.raw.on('connect', onConnect);
      this.raw.on('connect_error', onError);
      this.raw.on('connect_timeout', onError);
    });
  }

  send(msg) {
    this.raw.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  // Resolves with the first not-yet-consumed message matching pred (already received or future).
  waitFor(pred, { timeoutMs = 5000, what = 'a matching message' } = {}) {
    if (typeof pred === 'string') {
      const type = pred;
      what = `a "${type}" message`;
      pred = (m) => m.type === type;
    }
    for (const m of this.received) {
      if (!this.consumed.has(m) && pred(m)) {
        this.consumed.add(m);
        return Promise.resolve(m);
      }
    }
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (m) => { clearTimeout(w.timer); resolve(m); } };
      w.timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new TimeoutError(`${this.label}: no ${what} within ${timeoutMs} ms; received: ` +
          JSON.stringify(this.received.map(summarize)).slice(0, 1500)));
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  // All messages received so far (consumed or not) that match pred.
  matching(pred) {
    if (typeof pred === 'string') { const type = pred; pred = (m) => m.type === type; }
    return this.received.filter(pred);
  }

  // Waits ms, then returns the messages that matched meanwhile or before.
  async collect(pred, ms) {
    await new Promise((r) => setTimeout(r, ms));
    return this.matching(pred);
  }

  // Resolves with the disconnect reason when the server (or we) end the connection.
  disconnected(timeoutMs = 5000) {
    if (this.disconnectReason) return Promise.resolve(this.disconnectReason);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.disconnectWaiters.delete(done);
        reject(new TimeoutError(`${this.label}: still connected after ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (reason) => { clearTimeout(t); resolve(reason); };
      this.disconnectWaiters.add(done);
    });
  }

  close() {
    try { this.raw.close(); } catch { /* already closed */ }
    for (const w of this.waiters) clearTimeout(w.timer);
    this.waiters.clear();
  }
}

function summarize(m) {
  return { type: m.type, mid: m.mid, target: m.target, reason: m.reason, action: m.action };
}

/**
 * Opens a socket.io connection the way SkylinkJS does (query Skylink_SDK_type/version, rand).
 * url: e.g. http://127.0.0.1:PORT. client: a key of CLIENTS.
 */
export async function openSocket(url, client = 'sio1-websocket', { timeoutMs = 5000, connect = true } = {}) {
  const spec = CLIENTS[client];
  if (!spec) throw new Error(`unknown client ${client}`);
  const label = `${client}#${++socketCounter}`;
  const common = {
    forceNew: true,
    reconnection: false,
    timeout: timeoutMs,
    transports: spec.transports,
    rejectUnauthorized: false,
    query: { Skylink_SDK_type: 'WEB_SDK', Skylink_SDK_version: '0.6.37', rand: String(Date.now()) },
  };
  const raw = spec.lib === 1 ? io1.connect(url, { ...common, multiplex: false }) : io4(url, common);
  const sock = new SkylinkSocket(raw, label);
  sock.client = client;
  if (connect) {
    try {
      await sock.connect(timeoutMs);
    } catch (e) {
      sock.close();
      throw e;
    }
  }
  return sock;
}

// The joinRoom message SkylinkJS 0.6.37 sends, built from an API reply.
export function joinRoomMessage(session, appKey) {
  return {
    type: 'joinRoom',
    uid: session.username,
    cid: session.cid,
    rid: session.room_key,
    userCred: session.userCred,
    timeStamp: session.timeStamp,
    apiOwner: session.apiOwner,
    roomCred: session.roomCred,
    start: session.start,
    len: session.len,
    isPrivileged: session.isPrivileged === true,
    autoIntroduce: session.autoIntroduce !== false,
    key: appKey,
  };
}

// The signaling URL a client derives from the API reply (spec section 3).
export function signalingUrl(session, secure = false) {
  const ports = secure ? session.httpsPortList : session.httpPortList;
  return `${secure ? 'https' : 'http'}://${session.ipSigserver}:${ports[0]}`;
}

/**
 * API call + socket + joinRoom → inRoom. Returns a Peer.
 * opts: {app, room, client, secure, expectReject (resolve with the redirect instead of throwing)}
 */
export async function joinRoom(server, { app = server.app, room, client = 'sio1-websocket', secure = false,
  expectReject = false, timeoutMs = 5000, session } = {}) {
  session = session || (await getSession(server, app.appKey, room));
  const sock = await openSocket(signalingUrl(session, secure), client, { timeoutMs });
  sock.send(joinRoomMessage(session, app.appKey));
  let reply;
  try {
    reply = await sock.waitFor((m) => m.type === 'inRoom' || m.type === 'redirect',
      { timeoutMs, what: 'inRoom or redirect after joinRoom' });
  } catch (e) {
    sock.close();
    throw e;
  }
  const peer = new Peer(sock, session, app, room);
  if (reply.type === 'redirect') {
    peer.redirect = reply;
    if (!expectReject) {
      sock.close();
      throw new Error(`${sock.label}: joinRoom to ${room} answered by redirect ${JSON.stringify(reply)}`);
    }
    return peer;
  }
  // With expectReject an inRoom is returned as is: the caller asserts on peer.redirect.
  peer.inRoom = reply;
  peer.sid = reply.sid;
  return peer;
}

let weightCounter = 0;

export class Peer {
  constructor(sock, session, app, room) {
    this.sock = sock;
    this.session = session;
    this.app = app;
    this.room = room;
    this.rid = session.room_key;
    this.sid = null;
    this.inRoom = null;
    this.redirect = null;
  }

  get label() { return this.sock.label; }

  send(msg) {
    this.sock.send({ mid: this.sid, rid: this.rid, ...msg });
  }

  enterFields(extra = {}) {
    return {
      agent: 'node',
      version: '20',
      os: 'Linux x86_64',
      userInfo: {
        userData: { name: this.label },
        settings: { audio: false, video: false, bandwidth: {} },
        mediaStatus: { audioMuted: true, videoMuted: true },
      },
      receiveOnly: false,
      weight: (this.inRoom ? this.inRoom.tieBreaker : 0) + (++weightCounter),
      temasysPluginVersion: null,
      enableIceTrickle: true,
      enableDataChannel: true,
      enableIceRestart: true,
      SMProtocolVersion: '0.1.2.3',
      DTProtocolVersion: '0.1.3',
      ...extra,
    };
  }

  enter(extra) { this.send({ type: 'enter', ...this.enterFields(extra) }); }

  welcome(target, extra) { this.send({ type: 'welcome', target, ...this.enterFields(extra) }); }

  waitFor(pred, opts) { return this.sock.waitFor(pred, opts); }

  matching(pred) { return this.sock.matching(pred); }

  close() { this.sock.close(); }
}
