import { describe, expect, it } from 'vitest';
import { DiscoveryBoard } from '../../../src/component/discovery-board.js';
import type { ServiceInstance } from '../../../src/component/targets.js';
import { firstStart, phaseOf } from '../../../src/scheduling/phase.js';
import { start } from './run.js';

const instance = (id: string, port: number): ServiceInstance => ({ id, source: 'registry', service: id, host: '127.0.0.1', port, labels: {} });
/** The schedule key of a discovered tcp instance (targets.ts), whose hash places it in its interval. */
const keyOf = (id: string, port: number) => `instance ${id} tcp 127.0.0.1:${port}`;

/** A receiver fed by a registry through the runtime's discovery board, checking every 15 s (the default). */
function withRegistry(setup: Parameters<typeof start>[1] = () => {}) {
  const board = new DiscoveryBoard();
  const run = start({ collection_interval: '15s', targets_from: ['registry'] }, setup, board.forComponent('health_check'));
  return { run, publish: (instances: ServiceInstance[], stale = false) => board.publish('registry', { instances, stale }) };
}

describe('health_check receiver: targets from discovery', () => {
  it('checks an instance registered while running within a second, then at its own phase of the interval', async () => {
    const { run, publish } = withRegistry();
    publish([instance('a', 1)]);
    await run.advance(5000);
    // Without joining at once, b's first check would wait for its phase: more than a second away.
    expect(firstStart(5000, 15_000, phaseOf(keyOf('b', 2), 15_000)) - 5000).toBeGreaterThan(1000);
    publish([instance('a', 1), instance('b', 2)]);
    await run.advance(1000);
    expect(run.points('healthcheck.up', 'b')).toHaveLength(1);
    const first = run.points('healthcheck.up', 'b')[0]!.time;
    await run.advance(40_000);
    const times = run.points('healthcheck.up', 'b').map((point) => point.time);
    expect(times[1]! - first).toBeGreaterThanOrEqual(7500);
    expect(times[1]! % 15_000).toBe(phaseOf(keyOf('b', 2), 15_000));
    expect(times[2]! - times[1]!).toBe(15_000);
  });

  it('closes the check of an instance that left and sends one staleness marker for every series it produced', async () => {
    const { run, publish } = withRegistry((checks) =>
      checks.script(
        'a',
        { state: 'critical', duration: 0.2, errorType: 'network', message: 'connection refused' },
        {
          state: 'ok',
          duration: 0.1,
          httpStatus: 200,
          phases: { connect: 0.01, total: 0.1 },
          perfdata: [{ label: 'load', value: 0.5, unit: '' }],
        },
      ),
    );
    publish([instance('a', 1), instance('b', 2)]);
    await run.advance(31_000);
    const produced = new Set(run.batches.flat().filter((point) => point.series.resource.serviceName === 'a').map((point) => point.series.key));
    publish([instance('b', 2)]);
    expect(run.checks.closed).toEqual(['a']);
    await run.advance(31_000);
    const markers = run.batches.flat().filter((point) => point.stale === true);
    expect(markers.every((marker) => marker.series.resource.serviceName === 'a' && Number.isNaN(marker.value))).toBe(true);
    // Once each: up, duration, state, error (with and without error.type), status code, two phases, perfdata.
    expect(markers.map((marker) => marker.series.key).sort()).toEqual([...produced].sort());
    expect(markers).toHaveLength(9);
    expect(new Set(markers.map((marker) => marker.time)).size).toBe(1);
    // Nothing of a after the markers; b goes on.
    const last = run.batches.findIndex((batch) => batch.some((point) => point.stale === true));
    expect(run.batches.slice(last + 1).flat().some((point) => point.series.resource.serviceName === 'a')).toBe(false);
    expect(run.points('healthcheck.up', 'b').length).toBeGreaterThanOrEqual(4);
  });

  it('sends nothing for an instance that left before its first check', async () => {
    const { run, publish } = withRegistry();
    publish([instance('a', 1)]);
    publish([]);
    await run.advance(20_000);
    expect(run.batches).toEqual([]);
  });

  it('keeps checking the instances of a source that went stale (its registry unreachable), with no marker', async () => {
    const { run, publish } = withRegistry();
    publish([instance('a', 1)]);
    await run.advance(16_000);
    const before = run.points('healthcheck.up', 'a').length;
    publish([instance('a', 1)], true);
    await run.advance(30_000);
    expect(run.points('healthcheck.up', 'a').length - before).toBe(2);
    expect(run.batches.flat().some((point) => point.stale === true)).toBe(false);
    expect(run.checks.closed).toEqual([]);
    expect(run.checks.made).toHaveLength(1);
  });
});
