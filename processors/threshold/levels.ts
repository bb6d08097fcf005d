import type { Level } from '../../src/index.js';

/** The levels a rule defines, least severe first: the ancestor's three above `info`. */
export const RULE_LEVELS = ['warning', 'error', 'critical'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

/** Levels a rule may notify: its own, and `unknown` (no data, see `no_data`). */
export const NOTIFIABLE_LEVELS = [...RULE_LEVELS, 'unknown'] as const;

/**
 * Levels as small integers, so the per-point path compares numbers: 0 info, 1 warning,
 * 2 error, 3 critical, and 4 for unknown, which is no severity but "no data".
 */
export const INFO = 0;
export const CRITICAL = 3;
export const UNKNOWN = 4;
export const LEVEL_NAMES: readonly Level[] = ['info', 'warning', 'error', 'critical', 'unknown'];

export function levelIndex(level: Level): number {
  return LEVEL_NAMES.indexOf(level);
}
