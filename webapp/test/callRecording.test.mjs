// The call's recording model (record button for the owner, indicator for everyone, the saved
// note) against a fake library that fires SkylinkJS' events: roomOwnerChanged, recordingState.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { CallRecording } = await load('src/room/model/CallRecording.ts');

class FakeSkylink {
  constructor({ hasMCU = true, canRecord = true } = {}) {
    this.handlers = {};
    this.calls = [];
    this.hasMCU = hasMCU;
    if (canRecord) {
      this.startRecording = (cb) => { this.calls.push('start'); this.cb = cb; };
      this.stopRecording = (cb) => { this.calls.push('stop'); this.cb = cb; };
    }
  }
  on(name, fn) { (this.handlers[name] ??= []).push(fn); }
  emit(name, ...args) { for (const fn of this.handlers[name] ?? []) fn(...args); }
}

function setup(options) {
  const sk = new FakeSkylink(options);
  const said = [];
  const rec = new CallRecording({ skylink: () => sk, announce: (t) => said.push(t) });
  rec.wire(sk);
  sk.emit('peerJoined', 'SELF', {}, true);
  return { sk, rec, said, s: () => rec.store.get() };
}

test('the owner records: the button toggles start and stop, every state comes from recordingState', () => {
  const { sk, rec, said, s } = setup();
  assert.equal(s().available, true);
  assert.equal(s().isOwner, false);
  sk.emit('roomOwnerChanged', 'SELF', true);
  assert.equal(s().isOwner, true);

  rec.toggle();
  assert.deepEqual(sk.calls, ['start']);
  assert.equal(s().pending, 'start');
  rec.toggle(); // while pending: nothing
  assert.deepEqual(sk.calls, ['start']);
  sk.emit('recordingState', 0, 'R1', null, null);
  assert.equal(s().active, true);
  assert.equal(s().recordingId, 'R1');
  assert.equal(s().pending, null);

  rec.toggle();
  assert.deepEqual(sk.calls, ['start', 'stop']);
  sk.emit('recordingState', 1, 'R1', null, null);
  sk.emit('recordingState', 2, 'R1', { mixin: '/admin/v1/recordings/R1' }, null);
  assert.equal(s().active, false);
  assert.equal(s().saved, 'R1');
  assert.deepEqual(said, ['This call is being recorded.', 'The recording has stopped.']);
  rec.dismiss();
  assert.equal(s().saved, null);
});

test('someone else\'s recording shows too; a refusal is shown and clears the pending start', () => {
  const { sk, rec, s } = setup();
  sk.emit('recordingState', 0, 'R2', null, null);
  assert.equal(s().active, true, 'the indicator shows whoever started it');
  sk.emit('recordingState', 1, 'R2', null, null);
  sk.emit('roomOwnerChanged', 'SELF', true);
  rec.toggle();
  sk.cb(new Error('too many recordings'), null);
  assert.equal(s().pending, null);
  assert.equal(s().error, 'too many recordings');
  rec.reset();
  assert.deepEqual(s(), { available: false, isOwner: false, active: false, recordingId: null, pending: null, error: null, saved: null });
});

test('a mesh room, or a library without recording: not available', () => {
  assert.equal(setup({ hasMCU: false }).s().available, false);
  assert.equal(setup({ canRecord: false }).s().available, false);
});
