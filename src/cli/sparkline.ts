/** Eight heights, lowest first; a step without data is a space, so a gap reads as one. */
const BARS = '▁▂▃▄▅▆▇█';
const GAP = ' ';

/**
 * One line of Unicode bars for `values` (undefined = no data), scaled from their minimum to
 * their maximum; at most `width` characters: when there are more values, each character
 * stands for a run of them and shows its highest, so a short spike is never averaged away.
 */
export function sparkline(values: ReadonlyArray<number | undefined>, width: number): string {
  const cells = Math.max(1, Math.min(values.length, Math.floor(width)));
  const perCell = values.length / cells;
  const highs: Array<number | undefined> = [];
  for (let cell = 0; cell < cells; cell += 1) {
    let high: number | undefined;
    for (let index = Math.floor(cell * perCell); index < Math.floor((cell + 1) * perCell); index += 1) {
      const value = values[index];
      if (value !== undefined && Number.isFinite(value) && (high === undefined || value > high)) high = value;
    }
    highs.push(high);
  }
  const present = highs.filter((value): value is number => value !== undefined);
  if (present.length === 0) return GAP.repeat(values.length === 0 ? 0 : cells);
  let min = Infinity;
  let max = -Infinity;
  for (const value of present) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  const top = BARS.length - 1;
  return highs
    .map((value) => {
      if (value === undefined) return GAP;
      // A flat line sits in the middle: neither "nothing" nor "everything".
      if (max === min) return BARS[Math.floor(top / 2)]!;
      return BARS[Math.round(((value - min) / (max - min)) * top)]!;
    })
    .join('');
}
