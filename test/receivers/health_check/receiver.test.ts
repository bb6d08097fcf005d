import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ServiceInstance, TargetSet } from '../../../src/component/targets.js';
import { start, subscription, tcp } from './run.js';

describe('health_check receiver', () => {
  it('emits up, duration, error and state on every check, on the target resource, with the message on up and state', async () => {
    const run = start({ targets: [tcp('db', 5432, { labels: { team: 'data', 'service.name': 'spoofed' } })] }, (checks) =>
      checks.script('db', { state: 'warning', duration: 0.25, message: 'slow\nanswer' }),
    );
    await run.advance(3000);
    const up = run.points('healthcheck.up');
    expect(up).toHaveLength(3);
    expect(up[0]).toMatchObject({ value: 1, message: 'slow answer' });
    expect(run.points('healthcheck.duration')[0]!.value).toBe(0.25);
    const error = run.points('healthcheck.error')[0]!;
    expect(error.value).toBe(0);
    expect(error.series.attributes).toEqual({});
    expect(run.points('healthcheck.state')[0]).toMatchObject({ value: 1, message: 'slow answer' });
    expect(run.points('healthcheck.duration')[0]!.message).toBeUndefined();
    expect(up[0]!.series.resource.attributes).toEqual({ team: 'data', 'service.name': 'db', 'service.instance.id': '127.0.0.1:5432' });
    // One series per metric and target, reused by every check.
    expect(new Set(up.map((point) => point.series)).size).toBe(1);
    expect(run.checks.made).toHaveLength(1);
    expect(run.context.telemetry.counts.accepted).toBe(12);
  });

  it('records a check cut at its timeout as critical with error.type timeout, aborts it, and ignores its late answer', async () => {
    const run = start({ timeout: '300ms', failure_threshold: 1, targets: [tcp('db')] }, (checks) =>
      checks.script('db', 'late', { state: 'ok', duration: 0.01 }),
    );
    await run.advance(1000);
    expect(run.checks.signals[0]!.aborted).toBe(true);
    const error = run.points('healthcheck.error');
    expect(error).toHaveLength(1);
    expect(error[0]!.value).toBe(1);
    expect(error[0]!.series.attributes).toEqual({ 'error.type': 'timeout' });
    expect(run.points('healthcheck.up')[0]).toMatchObject({ value: 0, message: 'no answer within 300ms' });
    expect(run.points('healthcheck.duration')[0]!.value).toBe(0.3);
    expect(run.points('healthcheck.state')[0]!.value).toBe(2);
    expect(run.context.telemetry.counts.timedOut).toBe(1);
    await run.advance(1000);
    expect(run.points('healthcheck.up').map((point) => point.value)).toEqual([0, 1]);
    // Had the late ok counted, this second ok would have met success_threshold (2).
    expect(run.points('healthcheck.state').map((point) => point.value)).toEqual([2, 2]);
  });

  it('debounces healthcheck.state by failure_threshold and success_threshold while up follows every result', async () => {
    const ok = { state: 'ok', duration: 0.01 } as const;
    const critical = { state: 'critical', duration: 0.01, errorType: 'connection_refused', message: 'connection refused' } as const;
    const run = start({ targets: [tcp('db')] }, (checks) => checks.script('db', ok, critical, critical, critical, ok, ok, ok));
    await run.advance(7000);
    expect(run.points('healthcheck.up').map((point) => point.value)).toEqual([1, 0, 0, 0, 1, 1, 1]);
    expect(run.points('healthcheck.state').map((point) => point.value)).toEqual([0, 0, 0, 2, 2, 0, 0]);
    const errors = run.points('healthcheck.error');
    expect(errors.map((point) => [point.value, point.series.attributes['error.type']])).toEqual([
      [0, undefined],
      [1, 'connection_refused'],
      [1, 'connection_refused'],
      [1, 'connection_refused'],
      [0, undefined],
      [0, undefined],
      [0, undefined],
    ]);
  });

  it('keeps the other targets reporting when one check hangs or breaks, and never errors the stream', async () => {
    const run = start({ targets: [tcp('hangs', 1), tcp('broken', 2), tcp('fine', 3)] }, (checks) => {
      checks.script('hangs', 'hang');
      checks.script('broken', 'throw');
    });
    await run.advance(3000);
    expect(run.points('healthcheck.up', 'fine').map((point) => point.value)).toEqual([1, 1, 1]);
    expect(run.points('healthcheck.up', 'hangs').map((point) => point.value)).toEqual([0, 0, 0]);
    const broken = run.points('healthcheck.error', 'broken');
    expect(broken.map((point) => point.series.attributes['error.type'])).toEqual(['network', 'network', 'network']);
    expect(run.points('healthcheck.state', 'broken')[0]!.value).toBe(3);
    // Logged once, not per check.
    expect(run.context.logs.records().filter((record) => record.level === 'error')).toHaveLength(1);
  });

  it('emits the http details and perfdata of a result, with units and labels', async () => {
    const run = start({ targets: [tcp('web')] }, (checks) =>
      checks.script('web', {
        state: 'ok',
        duration: 0.05,
        httpStatus: 204,
        phases: { dns: 0.001, connect: 0.002, total: 0.05 },
        certRemaining: 86_400,
        perfdata: [
          { label: 'time', value: 0.04, unit: 's' },
          { label: 'procs', value: 82, unit: '' },
          { label: 'sent', value: 10, unit: '{count}' },
        ],
      }),
    );
    await run.advance(1000);
    expect(run.points('healthcheck.http.status_code')[0]!.value).toBe(204);
    expect(run.points('healthcheck.http.phase.duration').map((point) => [point.series.attributes['phase'], point.value])).toEqual([
      ['dns', 0.001],
      ['connect', 0.002],
      ['total', 0.05],
    ]);
    expect(run.points('healthcheck.tls.cert.remaining')[0]!.value).toBe(86_400);
    const perfdata = run.points('healthcheck.perfdata');
    expect(perfdata.map((point) => [point.series.attributes['label'], point.value, point.series.unit, point.series.kind])).toEqual([
      ['time', 0.04, 's', 'gauge'],
      ['procs', 82, '1', 'gauge'],
      ['sent', 10, '{count}', 'sum'],
    ]);
  });

  it("cleans messages with the target's secrets and never puts them in the instance id", async () => {
    const run = start(
      {
        targets: [
          {
            service: 'pg',
            exec: { command: ['check_pgsql', '--url=postgres://watcher:hunter22@db/x'], env: { PGPASSWORD: 's3cr3t-pass', LANG: 'C' } },
          },
        ],
      },
      (checks) => checks.script('pg', { state: 'critical', duration: 0.01, message: 'login s3cr3t-pass refused for postgres://watcher:hunter22@db' }),
    );
    await run.advance(1000);
    const up = run.points('healthcheck.up')[0]!;
    expect(up.message).toBe('login *** refused for postgres://***@db');
    expect(up.series.resource.attributes['service.instance.id']).toBe('check_pgsql --url=postgres://***@db/x');
    expect(run.checks.made[0]!.secrets).toEqual(expect.arrayContaining(['s3cr3t-pass', 'hunter22']));
    expect(run.checks.made[0]!.secrets).not.toContain('C');
  });

  it("cleans an http target's message of its URL password as decoded, not only as written", async () => {
    const run = start(
      { targets: [{ service: 'api', http: { url: 'http://watcher:p%40ss-w0rd@127.0.0.1:8080/health' } }] },
      (checks) => checks.script('api', { state: 'critical', duration: 0.01, message: 'login p@ss-w0rd refused' }),
    );
    await run.advance(1000);
    expect(run.points('healthcheck.up')[0]!.message).toBe('login *** refused');
  });

  it('makes a check once per discovered target, closes it and frees its state when the target leaves, and closes the rest at stop', async () => {
    const targets$ = new Subject<TargetSet>();
    const instance = (id: string, port: number): ServiceInstance => ({ id, source: 'registry', service: id, host: '127.0.0.1', port, labels: {} });
    const critical = { state: 'critical', duration: 0.01 } as const;
    const run = start(
      { targets_from: ['registry'], failure_threshold: 3 },
      (checks) => {
        checks.script('a', { state: 'ok', duration: 0.01 }, critical);
        checks.script('b', { state: 'ok', duration: 0.01 });
      },
      targets$,
    );
    targets$.next([instance('a', 1), instance('b', 2), { id: 'no-address', source: 'registry', service: 'x', labels: {} }]);
    await run.advance(3000);
    expect(run.checks.made.map((made) => made.target.service).sort()).toEqual(['a', 'b']);
    expect(run.points('healthcheck.state', 'a').map((point) => point.value)).toEqual([0, 0, 0]);
    expect(run.points('healthcheck.up', 'a')[0]!.series.resource.attributes['service.instance.id']).toBe('a');

    targets$.next([instance('b', 2)]);
    expect(run.checks.closed).toEqual(['a']);
    targets$.next([instance('a', 1), instance('b', 2)]);
    const before = run.points('healthcheck.state', 'a').length;
    await run.advance(1000);
    // A new check, and a new debounce: the first critical is taken at once, not soft behind the old ok.
    expect(run.checks.made).toHaveLength(3);
    expect(run.checks.made[2]!.target.service).toBe('a');
    expect(run.points('healthcheck.state', 'a')[before]!.value).toBe(2);

    subscription!.unsubscribe();
    expect(run.checks.closed.sort()).toEqual(['a', 'a', 'b']);
  });

  it('runs each target on its own interval', async () => {
    const run = start({ collection_interval: '1s', targets: [tcp('slow', 1, { collection_interval: '500ms' }), tcp('fast', 2)] });
    await run.advance(2000);
    expect(run.points('healthcheck.up', 'slow')).toHaveLength(4);
    expect(run.points('healthcheck.up', 'fast')).toHaveLength(2);
  });

  it('runs at most `concurrency` checks at once', async () => {
    const run = start({ concurrency: 1, timeout: '5s', targets: [tcp('a', 1), tcp('b', 2)] }, (checks) => {
      checks.script('a', 'hang');
      checks.script('b', 'hang');
    });
    await run.advance(3000);
    // One hanging check holds the only slot; the other target waits (its ticks skipped and counted).
    expect(run.checks.signals).toHaveLength(1);
    expect(run.context.telemetry.counts.skipped).toBeGreaterThan(0);
  });

  it('follows new labels of a discovered instance without making its check again', async () => {
    const targets$ = new Subject<TargetSet>();
    const run = start({ targets_from: ['registry'] }, () => {}, targets$);
    const instance = (labels: Record<string, string>): ServiceInstance => ({ id: 'a', source: 'registry', service: 'a', host: '127.0.0.1', port: 1, labels });
    targets$.next([instance({ tier: 'one' })]);
    await run.advance(1000);
    targets$.next([instance({ tier: 'two' })]);
    await run.advance(1000);
    const up = run.points('healthcheck.up');
    expect(up.map((point) => [point.series.resource.attributes['tier'], point.stale ?? false])).toEqual([
      ['one', false],
      // The old labels' series will have no more points: a staleness marker says so, with the next check's points.
      ['one', true],
      ['two', false],
    ]);
    expect(run.checks.made).toHaveLength(1);
  });
});
