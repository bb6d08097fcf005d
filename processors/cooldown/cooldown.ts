import type { OperatorFunction } from 'rxjs';
import { statefulOperator } from '../../src/index.js';
import type { EventBatch } from '../../src/index.js';
import { CooldownState, type CooldownSettings } from './cooldown-state.js';

/** A read-only look at one subscription's state, for tests. */
export interface CooldownStateView {
  /** Alerts held now (firing, muted, or resolved and not yet expired). */
  readonly size: number;
  /** Entries in the timer queue, stale ones included: bounded by the alerts, not by the events. */
  readonly scheduled: number;
}

export interface CooldownOptions extends CooldownSettings {
  /** Handed a live view of each subscription's state when it starts. */
  readonly probe?: (view: CooldownStateView) => void;
}

function checkOptions(options: CooldownOptions): void {
  if (!(Number.isFinite(options.period) && options.period > 0)) throw new RangeError(`cooldown: period must be a positive number of ms, got ${options.period}`);
  if (!(options.repeatInterval === undefined || options.repeatInterval >= options.period)) {
    throw new RangeError(`cooldown: repeat_interval must be at least period, got ${options.repeatInterval}`);
  }
  if (!(Number.isInteger(options.maxAlerts) && options.maxAlerts > 0)) throw new RangeError(`cooldown: max_alerts must be a positive integer, got ${options.maxAlerts}`);
}

/**
 * Debounces health events per fingerprint + level (DESIGN §3, "Cooldown: repeat versus new
 * alert"). Each subscription loads the alerts a previous one left in the store, so a
 * restart neither repeats an alert inside its cooldown nor forgets one that fires. On
 * complete nothing is held back: every decision was emitted or stored as it was made.
 */
export function cooldown(options: CooldownOptions): OperatorFunction<EventBatch, EventBatch> {
  checkOptions(options);
  return statefulOperator<EventBatch, EventBatch, CooldownState>((subscriber) => {
    const state = new CooldownState(options, subscriber);
    options.probe?.(state);
    state.start();
    return state;
  });
}
