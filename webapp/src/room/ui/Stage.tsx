// The video grid: every participant's tile, sized by bestGrid() to the space the stage has
// (measured with a ResizeObserver), largest tiles first for 1 to 10 people.
import { useEffect, useRef, useState } from 'preact/hooks';
import { LANDSCAPE_ASPECTS, PORTRAIT_ASPECTS, bestGrid } from '../model/gridLayout.js';
import type { Participant } from '../model/types.js';
import { Tile } from './Tile.js';

const GAP = 8;

export function Stage({ participants, speakerKey }: { participants: Participant[]; speakerKey: string | null }) {
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

  const portrait = size.h > size.w * 1.2;
  const g = bestGrid(participants.length, size.w, size.h, portrait ? PORTRAIT_ASPECTS : LANDSCAPE_ASPECTS, GAP);
  const speaking = participants.length > 1 ? speakerKey : null;
  return (
    <div class="stage" ref={box}>
      <div class="grid" style={{ gridTemplateColumns: `repeat(${g.cols}, ${g.tileWidth}px)`, gap: `${GAP}px` }}
        data-count={participants.length} role="list" aria-label={`${participants.length} ${participants.length === 1 ? 'person' : 'people'} in the call`}>
        {participants.map((p) => (
          <div role="listitem" key={p.key} class="cell">
            <Tile p={p} speaking={speaking === p.key} width={g.tileWidth} height={g.tileHeight} />
          </div>
        ))}
      </div>
    </div>
  );
}
