import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib, tick } from './helpers.mjs';

const { computeWeight, shouldOffer, isPolite, OperationChain, parseMediaOptions, peerStateFromMessage, toPeerInfo, C } = await lib();

test('weights: the priority scheme shifts the server tieBreaker by 2e15', () => {
  assert.equal(computeWeight(10, C.PRIORITY_WEIGHT_SCHEME.AUTO), 10);
  assert.equal(computeWeight(10, C.PRIORITY_WEIGHT_SCHEME.ENFORCE_OFFERER), 10 + 2e15);
  assert.equal(computeWeight(10, C.PRIORITY_WEIGHT_SCHEME.ENFORCE_ANSWERER), 10 - 2e15);
  // Exactly one side of a pair offers, and the other is the polite one.
  for (const [a, b] of [[1, 2], [5, 3], [2e15 + 1, 7]]) {
    assert.notEqual(shouldOffer(a, b), shouldOffer(b, a));
    assert.equal(isPolite(a, b), !shouldOffer(a, b));
  }
});

test('the operation chain never interleaves and survives a failure', async () => {
  const chain = new OperationChain();
  const trace = [];
  const op = (name, ms, fail) => () => new Promise((res, rej) => { trace.push(`start ${name}`); setTimeout(() => { trace.push(`end ${name}`); if (fail) rej(new Error(name)); else res(name); }, ms); });
  const p1 = chain.run(op('a', 20));
  const p2 = chain.run(op('b', 5, true));
  const p3 = chain.run(op('c', 1));
  assert.equal(await p1, 'a');
  await assert.rejects(p2, /b/);
  assert.equal(await p3, 'c');
  assert.deepEqual(trace, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  chain.close();
  await assert.rejects(chain.run(async () => 1), /closed/);
  await tick();
});

test('media options become constraints and the settings peers see', () => {
  const p = parseMediaOptions({ audio: true, video: { resolution: { width: 320, height: 240 }, frameRate: 15, mute: true } });
  assert.deepEqual(p.constraints.video, { width: { max: 320 }, height: { max: 240 }, frameRate: { max: 15 } });
  assert.equal(p.settings.video.screenshare, false);
  assert.deepEqual(p.settings.video.resolution, { width: 320, height: 240 });
  assert.equal(p.muted.video, true);
  assert.deepEqual(parseMediaOptions({}).constraints, { audio: false, video: false });
  assert.deepEqual(parseMediaOptions({ video: true, useExactConstraints: true }).constraints.video.width, { exact: 640 });
});

test('peer info from an enter message', () => {
  const s = peerStateFromMessage({ type: 'enter', mid: 'p', agent: 'chrome', version: '120', weight: 5, enableIceTrickle: true,
    enableDataChannel: true, DTProtocolVersion: '0.1.3', SMProtocolVersion: '0.1.2.4',
    userInfo: { userData: { name: 'x' }, settings: { audio: { stereo: false }, video: false, maxBandwidth: { video: 500 } }, mediaStatus: { audioMuted: false, videoMuted: false } } });
  const info = toPeerInfo(s, 'room', { connected: true, dataOpen: false });
  assert.equal(info.agent.name, 'chrome');
  assert.equal(info.config.priorityWeight, 5);
  assert.deepEqual(info.settings.bandwidth, { video: 500 });
  assert.equal(info.mediaStatus.videoMuted, true, 'no video means muted video');
  assert.equal(info.userData.name, 'x');
  assert.equal(info.room, 'room');
  assert.equal(peerStateFromMessage({ type: 'enter' }).agent.DTProtocolVersion, '0.1.0', 'old peers default to DT 0.1.0');
});
