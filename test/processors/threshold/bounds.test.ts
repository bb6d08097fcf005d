import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { thresholdConfigSchema } from '../../../processors/threshold/config.js';
import { threshold, type ThresholdStateView } from '../../../processors/threshold/threshold.js';
import type { EventBatch } from '../../../src/model/event.js';
import type { MetricBatch } from '../../../src/model/point.js';
import { Resource } from '../../../src/model/series.js';
import { SteppingScheduler } from '../../helpers/virtual-time.js';
import { apiLatency, at, dbLatency, figure, latencyRule, thresholdOperator } from './fixtures.js';

function harness(config: Record<string, unknown>) {
  const scheduler = new SteppingScheduler();
  const input = new Subject<MetricBatch>();
  const events: EventBatch[] = [];
  const drops: number[] = [];
  let view: ThresholdStateView | undefined;
  const subscription = input
    .pipe(threshold(thresholdConfigSchema.parse(config), { scheduler, onDrop: (count) => drops.push(count), probe: (v) => (view = v) }))
    .subscribe((batch) => events.push(batch));
  return { scheduler, input, events, drops, view: () => view!, subscription };
}

describe('threshold processor: bounded, expiring state', () => {
  it('holds at most max_series states; points of further new series are dropped and counted', () => {
    const { input, events, drops, view } = harness({ rules: [latencyRule()], max_series: 1 });
    input.next([at(apiLatency, 0.7, 0), at(dbLatency, 0.7, 0), at(dbLatency, 0.7, 1)]);
    expect(view().liveStates).toBe(1);
    expect(drops).toEqual([2]);
    expect(events.flat().map((event) => event.service)).toEqual(['api']);
  });

  it('counts a drop through the component telemetry and logs it once', () => {
    const scheduler = new SteppingScheduler();
    const { operator, ctx } = thresholdOperator({ rules: [latencyRule()], max_series: 1 }, scheduler);
    const input = new Subject<MetricBatch>();
    input.pipe(operator).subscribe();
    input.next([at(apiLatency, 0.7, 0), at(dbLatency, 0.7, 0)]);
    input.next([at(dbLatency, 0.7, 10)]);
    expect(ctx.telemetry.counts.dropped).toBe(2);
    expect(ctx.logs.records().filter((record) => String(record['msg'] ?? record['message']).includes('max_series'))).toHaveLength(1);
  });

  it('forgets series silent for expire_after, and takes new ones again', () => {
    const { scheduler, input, view, drops } = harness({ rules: [latencyRule()], max_series: 1, expire_after: '1m' });
    input.next([at(apiLatency, 0.1, 0)]);
    expect(view().liveStates).toBe(1);
    expect(view().timerPending).toBe(true);
    scheduler.advanceTo(60_000);
    expect(view().liveStates).toBe(0);
    expect(view().timerPending).toBe(false);
    input.next([at(dbLatency, 0.1, 60_000)]);
    expect(view().liveStates).toBe(1);
    expect(drops).toEqual([]);
  });

  it('keeps one state per series content: a restarted receiver\'s new Series objects (new PID) continue it', () => {
    const { input, events, view } = harness({ rules: [latencyRule()] });
    input.next([at(apiLatency, 0.7, 0)]);
    const restarted = figure(
      new Resource({ 'service.name': 'api', 'service.instance.id': 'api-1', 'process.pid': 777 }, { volatile: ['process.pid'] }),
      'healthcheck.duration',
    );
    expect(restarted).not.toBe(apiLatency);
    input.next([at(restarted, 0.7, 10)]);
    input.next([at(restarted, 0.1, 20)]);
    expect(view().liveStates).toBe(1);
    const all = events.flat();
    expect(all.map((event) => `${event.previousLevel}→${event.level}`)).toEqual(['info→error', 'error→info']);
    expect(all[0]!.fingerprint).toBe(all[1]!.fingerprint);
  });

  it('releases its timer and state when unsubscribed', () => {
    const { input, view, subscription } = harness({ rules: [latencyRule()], no_data: '1m' });
    input.next([at(apiLatency, 0.7, 0)]);
    expect(view().timerPending).toBe(true);
    subscription.unsubscribe();
    expect(view().timerPending).toBe(false);
    expect(view().liveStates).toBe(0);
  });
});
