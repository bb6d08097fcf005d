import { NEVER, map, type Observable, type ObservableInput, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';
import type { MetricBatch } from '../../src/model/point.js';
import { Resource, SeriesSet } from '../../src/model/series.js';
import type { CheckContext, ScheduledTarget, TargetScheduleOptions } from '../../src/scheduling/index.js';
import { CountingTelemetry } from '../../src/telemetry/counters.js';

export interface Target extends ScheduledTarget {
  readonly key: string;
}

const series = new SeriesSet(new Resource({ 'service.name': 'svc' }));

/** One point: 1 for a check that answered, 0 for a timeout, -1 for an error. */
export function result(key: string, value: number): MetricBatch {
  return [{ series: series.get({ name: 'check.up', unit: '1', kind: 'gauge' }, { key }), value, time: 0 }];
}
export const ok = (key: string) => result(key, 1);
export const timedOut = (key: string) => result(key, 0);
export const failed = (key: string) => result(key, -1);

/** A batch as `key:value` pairs, so marble diagrams compare short strings, not series objects. */
export function described(): OperatorFunction<MetricBatch, string> {
  return map((batch) => batch.map((point) => `${String(point.series.attributes['key'])}:${point.value}`).join(' '));
}
export type { Observable };

export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** Every check started: whose, and with what context. */
export interface Start {
  readonly key: string;
  readonly check: CheckContext;
}

/**
 * Options whose collect records each start and runs `check(target)` (never ending unless
 * told otherwise); a timeout yields `timedOut(key)`, an error `failed(key)`.
 */
export function recording(
  scheduler: SchedulerLike,
  settings: Partial<TargetScheduleOptions<Target>> & { check?: (target: Target, check: CheckContext) => ObservableInput<MetricBatch> },
) {
  const telemetry = new CountingTelemetry();
  const starts: Start[] = [];
  const removed: string[] = [];
  const { check = () => NEVER, ...rest } = settings;
  const options: TargetScheduleOptions<Target> = {
    interval: 10,
    timeout: 5,
    scheduler,
    telemetry,
    collect: (target, context) => {
      starts.push({ key: target.key, check: context });
      return check(target, context);
    },
    onTimeout: (target) => timedOut(target.key),
    onError: (target) => failed(target.key),
    onRemove: (target) => {
      removed.push(target.key);
    },
    ...rest,
  };
  const startTimes = (key: string) => starts.filter((start) => start.key === key).map((start) => start.check.started);
  return { options, telemetry, starts, removed, startTimes };
}
