// The points of one batch mostly share their time (a window's figures are all stamped with its
// end): the last time's text is remembered, so a batch of 5,000 figures formats one Date, not 5,000.
let lastMs = Number.NaN;
let lastIso = '';

/** `new Date(ms).toISOString()`, remembered for the last `ms` asked. Throws as it does for an invalid time. */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
