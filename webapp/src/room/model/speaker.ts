// Who is speaking, from audio levels sampled a few times a second: the loudest voice above a
// threshold, kept for a moment after it falls silent and not taken over by a voice that is only
// slightly louder, so the highlight does not flicker between people. Pure, so it is unit-tested.

export interface SpeakerOptions {
  /** RMS level (0..1) below which a stream counts as silent. */
  threshold: number;
  /** How long the highlight stays after the speaker falls silent. */
  holdMs: number;
  /** A new speaker must be this many times louder than the current one to take over. */
  switchRatio: number;
}

export const DEFAULT_SPEAKER_OPTIONS: SpeakerOptions = { threshold: 0.02, holdMs: 1200, switchRatio: 1.5 };

export class SpeakerPicker {
  private current: string | null = null;
  private lastHeard = 0;

  constructor(private readonly o: SpeakerOptions = DEFAULT_SPEAKER_OPTIONS) {}

  update(levels: ReadonlyMap<string, number>, now: number): string | null {
    let loudest: string | null = null;
    let loudestLevel = 0;
    for (const [id, level] of levels) {
      if (level >= this.o.threshold && level > loudestLevel) { loudest = id; loudestLevel = level; }
    }
    const currentLevel = this.current !== null ? levels.get(this.current) ?? 0 : 0;
    if (this.current !== null && !levels.has(this.current)) this.current = null;
    if (loudest !== null) {
      const keep = this.current !== null && currentLevel >= this.o.threshold && loudestLevel < currentLevel * this.o.switchRatio;
      if (!keep) this.current = loudest;
      this.lastHeard = now;
    } else if (this.current !== null && now - this.lastHeard > this.o.holdMs) {
      this.current = null;
    }
    return this.current;
  }
}
