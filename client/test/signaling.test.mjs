import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib, FakeSocket, tick, testEnv } from './helpers.mjs';

const L = await lib();
const { SignalingClient, SignalingState, SIGNALING_TRANSITIONS, canTransition, connectionTargets, decode, encode, buildGroup } = L;

test('state machine: the transition table', () => {
  const S = SignalingState;
  const table = [
    [S.Idle, S.Connecting, true], [S.Connecting, S.Open, true], [S.Connecting, S.Failed, true], [S.Open, S.Reconnecting, true],
    [S.Reconnecting, S.Open, true], [S.Open, S.Closed, true], [S.Closed, S.Open, false], [S.Idle, S.Open, false],
    [S.Failed, S.Open, false], [S.Open, S.Connecting, false],
  ];
  for (const [from, to, ok] of table) assert.equal(canTransition(from, to), ok, `${from} → ${to}`);
  assert.deepEqual(SIGNALING_TRANSITIONS[S.Closed], [], 'closed is final');
});

test('connection targets: WebSocket on each port, then polling', () => {
  assert.deepEqual(connectionTargets('https:', 'h', [443, 3443], true).map((t) => `${t.transport} ${t.url}`),
    ['WebSocket https://h:443', 'WebSocket https://h:3443', 'Polling https://h:443', 'Polling https://h:3443']);
  assert.deepEqual(connectionTargets('http:', '::1', [80], false).map((t) => `${t.transport} ${t.url}`), ['Polling http://[::1]:80']);
});

test('decode: JSON strings, groups unpacked, junk dropped', () => {
  const inner = [{ type: 'public', data: 'x' }, { type: 'muteAudioEvent', muted: true, stamp: 1 }];
  const group = encode({ type: 'group', lists: inner.map((m) => JSON.stringify(m)), mid: 'm', rid: 'r' });
  assert.deepEqual(decode(group), inner);
  assert.deepEqual(decode('not json'), []);
  assert.deepEqual(decode('{"no":"type"}'), []);
  assert.deepEqual(decode({ type: 'bye', mid: 'x' }), [{ type: 'bye', mid: 'x' }]);
  assert.deepEqual(decode(encode({ type: 'group', lists: 'nope' })), []);
});

test('buildGroup keeps the newest stamp per status kind', () => {
  const g = buildGroup([
    { type: 'muteVideoEvent', muted: true, stamp: 1 }, { type: 'muteVideoEvent', muted: false, stamp: 2 },
    { type: 'public', data: 'a' }, { type: 'public', data: 'b' },
  ], 'me', 'room');
  assert.equal(g.type, 'group');
  assert.equal(g.mid, 'me');
  assert.deepEqual(g.lists.map((s) => JSON.parse(s)), [{ type: 'muteVideoEvent', muted: false, stamp: 2 }, { type: 'public', data: 'a' }, { type: 'public', data: 'b' }]);
});

function fakeListener() {
  const calls = [];
  return {
    calls,
    onStateChange: (s, p) => calls.push(['state', p, s]),
    onMessage: (m) => calls.push(['msg', m]),
    onSocketError: (code, err, type) => calls.push(['socketError', code, type]),
    onChannelRetry: (type, n) => calls.push(['retry', type, n]),
    onChannelError: () => calls.push(['channelError']),
    onSent: (m) => calls.push(['sent', m.type]),
  };
}

test('connect falls back port by port, then to polling; reports socketError codes', async () => {
  const sockets = [];
  const env = await testEnv({ createSocket: (url, opts) => { const s = new FakeSocket(url, opts); sockets.push(s); return s; } });
  {
    const l = fakeListener();
    const c = new SignalingClient(env, l, { timeoutMs: 1000, attemptsPerTarget: 1, delayMs: 1, delayMaxMs: 1, reconnectAttempts: 0 });
    const p = c.connect('http:', '127.0.0.1', [80, 3000]);
    await tick(); sockets[0].fire('connect_error', new Error('refused'));
    await tick(); sockets[1].fire('connect_timeout');
    await tick(); sockets[2].fire('connect');
    await p;
    assert.deepEqual(sockets.map((s) => `${s.options.transports[0]} ${s.url.split('?')[0]}`),
      ['websocket http://127.0.0.1:80', 'websocket http://127.0.0.1:3000', 'polling http://127.0.0.1:80']);
    assert.equal(c.state, SignalingState.Open);
    assert.deepEqual(l.calls.filter((x) => x[0] === 'socketError').map((x) => x[1]), [0, -4, -1, -4]);
    assert.deepEqual(l.calls.filter((x) => x[0] === 'state').map((x) => x[2]), ['connecting', 'open']);
    assert.equal(sockets[2].options.query.Skylink_SDK_type, 'WEB_SDK');
    c.close();
    assert.equal(c.state, SignalingState.Closed);
    assert.ok(sockets[2].disconnected);
  }
});

test('all targets failing ends in Failed with RECONNECTION_ABORTED', async () => {
  const env = await testEnv({ createSocket: (url, opts) => { const s = new FakeSocket(url, opts); setTimeout(() => s.fire('connect_error', new Error('x')), 0); return s; } });
  {
    const l = fakeListener();
    const c = new SignalingClient(env, l, { timeoutMs: 1000, attemptsPerTarget: 1, delayMs: 1, delayMaxMs: 1, reconnectAttempts: 0 });
    await assert.rejects(c.connect('https:', 'h', [443]), /no more available ports/);
    assert.equal(c.state, SignalingState.Failed);
    assert.equal(l.calls.filter((x) => x[0] === 'socketError').at(-1)[1], -3);
  }
});

test('status messages: first sent at once, the rest within a second batched into one group', async () => {
  let sock;
  const env = await testEnv({ createSocket: (url, opts) => { sock = new FakeSocket(url, opts); setTimeout(() => sock.fire('connect'), 0); return sock; } });
  {
    const l = fakeListener();
    const c = new SignalingClient(env, l);
    await c.connect('http:', 'h', [80]);
    c.setIdentity('me', 'room');
    c.send({ type: 'offer', sdp: 'x' });                 // handshake: immediate
    c.send({ type: 'muteVideoEvent', muted: true, stamp: 1 });
    c.send({ type: 'muteAudioEvent', muted: true, stamp: 2 });
    c.send({ type: 'public', data: 'hi' });
    assert.deepEqual(sock.sent.map((m) => m.type), ['offer', 'muteVideoEvent']);
    await tick(1100);
    assert.deepEqual(sock.sent.map((m) => m.type), ['offer', 'muteVideoEvent', 'group']);
    assert.deepEqual(sock.sent[2].lists.map((s) => JSON.parse(s).type), ['muteAudioEvent', 'public']);
    assert.equal(sock.sent[2].mid, 'me');
    assert.deepEqual(l.calls.filter((x) => x[0] === 'sent').map((x) => x[1]), ['muteVideoEvent', 'muteAudioEvent', 'public']);
    // Incoming groups are unpacked.
    sock.fire('message', JSON.stringify({ type: 'group', lists: [JSON.stringify({ type: 'public', data: 1 }), JSON.stringify({ type: 'public', data: 2 })] }));
    assert.deepEqual(l.calls.filter((x) => x[0] === 'msg').map((x) => x[1].data), [1, 2]);
    c.close();
  }
});
