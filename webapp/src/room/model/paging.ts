// The grid's pages: at most PAGE_SIZE tiles on screen at once (nine 640×480 videos is as many as
// a laptop shows usefully and decodes comfortably); more people go on further pages, which the
// user turns with Previous/Next. The person speaking is always on the page being looked at: when
// someone off the page starts to speak, their tile swaps places with the tile of this page whose
// person spoke least recently (never the user's own tile). The swap stays when they fall silent,
// so tiles do not jump back and forth with every pause (as Google Meet's tiled view behaves;
// Zoom's gallery keeps pages fixed and only its speaker view follows the voice). Pure state, no
// DOM, so it is unit-tested.

export const PAGE_SIZE = 9;

/** What the stage shows: the keys of this page's tiles in order, and where we are. */
export interface GridView { keys: string[]; page: number; pages: number }

export class GridPager {
  private order: string[] = [];
  private page = 0;
  /** When each key was last the speaker (only swaps use it). */
  private readonly spokeAt = new Map<string, number>();
  private speaker: string | null = null;

  constructor(private readonly size = PAGE_SIZE, private readonly selfKey = 'self') {}

  /**
   * The participants now (their keys in the room's order: the user first, then by arrival) and
   * who speaks. Keeps the order of those already placed; newcomers take their place in `keys`'
   * order (the user's own tile first), people who left leave a gap closed by those after them.
   */
  update(keys: readonly string[], speaker: string | null, now: number): GridView {
    const present = new Set(keys);
    const order = this.order.filter((k) => present.has(k));
    const placed = new Set(order);
    keys.forEach((k, i) => { if (!placed.has(k)) order.splice(Math.min(i, order.length), 0, k); });
    this.order = order;
    for (const k of [...this.spokeAt.keys()]) if (!present.has(k)) this.spokeAt.delete(k);
    this.speaker = speaker !== null && present.has(speaker) ? speaker : null;
    if (this.speaker !== null) this.spokeAt.set(this.speaker, now);
    this.clamp();
    this.bringSpeaker();
    return this.view();
  }

  next(): GridView { return this.go(this.page + 1); }
  prev(): GridView { return this.go(this.page - 1); }

  go(page: number): GridView {
    this.page = page;
    this.clamp();
    this.bringSpeaker();
    return this.view();
  }

  view(): GridView {
    const start = this.page * this.size;
    return { keys: this.order.slice(start, start + this.size), page: this.page, pages: this.pages() };
  }

  private pages(): number { return Math.max(1, Math.ceil(this.order.length / this.size)); }

  private clamp(): void {
    this.page = Math.min(Math.max(0, this.page), this.pages() - 1);
  }

  /** The speaker off this page swaps with this page's least recent speaker (not the user). */
  private bringSpeaker(): void {
    const who = this.speaker;
    if (who === null || who === this.selfKey || this.pages() === 1) return;
    const start = this.page * this.size;
    const end = Math.min(start + this.size, this.order.length);
    const at = this.order.indexOf(who);
    if (at >= start && at < end) return;
    let victim = -1;
    let victimSpoke = Infinity;
    // From the end: among people who never spoke, the last tile of the page goes.
    for (let i = end - 1; i >= start; i--) {
      const k = this.order[i];
      if (k === this.selfKey) continue;
      const t = this.spokeAt.get(k) ?? 0;
      if (t < victimSpoke) { victim = i; victimSpoke = t; }
    }
    if (victim < 0) return;
    this.order[at] = this.order[victim];
    this.order[victim] = who;
  }
}
