import { HistorySketch, RollupFigures } from '../../src/index.js';

/**
 * One series' rollup of one minute or hour as the writer holds it: the same figures as the
 * row, so the row is written whole (an upsert) without being read first.
 */
export class RollupCell extends RollupFigures {
  /** Changed since it was last written. */
  dirty = false;

  constructor(
    readonly bucket: number,
    readonly sketch: HistorySketch = new HistorySketch(),
  ) {
    super();
  }

  add(time: number, value: number): void {
    this.addValue(time, value);
    this.sketch.add(value);
    this.dirty = true;
  }
}

/** A cell as stored: the row's columns in order. */
export type RollupRow = [count: number, sum: number, min: number, max: number, last: number, lastTime: number, sketch: Buffer];

export function cellOfRow(bucket: number, row: RollupRow): RollupCell {
  const cell = new RollupCell(bucket, HistorySketch.decode(row[6]));
  cell.addFigures(...(row.slice(0, 6) as [number, number, number, number, number, number]));
  return cell;
}
