// Unit tests of the app's pure parts: grid shape, speaker choice, reconnect schedule, room
// names, formatting, and how transfer events map to what a row shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const grid = await load('src/room/model/gridLayout.ts');
const speaker = await load('src/room/model/speaker.ts');
const backoff = await load('src/room/model/backoff.ts');
const names = await load('src/common/roomName.ts');
const format = await load('src/common/format.ts');
const transfers = await load('src/room/model/transfers.ts');
const { Reconnector } = await load('src/room/model/Reconnector.ts');

test('bestGrid: the shapes people expect', () => {
  const cases = [
    // n, width, height, aspects → cols, rows
    [1, 900, 600, grid.LANDSCAPE_ASPECTS, 1, 1],
    [2, 900, 600, grid.LANDSCAPE_ASPECTS, 2, 1],
    [3, 900, 600, grid.LANDSCAPE_ASPECTS, 2, 2],
    [4, 905, 670, grid.LANDSCAPE_ASPECTS, 2, 2],
    [5, 1200, 700, grid.LANDSCAPE_ASPECTS, 3, 2],
    [6, 1200, 700, grid.LANDSCAPE_ASPECTS, 3, 2],
    [9, 1200, 700, grid.LANDSCAPE_ASPECTS, 3, 3],
    [10, 1200, 700, grid.LANDSCAPE_ASPECTS, 4, 3],
    [2, 380, 740, grid.PORTRAIT_ASPECTS, 1, 2],
    [4, 380, 740, grid.PORTRAIT_ASPECTS, 2, 2],
    [6, 380, 740, grid.PORTRAIT_ASPECTS, 2, 3],
  ];
  for (const [n, w, h, a, cols, rows] of cases) {
    const g = grid.bestGrid(n, w, h, a, 8);
    assert.deepEqual([g.cols, g.rows], [cols, rows], `${n} tiles in ${w}x${h}: ${JSON.stringify(g)}`);
    // Tiles fit the box, gaps included, and keep to the aspect range.
    assert.ok(g.cols * g.tileWidth + 8 * (g.cols - 1) <= w + 1);
    assert.ok(g.rows * g.tileHeight + 8 * (g.rows - 1) <= h + 1);
    const aspect = g.tileWidth / g.tileHeight;
    assert.ok(aspect >= a.min - 0.02 && aspect <= a.max + 0.02, `aspect ${aspect}`);
  }
});

test('bestGrid: a box with no room gives empty tiles, not NaN', () => {
  const g = grid.bestGrid(3, 0, 0);
  assert.deepEqual([g.tileWidth, g.tileHeight], [0, 0]);
});

test('SpeakerPicker: loudest wins, holds through pauses, no flicker between similar voices', () => {
  const p = new speaker.SpeakerPicker({ threshold: 0.02, holdMs: 1000, switchRatio: 1.5 });
  const m = (o) => new Map(Object.entries(o));
  assert.equal(p.update(m({ a: 0.01, b: 0.005 }), 0), null, 'silence: nobody');
  assert.equal(p.update(m({ a: 0.1, b: 0.01 }), 100), 'a');
  assert.equal(p.update(m({ a: 0.1, b: 0.12 }), 200), 'a', 'b is only slightly louder');
  assert.equal(p.update(m({ a: 0.1, b: 0.2 }), 300), 'b', 'b is clearly louder');
  assert.equal(p.update(m({ a: 0, b: 0 }), 900), 'b', 'a short pause keeps the highlight');
  assert.equal(p.update(m({ a: 0, b: 0 }), 1400), null, 'a long pause ends it');
  assert.equal(p.update(m({ a: 0.3 }), 1500), 'a');
  assert.equal(p.update(m({ b: 0.05 }), 1600), 'b', 'the speaker left: the next voice takes over');
});

test('backoffDelay: doubles from 1 s to a cap of 8 s, with jitter inside ±20 %', () => {
  const mid = () => 0.5;
  assert.deepEqual([0, 1, 2, 3, 4, 10].map((n) => backoff.backoffDelay(n, backoff.DEFAULT_BACKOFF, mid)), [1000, 2000, 4000, 8000, 8000, 8000]);
  assert.equal(backoff.backoffDelay(0, backoff.DEFAULT_BACKOFF, () => 0), 800);
  assert.equal(backoff.backoffDelay(0, backoff.DEFAULT_BACKOFF, () => 1), 1200);
});

test('room names: random ids, tidied typed names, paths both ways', () => {
  const a = names.newRoomId();
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a, names.newRoomId());
  const fallback = names.newRoomId({ getRandomValues: (b) => b.fill(0xff) });
  assert.match(fallback, /^ffffffff-ffff-4fff-bfff-ffffffffffff$/, 'the version and variant bits without randomUUID');
  assert.equal(names.tidyRoomName('  Team  Standup '), 'team-standup');
  assert.equal(names.tidyRoomName('a/b?c#d'), 'a-b-c-d');
  assert.equal(names.tidyRoomName('Café Ünïcode'), 'café-ünïcode');
  assert.equal(names.tidyRoomName(' \t\n '), '');
  assert.equal(new TextEncoder().encode(names.tidyRoomName('é'.repeat(100))).length, 128);
  assert.equal(names.roomFromPath('/r/team%20a'), 'team a');
  assert.equal(names.roomFromPath('/r/abc/'), 'abc');
  assert.equal(names.roomFromPath('/r/'), null);
  assert.equal(names.roomFromPath('/x/abc'), null);
  assert.equal(names.roomFromPath('/r/%E0%A4%A'), null, 'bad escapes');
  assert.equal(names.roomFromPath('/r/a%2Fb'), null, "a '/' the server refuses");
  assert.equal(names.roomPath('café au lait'), '/r/caf%C3%A9%20au%20lait');
  assert.equal(names.roomFromPath(names.roomPath('café au lait')), 'café au lait');
});

test('format: bytes, initials, names from any userData', () => {
  assert.equal(format.formatBytes(512), '512 B');
  assert.equal(format.formatBytes(2 * 1024 * 1024), '2.0 MB');
  assert.equal(format.formatBytes(150 * 1024), '150 KB');
  assert.equal(format.initials('Ada Lovelace'), 'AL');
  assert.equal(format.initials('  bob '), 'B');
  assert.equal(format.initials(''), '?');
  assert.equal(format.nameFromUserData({ name: 'Ada' }, 'Guest'), 'Ada');
  assert.equal(format.nameFromUserData('Plain string', 'Guest'), 'Plain string');
  assert.equal(format.nameFromUserData({ displayName: 'Dee' }, 'Guest'), 'Dee');
  assert.equal(format.nameFromUserData(null, 'Guest'), 'Guest');
  assert.equal(format.nameFromUserData({ name: '\u0007  ' }, 'Guest'), 'Guest');
  assert.equal(format.nameFromUserData({ name: 'x'.repeat(100) }, 'Guest').length, 40);
});

test('transfer events: which side and what the row shows', () => {
  const { transferDirection: dir, statusFor: st } = transfers;
  assert.equal(dir('userRequest', {}, [], 't'), 'upload');
  assert.equal(dir('request', {}, [], 't'), 'download');
  assert.equal(dir('downloadCompleted', {}, [], 't'), 'download');
  assert.equal(dir('rejected', {}, [], 't'), 'upload');
  assert.equal(dir('userRejected', {}, [], 't'), 'download');
  assert.equal(dir('error', { direction: 'upload' }, [], 't'), 'upload');
  assert.equal(dir('cancel', {}, [{ kind: 'transfer', transferId: 't', direction: 'download' }], 't'), 'download');
  assert.equal(dir('cancel', {}, [], 't'), null, 'unknown transfer, no direction: ignored');
  assert.equal(st('request', 'download'), 'request');
  assert.equal(st('userRequest', 'upload'), 'waiting');
  assert.equal(st('downloading', 'download'), 'transferring');
  assert.equal(st('uploadCompleted', 'upload'), 'done');
  assert.equal(st('rejected', 'upload'), 'declined');
  assert.equal(st('cancel', 'upload'), 'cancelled');
  assert.equal(st('startError', 'upload'), 'failed');
  assert.equal(st('somethingNew', 'upload'), null);
});

test('applyTransferEvent: one card per transfer, a row per peer, the first ending stays', () => {
  const urls = [];
  const makeUrl = (d) => { urls.push(d); return `blob:${urls.length}`; };
  const ev = (state, peerId, info = {}, error = null) => ({ state, transferId: 'T', peerId, peerName: peerId.toUpperCase(), info, error, now: 1, selfName: 'Me' });
  let feed = [];
  let r = transfers.applyTransferEvent(feed, ev('userRequest', 'a', { name: 'f.bin', size: 9 }), makeUrl);
  assert.equal(r.created.direction, 'upload');
  assert.equal(r.created.fromName, 'Me');
  feed = r.feed;
  feed = transfers.applyTransferEvent(feed, ev('userRequest', 'b'), makeUrl).feed;
  feed = transfers.applyTransferEvent(feed, ev('uploading', 'a', { percentage: 33.4 }), makeUrl).feed;
  feed = transfers.applyTransferEvent(feed, ev('rejected', 'b'), makeUrl).feed;
  feed = transfers.applyTransferEvent(feed, ev('error', 'b', {}, { message: new Error('x') }), makeUrl).feed;
  feed = transfers.applyTransferEvent(feed, ev('uploading', 'a', {}), makeUrl).feed;
  assert.equal(feed.length, 1);
  assert.deepEqual(feed[0].rows.map((x) => [x.peerName, x.status, x.percentage]), [['A', 'transferring', 33], ['B', 'declined', 0]]);
  feed = transfers.applyTransferEvent(feed, ev('uploadCompleted', 'a'), makeUrl).feed;
  assert.deepEqual(feed[0].rows[0].status, 'done');
  assert.equal(feed[0].rows[0].percentage, 100);
  // A download: request, then done with the data → a URL, once.
  r = transfers.applyTransferEvent(feed, { ...ev('request', 's', { name: 'g.txt', size: 3 }), transferId: 'U' }, makeUrl);
  assert.equal(r.created.fromName, 'S');
  r = transfers.applyTransferEvent(r.feed, { ...ev('downloadCompleted', 's', { data: 'data:,abc' }), transferId: 'U' }, makeUrl);
  assert.equal(r.arrived.url, 'blob:1');
  assert.equal(transfers.findTransfer(r.feed, 'download:U').rows[0].status, 'done');
  // Unknown states change nothing.
  assert.equal(transfers.applyTransferEvent(r.feed, ev('whatever', 'a'), makeUrl).feed, r.feed);
});

test('Reconnector: grace, attempt, backoff, skip the wait, success resets', async () => {
  const started = [];
  let timeouts = 0;
  const rc = new Reconnector((n) => started.push(n), () => ({ graceMs: 20, attemptTimeoutMs: 60 }), () => { timeouts++; });
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  rc.lost();
  assert.equal(rc.current, 'grace');
  rc.lost();
  await wait(30);
  assert.deepEqual(started, [1], 'one attempt after the grace period, however often lost() is called');
  assert.equal(rc.current, 'attempting');
  rc.failed();
  assert.equal(rc.current, 'waiting');
  rc.now();
  assert.deepEqual(started, [1, 2], 'now() skips the backoff wait');
  await wait(80);
  assert.equal(timeouts, 1, 'an attempt that never answers times out');
  assert.equal(rc.current, 'waiting');
  rc.succeeded();
  assert.equal(rc.current, 'idle');
  assert.equal(rc.attempt, 0);
  rc.now();
  assert.deepEqual(started, [1, 2], 'now() does nothing when idle');
  rc.lost();
  rc.stop();
  await wait(30);
  assert.deepEqual(started, [1, 2], 'stop() cancels the pending attempt');
});
