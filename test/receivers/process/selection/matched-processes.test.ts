import { VirtualTimeScheduler } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricBatch } from '../../../../src/model/point.js';
import { ProcessScraper } from '../../../../receivers/process/scraper.js';
import { ProcessMatcher } from '../../../../receivers/process/selection/matcher.js';
import { staticTargets } from '../../../../receivers/process/targets.js';
import { createTestContext } from '../../../helpers/context.js';
import { FakeBackend } from '../fake-backend.js';
import { FakeProc } from './fake-proc.js';

const HOST = { hostname: 'host-a', cores: 2, totalMemory: () => 1000 };
const START = Date.UTC(2024, 0, 1);

let proc: FakeProc;
afterEach(() => proc.cleanUp());

function setUp(selector: Record<string, unknown>) {
  proc = new FakeProc();
  const scheduler = new VirtualTimeScheduler();
  scheduler.frame = START + 600_000;
  const context = createTestContext({ scheduler });
  const backend = new FakeBackend();
  const scraper = new ProcessScraper(backend, context, HOST, new ProcessMatcher({ procRoot: proc.root, selfPid: 1 }));
  const targets = staticTargets([{ service: 'worker', labels: {}, ...selector }]);
  /** A process in the fake /proc and in the backend, with a creation time from its start ticks. */
  const run = (pid: number, comm: string, start: number, argv: string[]) => {
    proc.set(pid, { comm, start, argv });
    backend.set({ pid, creationTime: START + start, executableName: comm });
  };
  const stop = (pid: number) => {
    proc.remove(pid);
    backend.processes.delete(pid);
  };
  return { context, scraper, targets, run, stop, scrape: () => scraper.scrape(targets), advance: (ms: number) => (scheduler.frame += ms) };
}

const live = (batch: MetricBatch) => batch.filter((point) => point.stale !== true);
const stale = (batch: MetricBatch) => batch.filter((point) => point.stale === true);
const pidsOf = (batch: MetricBatch) => [...new Set(batch.map((point) => point.series.resource.attributes['process.pid']))];

describe('processes matched by a selector', () => {
  it('makes each matched process its own instance, identified by PID and creation time', async () => {
    const { scrape, run } = setUp({ command_line: 'worker\\.js' });
    run(100, 'node', 10, ['node', 'worker.js', '--id=1']);
    run(101, 'node', 11, ['node', 'worker.js', '--id=2']);
    run(102, 'node', 12, ['node', 'api.js']);
    const batch = await scrape();
    expect(pidsOf(batch)).toEqual([100, 101]);
    const resources = new Map(batch.map((point) => [point.series.resource.attributes['process.pid'], point.series.resource]));
    expect(resources.get(100)!.attributes['service.instance.id']).toBe('host-a:100');
    expect(resources.get(101)!.attributes['service.instance.id']).toBe('host-a:101');
    // Nothing volatile: PID and creation time are part of the identity.
    expect(resources.get(100)!.identifyingAttributes).toMatchObject({ 'process.pid': 100, 'process.creation.time': new Date(START + 10).toISOString() });
    expect(resources.get(100)!.identity).not.toBe(resources.get(101)!.identity);
  });

  it('closes the series of a process that ended with one stale marker each, once', async () => {
    const { scrape, run, stop, advance } = setUp({ executable: 'node' });
    run(100, 'node', 10, ['node', 'a.js']);
    run(101, 'node', 11, ['node', 'b.js']);
    const first = await scrape();
    const seriesOf101 = first.filter((point) => point.series.resource.attributes['process.pid'] === 101).map((point) => point.series);

    stop(101);
    advance(1000);
    const second = await scrape();
    expect(pidsOf(live(second))).toEqual([100]);
    expect(stale(second).map((point) => point.series)).toEqual(seriesOf101);
    expect(stale(second).every((point) => Number.isNaN(point.value) && point.time === START + 601_000)).toBe(true);

    advance(1000);
    expect(stale(await scrape())).toEqual([]);
  });

  it('treats a PID reused by another program as a new process: the old one leaves, the new one is matched afresh', async () => {
    const { scrape, run } = setUp({ command_line: 'worker' });
    run(100, 'node', 10, ['node', 'worker.js']);
    const first = await scrape();

    // Another program under the same PID, which does not match: the worker has left.
    run(100, 'python3', 50, ['python3', 'report.py']);
    const second = await scrape();
    expect(live(second).filter((point) => point.series.name !== 'process.scrape.error')).toEqual([]);
    expect(stale(second).map((point) => point.series)).toEqual(first.map((point) => point.series));

    // And a new worker under the same PID again: a new instance, new series.
    run(100, 'node', 90, ['node', 'worker.js']);
    const third = await scrape();
    const cpu = live(third).find((point) => point.series.name === 'process.cpu.time')!;
    expect(cpu.series.resource.attributes['process.creation.time']).toBe(new Date(START + 90).toISOString());
    expect(cpu.series.key).not.toBe(first.find((point) => point.series.name === 'process.cpu.time')!.series.key);
  });

  it('says when nothing matches (process.scrape.error, error.type no_match, logged once) and ends that series once something does', async () => {
    const { scrape, run, context } = setUp({ command_line: 'never-running-\\d+' });
    const first = await scrape();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ value: 1, series: { name: 'process.scrape.error', attributes: { 'error.type': 'no_match' } } });
    expect(first[0]!.series.resource.attributes).toEqual({ 'service.name': 'worker', 'service.instance.id': 'host-a:command_line never-running-\\d+' });
    await scrape();
    const warnings = context.logs.records().filter((record) => record.level === 'warn');
    expect(warnings.map((record) => record.message)).toEqual(['no process matches worker (command_line never-running-\\d+)']);
    expect(context.telemetry.counts.refused).toBe(2);

    run(100, 'x', 10, ['never-running-7']);
    const matched = await scrape();
    expect(stale(matched).map((point) => point.series)).toEqual([first[0]!.series]);
    expect(pidsOf(live(matched))).toEqual([100]);
  });

  it('leaves the pipeline out unless exclude_self is off', async () => {
    const excluded = setUp({ command_line: 'agent' });
    excluded.run(1, 'node', 1, ['node', 'agent.js']);
    expect((await excluded.scrape())[0]!.series.attributes).toEqual({ 'error.type': 'no_match' });
    proc.cleanUp();

    const included = setUp({ command_line: 'agent', exclude_self: false });
    included.run(1, 'node', 1, ['node', 'agent.js']);
    expect(pidsOf(await included.scrape())).toEqual([1]);
  });

  it('closes every process of a matching target that leaves the set', async () => {
    const { scraper, scrape, run } = setUp({ executable: 'node' });
    run(100, 'node', 10, ['node', 'a.js']);
    run(101, 'node', 11, ['node', 'b.js']);
    const first = await scrape();
    const left = await scraper.scrape([]);
    expect(left.every((point) => point.stale === true)).toBe(true);
    expect(left.map((point) => point.series)).toEqual(first.map((point) => point.series));
  });
});
