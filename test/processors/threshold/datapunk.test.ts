import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { thresholdConfigSchema } from '../../../processors/threshold/config.js';
import { threshold, type ThresholdStateView } from '../../../processors/threshold/threshold.js';
import type { HealthEvent } from '../../../src/model/event.js';
import type { MetricBatch, MetricPoint } from '../../../src/model/point.js';
import { Resource } from '../../../src/model/series.js';
import { SteppingScheduler } from '../../helpers/virtual-time.js';
import { feed, figure } from './fixtures.js';

const PROFILE = { profile: 'datapunk' };
let instances = 0;

/** A fresh service instance per case, so every case starts at info. */
function instance(): Resource {
  instances++;
  return new Resource({ 'service.name': `svc-${instances}`, 'service.instance.id': `i-${instances}` });
}

/** The level the profile gives one window mean of `metric` (info when no event is raised). */
function levelOf(metric: string, value: number): string {
  const events = feed(PROFILE, [[60_000, [{ series: figure(instance(), metric), value, time: 60_000 }]]]);
  expect(events.length).toBeLessThanOrEqual(1);
  return events[0]?.event.level ?? 'info';
}

/** Connections: one window mean per `network.connection.state`, summed per resource and window. */
function connectionsLevel(byState: Record<string, number>): HealthEvent[] {
  const resource = instance();
  const points: MetricPoint[] = Object.entries(byState).map(([state, value]) => ({
    series: figure(resource, 'process.network.connection.count', { 'network.connection.state': state }),
    value,
    time: 60_000,
  }));
  return feed(PROFILE, [[60_000, points]]).map(({ event }) => event);
}

// DESIGN §1: T = 0.1 error rate, 1.0 s response time, 0.9 memory, 0.8 CPU, 1000 connections;
// critical > 2T / — / > 1.2T (0.97, the one change) / > 1.2T / —; error > T / > 2T / > T / > T / > T;
// warning > 0.5T / > T / > 0.8T / > 0.8T / > 0.8T; strict `>`, first match from critical down.
describe('profile datapunk: the ancestor\'s table over window means', () => {
  it.each([
    // error rate = 1 − mean(healthcheck.up); the window mean of 19 ups in 20 checks is 0.95.
    ['healthcheck.up', 19 / 20, 'info'], // error rate 0.05 = 0.5T: not above it
    ['healthcheck.up', 18 / 20, 'warning'], // 0.1 = T: above 0.5T only
    ['healthcheck.up', 17 / 20, 'error'],
    ['healthcheck.up', 16 / 20, 'error'], // 0.2 = 2T: not above it
    ['healthcheck.up', 15 / 20, 'critical'],
    ['healthcheck.up', 0, 'critical'],
    ['healthcheck.up', 1, 'info'],
    ['healthcheck.duration', 1.0, 'info'],
    ['healthcheck.duration', 1.001, 'warning'],
    ['healthcheck.duration', 2.0, 'warning'],
    ['healthcheck.duration', 2.001, 'error'],
    ['healthcheck.duration', 60, 'error'], // no critical for response time
    ['process.memory.utilization', 0.72, 'info'],
    ['process.memory.utilization', 0.7201, 'warning'],
    ['process.memory.utilization', 0.9, 'warning'],
    ['process.memory.utilization', 0.9001, 'error'],
    ['process.memory.utilization', 0.97, 'error'],
    ['process.memory.utilization', 0.9701, 'critical'],
    ['process.cpu.utilization', 0.64, 'info'],
    ['process.cpu.utilization', 0.6401, 'warning'],
    ['process.cpu.utilization', 0.8, 'warning'],
    ['process.cpu.utilization', 0.8001, 'error'],
    ['process.cpu.utilization', 0.96, 'error'],
    ['process.cpu.utilization', 0.9601, 'critical'],
    ['process.thread.count', 1e9, 'info'], // not a figure of the table
  ])('%s mean %d → %s', (metric, value, level) => {
    expect(levelOf(metric, value)).toBe(level);
  });

  it('sums connections over their states for the same resource and window', () => {
    expect(connectionsLevel({ established: 500, time_wait: 300 })).toEqual([]);
    expect(connectionsLevel({ established: 500, time_wait: 301 }).map((e) => e.level)).toEqual(['warning']);
    expect(connectionsLevel({ established: 600, time_wait: 300, close_wait: 100 }).map((e) => e.level)).toEqual(['warning']);
    const [event] = connectionsLevel({ established: 900, time_wait: 101 });
    expect(event).toMatchObject({ level: 'error', value: 1001, rule: 'connections', threshold: 1000 });
    // The sum is one alert per instance: the state it summed over is not in its identity.
    expect(Object.keys(event!.labels)).not.toContain('network.connection.state');
  });

  it('notifies error and critical only: warning changes go out as resolved', () => {
    const series = figure(instance(), 'process.cpu.utilization');
    const events = feed(PROFILE, [0.7, 0.85, 0.99, 0.7, 0.1].map((value, i) => [(i + 1) * 60_000, [{ series, value, time: (i + 1) * 60_000 }]] as [number, MetricBatch]));
    expect(events.map(({ event }) => `${event.level} ${event.state}`)).toEqual([
      'warning resolved',
      'error firing',
      'critical firing',
      'warning resolved',
      'info resolved',
    ]);
  });

  it('reports the error rate, not the up ratio, as the value', () => {
    const [event] = feed(PROFILE, [[60_000, [{ series: figure(instance(), 'healthcheck.up'), value: 0.7, time: 60_000 }]]]);
    expect(event!.event).toMatchObject({ rule: 'error_rate', level: 'critical', value: 0.3, threshold: 0.2, thresholdText: '0.2' });
    expect(event!.event.message).toBe('1 − healthcheck.up mean 0.3 above 0.2');
  });
});

// DESIGN §1, "Bugs of the original": each where it touches threshold, with what the
// ancestor's logic would have done.
describe('profile datapunk: the ancestor\'s bugs', () => {
  it('response time is read (the ancestor always had 0, so never raised)', () => {
    expect(levelOf('healthcheck.duration', 2.5)).toBe('error');
  });

  it('the error rate includes the current check: the window holding the failures raises at its own end, not a cycle later', () => {
    const series = figure(instance(), 'healthcheck.up');
    const events = feed(PROFILE, [
      [60_000, [{ series, value: 1, time: 60_000 }]],
      [120_000, [{ series, value: 0.5, time: 120_000 }]],
    ]);
    expect(events.map(({ at, event }) => `${at} ${event.level}`)).toEqual(['120000 critical']);
  });

  it('CPU is a 0..1 utilization that can raise (the ancestor read 0 every time)', () => {
    expect(levelOf('process.cpu.utilization', 0.85)).toBe('error');
  });

  it('memory can be critical (1.2 × 0.9 = 1.08 could never be reached)', () => {
    expect(levelOf('process.memory.utilization', 0.98)).toBe('critical');
  });

  it('a missing or failing figure raises nothing and zeroes nothing: the others are judged alone', () => {
    const resource = instance();
    const cpu = figure(resource, 'process.cpu.utilization');
    const memory = figure(resource, 'process.memory.utilization');
    const events = feed(PROFILE, [
      [60_000, [{ series: cpu, value: 0.85, time: 60_000 }, { series: memory, value: 0.95, time: 60_000 }]],
      // Memory could not be read in this window: no point, so no level change for it.
      [120_000, [{ series: cpu, value: 0.85, time: 120_000 }]],
      [180_000, [{ series: cpu, value: 0.85, time: 180_000 }, { series: memory, value: 0.95, time: 180_000 }]],
    ]);
    expect(events.map(({ event }) => `${event.rule} ${event.level}`)).toEqual(['cpu error', 'memory error']);
  });

  it('state of services that left is freed (the ancestor kept their history for ever)', () => {
    const scheduler = new SteppingScheduler();
    const input = new Subject<MetricBatch>();
    let view: ThresholdStateView | undefined;
    input.pipe(threshold(thresholdConfigSchema.parse({ ...PROFILE, expire_after: '1h' }), { scheduler, probe: (v) => (view = v) })).subscribe();
    input.next([{ series: figure(instance(), 'healthcheck.up'), value: 1, time: 0 }]);
    expect(view!.liveStates).toBe(1);
    scheduler.advanceTo(3_600_000);
    expect(view!.liveStates).toBe(0);
  });

  it('raw error text never becomes identity: the same alert whatever the message, bounded in length', () => {
    const series = figure(instance(), 'healthcheck.up');
    const events = feed(PROFILE, [
      [60_000, [{ series, value: 0.5, time: 60_000, message: 'connect ECONNREFUSED 10.0.0.1:8080' }]],
      [120_000, [{ series, value: 1, time: 120_000, message: 'HTTP 200' }]],
      [180_000, [{ series, value: 0.5, time: 180_000, message: `read ETIMEDOUT ${'y'.repeat(3000)}` }]],
    ]).map(({ event }) => event);
    expect(new Set(events.map((event) => event.fingerprint)).size).toBe(1);
    for (const event of events) expect(Object.values(event.labels).join(' ')).not.toMatch(/ECONN|ETIMEDOUT|HTTP/);
    expect(events[2]!.message!.length).toBeLessThanOrEqual(1024);
  });

  it('times are epoch milliseconds from the window end (the ancestor used naive local timestamps)', () => {
    const end = Date.UTC(2026, 10, 29, 12, 1, 0);
    const [event] = feed(PROFILE, [[0, [{ series: figure(instance(), 'healthcheck.up'), value: 0, time: end }]]]);
    expect(new Date(event!.event.startsAt).toISOString()).toBe('2026-11-29T12:01:00.000Z');
  });
});
