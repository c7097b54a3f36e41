// The video grid: the tiles of the current page (at most 9, model/paging.ts), sized by
// bestGrid() to the space the stage has (measured with a ResizeObserver), largest tiles first.
// With more than 9 people, Previous/Next turn the pages; the person speaking is always brought
// onto the page shown. People on other pages are still heard: their sound plays in an <audio>
// element each while their tile is not on screen.
import { useEffect, useRef, useState } from 'preact/hooks';
import { LANDSCAPE_ASPECTS, PORTRAIT_ASPECTS, bestGrid } from '../model/gridLayout.js';
import type { GridView } from '../model/paging.js';
import type { Participant } from '../model/types.js';
import { Tile } from './Tile.js';

const GAP = 8;

export interface StageProps {
  participants: Participant[];
  grid: GridView;
  speakerKey: string | null;
  onPrev?: () => void;
  onNext?: () => void;
}

export function Stage({ participants, grid, speakerKey, onPrev, onNext }: StageProps) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // The box inside the stage's padding (which leaves room for the speaker's glow).
    const measure = () => {
      const cs = getComputedStyle(el);
      const px = (v: string) => parseFloat(v) || 0;
      setSize({
        w: el.clientWidth - px(cs.paddingLeft) - px(cs.paddingRight),
        h: el.clientHeight - px(cs.paddingTop) - px(cs.paddingBottom),
      });
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const byKey = new Map(participants.map((p) => [p.key, p]));
  // The page's tiles; before the model placed anyone (or if it lags a render), everyone.
  const shown = grid.keys.length > 0 ? grid.keys.map((k) => byKey.get(k)).filter((p): p is Participant => !!p) : participants.slice(0, 9);
  const onPage = new Set(shown.map((p) => p.key));
  const offPage = participants.filter((p) => !onPage.has(p.key) && !p.isSelf && p.stream);
  const paged = grid.pages > 1;

  const portrait = size.h > size.w * 1.2;
  const g = bestGrid(shown.length, size.w, size.h, portrait ? PORTRAIT_ASPECTS : LANDSCAPE_ASPECTS, GAP);
  const speaking = participants.length > 1 ? speakerKey : null;
  const count = participants.length;
  return (
    <div class="stage-area">
      <div class="stage" ref={box}>
        <div class="grid" style={{ gridTemplateColumns: `repeat(${g.cols}, ${g.tileWidth}px)`, gap: `${GAP}px` }}
          data-count={shown.length} data-page={grid.page} data-pages={grid.pages} role="list"
          aria-label={`${count} ${count === 1 ? 'person' : 'people'} in the call${paged ? `, page ${grid.page + 1} of ${grid.pages}` : ''}`}>
          {shown.map((p) => (
            <div role="listitem" key={p.key} class="cell">
              <Tile p={p} speaking={speaking === p.key} width={g.tileWidth} height={g.tileHeight} />
            </div>
          ))}
        </div>
        {offPage.map((p) => <OffPageAudio key={p.key} p={p} />)}
      </div>
      {paged && (
        <nav class="pager" aria-label="Pages of the video grid">
          <button type="button" class="btn secondary small" id="btn-page-prev" disabled={grid.page === 0} onClick={onPrev}
            aria-label="Previous page of people">‹ Previous</button>
          <span class="pager-label" id="page-label" aria-live="polite">Page {grid.page + 1} of {grid.pages}</span>
          <button type="button" class="btn secondary small" id="btn-page-next" disabled={grid.page >= grid.pages - 1} onClick={onNext}
            aria-label="Next page of people">Next ›</button>
        </nav>
      )}
    </div>
  );
}

/** The sound of someone whose tile is on another page (their tile's video plays it otherwise). */
function OffPageAudio({ p }: { p: Participant }) {
  const el = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const a = el.current;
    if (!a) return;
    if (a.srcObject !== p.stream) a.srcObject = p.stream;
    if (p.stream) a.play().catch(() => undefined);
  }, [p.stream]);
  return <audio ref={el} autoplay data-peer={p.key} class="offpage-audio" />;
}
