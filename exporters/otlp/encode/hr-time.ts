import type { HrTime } from '@opentelemetry/api';

/** Unset, as OTLP means a zero start time: a gauge's points have no start. */
export const NO_TIME: HrTime = [0, 0];

/**
 * Milliseconds since the epoch as an OpenTelemetry `[seconds, nanoseconds]` pair, exact:
 * the split is done on the millisecond integer, never as `ms * 1e6` (a double past 2^53,
 * which rounds to a few hundred ns). A fractional millisecond is rounded to the nanosecond.
 */
export function millisToHrTime(millis: number): HrTime {
  const seconds = Math.floor(millis / 1000);
  let nanos = Math.round((millis - seconds * 1000) * 1_000_000);
  if (nanos >= 1_000_000_000) return [seconds + 1, nanos - 1_000_000_000];
  if (nanos < 0) nanos = 0;
  return [seconds, nanos];
}

/**
 * `millisToHrTime` remembering the last time it converted: the points of a batch mostly
 * share their time (one scrape, one window end), so they share one tuple instead of each
 * allocating its own. The serializers only read the tuples.
 */
export class HrTimeMemo {
  private lastMillis = Number.NaN;
  private last: HrTime = NO_TIME;

  of(millis: number): HrTime {
    if (millis !== this.lastMillis) {
      this.lastMillis = millis;
      this.last = millisToHrTime(millis);
    }
    return this.last;
  }
}
