/** Nagios keeps the last 21 results of a service: at most 20 changes between them. */
const RESULTS = 21;
const MASK = (1 << RESULTS) - 1;
const CHANGES = RESULTS - 1;

/**
 * Weight of the change between results i and i + 1, oldest first (nagioscore
 * base/flapping.c): 0.75 for the oldest change up to 1.25 for the newest, so a series that
 * changed lately counts as flapping sooner than one whose changes are old.
 */
const WEIGHTS: readonly number[] = Array.from({ length: CHANGES }, (_, i) => 0.75 + (i * 0.5) / (CHANGES - 1));

/**
 * The last 21 results of one series as bits (1 = at a notified level), newest in bit 0, and
 * the Nagios weighted change rate over them: Σ weights of the changes × 100 / 20. Two
 * numbers per series; the rate is computed only when the bits hold a change.
 */
export class FlapHistory {
  private bits = 0;
  private count = 0;

  record(notifying: boolean): void {
    this.bits = ((this.bits << 1) | (notifying ? 1 : 0)) & MASK;
    if (this.count < RESULTS) this.count++;
  }

  /** Percent state change, 0 … 100. */
  percent(): number {
    // Bit i of `changes` is set when result i differs from result i + 1 (both recorded).
    let changes = (this.bits ^ (this.bits >>> 1)) & ((1 << (this.count - 1)) - 1);
    if (changes === 0) return 0;
    let sum = 0;
    // Bit 0 is the newest change, weight WEIGHTS[19].
    for (let i = 0; changes !== 0; i++, changes >>>= 1) if ((changes & 1) !== 0) sum += WEIGHTS[CHANGES - 1 - i]!;
    return (sum * 100) / CHANGES;
  }
}
