import { asyncScheduler, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { statefulOperator } from '../../src/index.js';
import type { ComponentStorage, EventBatch, MetricBatch } from '../../src/index.js';
import type { ThresholdConfig } from './config.js';
import { PROFILES } from './profiles.js';
import { ruleSchema } from './config.js';
import { CompiledRule } from './rule.js';
import { ThresholdState } from './threshold-state.js';

/** A read-only look at one subscription's state, for tests and self-telemetry. */
export interface ThresholdStateView {
  /** Series × rule states held. */
  readonly liveStates: number;
  readonly timerPending: boolean;
}

export interface ThresholdOptions {
  readonly scheduler?: SchedulerLike;
  /** Called at most once per batch with the number of points of series refused at `max_series`. */
  readonly onDrop?: (count: number) => void;
  /** Handed a live view of each subscription's state when it starts. */
  readonly probe?: (view: ThresholdStateView) => void;
  /** Where levels outlive a restart; without it they live in memory only. */
  readonly storage?: ComponentStorage;
  /** The component id, for errors. */
  readonly component?: string;
}

/** The profile's rules first (through the same schema, for their defaults), then the config's. */
export function compileRules(config: ThresholdConfig): CompiledRule[] {
  const profile = config.profile === undefined ? [] : PROFILES[config.profile].map((rule) => ruleSchema.parse(rule));
  return [...profile, ...config.rules].map((rule, index) => new CompiledRule(index, rule));
}

/**
 * Metric points in, health events out: a level per series and rule, and an event only when
 * it changes. The state lives in the subscription, and with `storage` the last event of
 * each series also in the store, taken up again by the next subscription; nothing is
 * flushed on complete (a level is not a buffer), the timer is cancelled.
 */
export function threshold(config: ThresholdConfig, options: ThresholdOptions = {}): OperatorFunction<MetricBatch, EventBatch> {
  const settings = {
    rules: compileRules(config),
    noData: config.no_data,
    expireAfter: config.expire_after,
    maxSeries: config.max_series,
    flapDetection: config.flap_detection,
    flapHigh: config.flap_high,
    flapLow: config.flap_low,
    window: config.window,
    scheduler: options.scheduler ?? asyncScheduler,
    onDrop: options.onDrop,
    storage: options.storage,
    component: options.component ?? 'threshold',
  };
  return statefulOperator<MetricBatch, EventBatch, ThresholdState>((subscriber) => {
    const state = new ThresholdState(settings, subscriber);
    options.probe?.(state);
    state.start();
    return state;
  });
}
