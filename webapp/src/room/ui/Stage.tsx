// The video grid: every participant's tile, sized by bestGrid() to the space the stage has
// (measured with a ResizeObserver), largest tiles first for 1 to 10 people.
import { useEffect, useRef, useState } from 'preact/hooks';
import { bestGrid } from '../model/gridLayout.js';
import type { Participant } from '../model/types.js';
import { Tile } from './Tile.js';

const GAP = 8;

export function Stage({ participants, speakerKey }: { participants: Participant[]; speakerKey: string | null }) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setSize({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Portrait phones: portrait-ish tiles use the height better for one or two people.
  const portrait = size.h > size.w * 1.2;
  const aspect = portrait && participants.length <= 2 ? 3 / 4 : 4 / 3;
  const g = bestGrid(participants.length, size.w, size.h, aspect, GAP);
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
