// The grid's pages (model/paging.ts): nine tiles a page, the user's own tile first, Previous/Next,
// and the person speaking brought onto the page shown by swapping with that page's least recent
// speaker; the swap stays when they fall silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './load.mjs';

const { GridPager, PAGE_SIZE } = await load('src/room/model/paging.ts');

const people = (n) => ['self', ...Array.from({ length: n - 1 }, (_, i) => `p${i + 1}`)];

test('up to nine tiles: one page, everyone in the room\'s order, nothing moves for a speaker', () => {
  assert.equal(PAGE_SIZE, 9);
  const g = new GridPager();
  const v = g.update(people(9), 'p8', 1);
  assert.deepEqual(v, { keys: people(9), page: 0, pages: 1 });
  assert.deepEqual(g.next(), v, 'no next page');
  assert.deepEqual(g.prev(), v);
});

test('ten and more: pages of nine, Previous/Next, clamped at both ends', () => {
  const g = new GridPager();
  let v = g.update(people(10), null, 1);
  assert.deepEqual(v, { keys: people(9), page: 0, pages: 2 });
  v = g.next();
  assert.deepEqual(v, { keys: ['p9'], page: 1, pages: 2 });
  assert.equal(g.next().page, 1, 'no page after the last');
  assert.equal(g.prev().page, 0);
  assert.equal(g.prev().page, 0, 'no page before the first');
  v = g.update(people(20), null, 2);
  assert.equal(v.pages, 3);
  g.next(); g.next();
  assert.deepEqual(g.view().keys, ['p18', 'p19']);
  // People leave: the last page goes, the pager moves back onto a page that exists.
  v = g.update(people(12), null, 3);
  assert.deepEqual(v, { keys: ['p9', 'p10', 'p11'], page: 1, pages: 2 });
  v = g.update(people(5), null, 4);
  assert.deepEqual(v, { keys: people(5), page: 0, pages: 1 });
});

test('the speaker off the page swaps with this page\'s least recent speaker, and stays there', () => {
  const g = new GridPager();
  g.update(people(12), null, 0);
  // p10 speaks while page 1 shows: p10 takes the last tile of page 1 (nobody there spoke yet).
  let v = g.update(people(12), 'p10', 1000);
  assert.deepEqual(v.keys, ['self', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p10']);
  // Silence: nothing moves back.
  v = g.update(people(12), null, 2000);
  assert.deepEqual(v.keys, ['self', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p10']);
  assert.deepEqual(g.next().keys, ['p9', 'p8', 'p11'], 'p8 went to p10\'s place');
  g.prev();
  // p3 speaks (on the page: nothing moves), then p11: it replaces the least recent speaker of
  // the page, not p10 or p3, who spoke.
  g.update(people(12), 'p3', 3000);
  v = g.update(people(12), 'p11', 4000);
  assert.deepEqual(v.keys, ['self', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p11', 'p10']);
  // Turning to page 2 while p11 still speaks brings p11 there; the user's own tile never moves.
  v = g.next();
  assert.ok(v.keys.includes('p11'), JSON.stringify(v));
  assert.equal(g.prev().keys[0], 'self');
});

test('the user speaking moves nobody; a speaker who left is forgotten; newcomers go last, the user first', () => {
  const g = new GridPager();
  g.update(people(10), null, 0);
  g.next();
  let v = g.update(people(10), 'self', 1);
  assert.deepEqual(v.keys, ['p9'], 'your own voice does not pull your tile onto page 2');
  v = g.update(people(10).filter((k) => k !== 'p9'), 'p9', 2);
  assert.deepEqual(v, { keys: people(9), page: 0, pages: 1 });
  // A fresh start (after leaving): the user's tile is first again even if listed late.
  const h = new GridPager();
  h.update(['p1', 'p2'], null, 0);
  v = h.update(['self', 'p1', 'p2', 'p3'], null, 1);
  assert.deepEqual(v.keys, ['self', 'p1', 'p2', 'p3']);
});
