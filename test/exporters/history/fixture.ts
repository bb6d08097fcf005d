import { SteppingScheduler } from '../../helpers/virtual-time.js';
import { Resource, SeriesSet, type Series } from '../../../src/model/series.js';
import type { MetricPoint } from '../../../src/model/point.js';
import { healthEvent } from '../../../src/model/index.js';
import type { HealthEvent, Level } from '../../../src/model/index.js';
import { historyConfigSchema, type HistoryConfig } from '../../../exporters/history/config.js';

export const SECOND = 1_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

const sets = new Map<string, SeriesSet>();

/** The series of `metric` with `attributes` on a resource of `service` (one resource per service). */
export function seriesOf(service: string, metric: string, attributes: Record<string, string> = {}, unit = 's'): Series {
  let set = sets.get(service);
  if (set === undefined) sets.set(service, (set = new SeriesSet(new Resource({ 'service.name': service, 'service.instance.id': `${service}-1` }))));
  return set.get({ name: metric, unit, kind: 'gauge' }, attributes);
}

export function point(series: Series, time: number, value: number): MetricPoint {
  return { series, time, value };
}

export function config(written: Record<string, unknown> = {}): HistoryConfig {
  return historyConfigSchema.parse(written);
}

export function event(init: { service: string; rule?: string; level: Level; previous?: Level; time: number; fingerprint?: string }): HealthEvent {
  const firing = init.level !== 'info';
  return healthEvent({
    fingerprint: init.fingerprint ?? `${init.service}/${init.rule ?? 'cpu'}`,
    service: init.service,
    rule: init.rule ?? 'cpu',
    level: init.level,
    previousLevel: init.previous ?? 'info',
    value: 0.95,
    threshold: 0.9,
    message: `cpu at ${init.level}`,
    startsAt: init.time,
    ...(firing ? {} : { endsAt: init.time }),
    state: firing ? 'firing' : 'resolved',
    labels: { team: 'payments' },
    time: init.time,
  });
}

/** A deterministic pseudo-random sequence in [0, 1). */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * A SteppingScheduler whose clock reaches the time it is advanced to even when nothing is
 * scheduled there (VirtualTimeScheduler's clock stops at the last action it ran).
 */
export class HistoryClock extends SteppingScheduler {
  override advanceTo(time: number): void {
    this.schedule(() => undefined, time - this.now());
    super.advanceTo(time);
  }
}
