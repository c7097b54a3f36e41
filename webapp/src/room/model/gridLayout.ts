// The video grid's shape: for n tiles in a W×H box, the column count that gives the largest
// tiles, each tile as large as its cell allows within an aspect-ratio range (video is cropped
// to fill it, as phone apps do). Pure, so it is unit-tested.

export interface GridShape { cols: number; rows: number; tileWidth: number; tileHeight: number }

export interface AspectRange { min: number; max: number }

/** Landscape boxes: from about square to 4:3, the camera's own shape. */
export const LANDSCAPE_ASPECTS: AspectRange = { min: 0.9, max: 4 / 3 };
/** Portrait boxes (phones): tall tiles down to 9:16 use the screen better. */
export const PORTRAIT_ASPECTS: AspectRange = { min: 9 / 16, max: 4 / 3 };

export function bestGrid(n: number, width: number, height: number, aspects: AspectRange = LANDSCAPE_ASPECTS, gap = 8): GridShape {
  const count = Math.max(1, Math.floor(n));
  let best: GridShape = { cols: 1, rows: count, tileWidth: 0, tileHeight: 0 };
  let bestArea = 0;
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    let w = (width - gap * (cols - 1)) / cols;
    let h = (height - gap * (rows - 1)) / rows;
    if (w <= 0 || h <= 0) continue;
    if (w / h > aspects.max) w = h * aspects.max;
    if (w / h < aspects.min) h = w / aspects.min;
    const area = w * h;
    // Clearly larger only: on a tie the fewer columns win.
    if (area > bestArea * 1.01) {
      bestArea = area;
      best = { cols, rows, tileWidth: Math.floor(w), tileHeight: Math.floor(h) };
    }
  }
  return best;
}
