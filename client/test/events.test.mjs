import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib } from './helpers.mjs';

const { Emitter } = await lib();

test('listeners run in subscription order with the arguments given', () => {
  const e = new Emitter();
  const seen = [];
  e.on('peerJoined', (id, info, self) => seen.push(['a', id, info.x, self]));
  e.on('peerJoined', (id) => seen.push(['b', id]));
  e.emit('peerJoined', 'p1', { x: 1 }, false);
  assert.deepEqual(seen, [['a', 'p1', 1, false], ['b', 'p1']]);
});

test('once() fires only when its condition holds, then is removed', () => {
  const e = new Emitter();
  const seen = [];
  e.once('readyStateChange', (s) => seen.push(s), (s) => s === 2);
  e.emit('readyStateChange', 0, null, 'r');
  e.emit('readyStateChange', 1, null, 'r');
  e.emit('readyStateChange', 2, null, 'r');
  e.emit('readyStateChange', 2, null, 'r');
  assert.deepEqual(seen, [2]);
});

test('once() with fireAlways keeps firing; off() removes a listener', () => {
  const e = new Emitter();
  const seen = [];
  const fn = (s) => seen.push(s);
  e.once('iceConnectionState', fn, (s) => s !== 'checking', true);
  e.emit('iceConnectionState', 'checking', 'p');
  e.emit('iceConnectionState', 'connected', 'p');
  e.emit('iceConnectionState', 'completed', 'p');
  e.off('iceConnectionState', fn);
  e.emit('iceConnectionState', 'failed', 'p');
  assert.deepEqual(seen, ['connected', 'completed']);
});

test('a throwing listener does not stop the others', () => {
  const e = new Emitter();
  const seen = [];
  const err = console.error;
  console.error = () => {};
  try {
    e.on('peerLeft', () => { throw new Error('page bug'); });
    e.on('peerLeft', (id) => seen.push(id));
    e.emit('peerLeft', 'p', {}, false);
  } finally { console.error = err; }
  assert.deepEqual(seen, ['p']);
});

test('off(name) removes all its listeners; off() removes everything', () => {
  const e = new Emitter();
  let n = 0;
  e.on('channelOpen', () => n++);
  e.once('channelOpen', () => n++);
  e.off('channelOpen');
  e.emit('channelOpen', {});
  e.on('channelClose', () => n++);
  e.off();
  e.emit('channelClose', {});
  assert.equal(n, 0);
});
