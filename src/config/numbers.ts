import { z } from 'zod';

export interface IntegerBounds {
  readonly min: number;
  readonly max: number;
  /** Why nothing larger makes sense, said in the problem: "Linux PIDs never exceed …". */
  readonly maxReason: string;
}

/**
 * A whole number between two bounds; a larger one is refused with the reason, so a typo
 * (`pid: 99999999999`) is a problem at load, not a target that can never exist. The
 * maximum is recorded for the generated docs (`1 … 65535`).
 */
export function boundedInt(bounds: IntegerBounds) {
  return z
    .int()
    .min(bounds.min)
    .superRefine((value, ctx) => {
      if (value > bounds.max) ctx.addIssue({ code: 'custom', message: `expected at most ${bounds.max}: ${bounds.maxReason}` });
    })
    .meta({ maximum: bounds.max });
}

/** Linux's `pid_max` can be raised to 2^22 and no further (`PID_MAX_LIMIT`); PIDs are handed out below it. */
export const MAX_PID = 2 ** 22;

/** A process id. */
export function pid() {
  return boundedInt({ min: 1, max: MAX_PID, maxReason: `Linux PIDs never exceed ${MAX_PID} (pid_max is at most 2^22)` });
}

/** A TCP or UDP port. */
export function port() {
  return boundedInt({ min: 1, max: 65_535, maxReason: 'TCP and UDP ports are 1 to 65535' });
}
