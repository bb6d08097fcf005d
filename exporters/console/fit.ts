/** The width of a table when the output is not a terminal (a pipe, a file, a test). */
export const DEFAULT_WIDTH = 120;

/** The narrowest width a table is cut to: below it a row shows too little to be worth it. */
export const MIN_WIDTH = 40;

/** A line cut to `width` characters, its end replaced by an ellipsis: a table row never wraps. */
export function fitLine(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1)).trimEnd()}…`;
}
