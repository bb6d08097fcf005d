/** Nagios keeps the last 21 results of a service: at most 20 changes between them. */
export const FLAP_RESULTS = 21;
const MASK = (1 << FLAP_RESULTS) - 1;
const CHANGES = FLAP_RESULTS - 1;

/**
 * Weight of the change between results i and i + 1, oldest first (nagioscore
 * base/flapping.c): 0.75 for the oldest change up to 1.25 for the newest, so a series that
 * changed lately counts as flapping sooner than one whose changes are old.
 */
const WEIGHTS: readonly number[] = Array.from({ length: CHANGES }, (_, i) => 0.75 + (i * 0.5) / (CHANGES - 1));

/**
 * The last 21 results of a series as the bits of one number (1 = at a notified level),
 * newest in bit 0, kept on the series' state itself rather than in an object of its own:
 * recording is a shift and a mask on the per-point path.
 */
export function recordResult(bits: number, notifying: boolean): number {
  return ((bits << 1) | (notifying ? 1 : 0)) & MASK;
}

/**
 * The Nagios weighted change rate, 0 … 100, of `count` recorded results (at most 21):
 * Σ weights of the changes × 100 / 20. Computed only when the bits hold a change.
 */
export function percentChange(bits: number, count: number): number {
  // Bit i of `changes` is set when result i differs from result i + 1 (both recorded).
  let changes = (bits ^ (bits >>> 1)) & ((1 << (Math.min(count, FLAP_RESULTS) - 1)) - 1);
  if (changes === 0) return 0;
  let sum = 0;
  // Bit 0 is the newest change, weight WEIGHTS[19].
  for (let i = 0; changes !== 0; i++, changes >>>= 1) if ((changes & 1) !== 0) sum += WEIGHTS[CHANGES - 1 - i]!;
  return (sum * 100) / CHANGES;
}
