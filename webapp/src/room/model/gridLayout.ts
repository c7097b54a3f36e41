// The video grid's shape: for n tiles of one aspect ratio in a W×H box, the column count that
// makes the tiles largest (Jitsi and getaroom do the same search). Pure, so it is unit-tested.

export interface GridShape { cols: number; rows: number; tileWidth: number; tileHeight: number }

export function bestGrid(n: number, width: number, height: number, aspect = 4 / 3, gap = 8): GridShape {
  const count = Math.max(1, Math.floor(n));
  const w = Math.max(0, width);
  const h = Math.max(0, height);
  let best: GridShape = { cols: 1, rows: count, tileWidth: 0, tileHeight: 0 };
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const cellW = (w - gap * (cols - 1)) / cols;
    const cellH = (h - gap * (rows - 1)) / rows;
    if (cellW <= 0 || cellH <= 0) continue;
    const tileWidth = Math.min(cellW, cellH * aspect);
    const tileHeight = tileWidth / aspect;
    if (tileWidth > best.tileWidth + 0.5) best = { cols, rows, tileWidth: Math.floor(tileWidth), tileHeight: Math.floor(tileHeight) };
  }
  return best;
}
