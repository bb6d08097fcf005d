import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src/model/point.js';
import { apiCpu, apiHealth, apiResource, attributesOperator, rewritten } from './fixtures.js';

const point: MetricPoint = { series: apiHealth, value: 1, time: 5, startTime: 1, message: 'ok' };

/** The output point's attributes after one batch of `point`. */
async function attributesAfter(...actions: Record<string, unknown>[]): Promise<Record<string, unknown>> {
  const [batch] = await rewritten(actions, [point]);
  return { ...batch![0]!.series.attributes };
}

async function resourceAfter(...actions: Record<string, unknown>[]): Promise<Record<string, unknown>> {
  const [batch] = await rewritten(actions, [point]);
  return { ...batch![0]!.series.resource.attributes };
}

describe('attributes processor: actions on point attributes', () => {
  it('insert writes only where the attribute is absent', async () => {
    expect(await attributesAfter({ action: 'insert', key: 'team', value: 'payments' }, { action: 'insert', key: 'route', value: '/x' })).toEqual({
      route: '/health',
      user: 'alice',
      team: 'payments',
    });
  });

  it('update writes only where the attribute is present, from a value or from another attribute', async () => {
    expect(await attributesAfter({ action: 'update', key: 'team', value: 'x' }, { action: 'update', key: 'route', from_attribute: 'user' })).toEqual({
      route: 'alice',
      user: 'alice',
    });
  });

  it('upsert writes always; from a missing attribute it writes nothing', async () => {
    expect(
      await attributesAfter(
        { action: 'upsert', key: 'route', value: 7 },
        { action: 'upsert', key: 'on', value: true },
        { action: 'upsert', key: 'ghost', from_attribute: 'missing' },
      ),
    ).toEqual({ route: 7, user: 'alice', on: true });
  });

  it('delete removes the attribute', async () => {
    expect(await attributesAfter({ action: 'delete', key: 'user' }, { action: 'delete', key: 'missing' })).toEqual({ route: '/health' });
  });

  it('rename moves the value to the new key, replacing it, and does nothing when the old one is absent', async () => {
    expect(await attributesAfter({ action: 'rename', from_attribute: 'user', key: 'route' }, { action: 'rename', from_attribute: 'x', key: 'y' })).toEqual({
      route: 'alice',
    });
  });

  it('hash replaces the value by the SHA-256 of its text in lowercase hex', async () => {
    const sha = createHash('sha256').update('alice').digest('hex');
    expect(await attributesAfter({ action: 'hash', key: 'user' }, { action: 'hash', key: 'missing' })).toEqual({ route: '/health', user: sha });
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
  });

  it('applies actions in order: an attribute copied, then hashed', async () => {
    const sha = createHash('sha256').update('alice').digest('hex');
    expect(await attributesAfter({ action: 'insert', key: 'who', from_attribute: 'user' }, { action: 'hash', key: 'user' })).toEqual({
      route: '/health',
      user: sha,
      who: 'alice',
    });
  });

  it("keeps the point's value, times and message, and the series' name, unit, kind and resource", async () => {
    const [batch] = await rewritten([{ action: 'delete', key: 'user' }], [point]);
    const out = batch![0]!;
    expect(out).toMatchObject({ value: 1, time: 5, startTime: 1, message: 'ok' });
    expect(out.series).toMatchObject({ name: 'healthcheck.up', unit: '1', kind: 'gauge' });
    expect(out.series.resource).toBe(apiResource);
  });
});

describe('attributes processor: actions on resources', () => {
  it('sets, renames, deletes and hashes resource attributes, leaving point attributes alone', async () => {
    const sha = createHash('sha256').update('web-1').digest('hex');
    const [batch] = await rewritten(
      [
        { action: 'upsert', key: 'deployment.environment', value: 'prod', target: 'resource' },
        { action: 'hash', key: 'host.name', target: 'resource' },
        { action: 'delete', key: 'user', target: 'resource' },
      ],
      [point],
    );
    const out = batch![0]!.series;
    expect(out.resource.attributes).toEqual({ 'service.name': 'api', 'host.name': sha, 'process.pid': 4242, 'deployment.environment': 'prod' });
    expect(out.attributes).toBe(apiHealth.attributes);
  });

  it('keeps a volatile attribute volatile, under its new name too, so the identity still leaves it out', async () => {
    const [batch] = await rewritten([{ action: 'rename', from_attribute: 'process.pid', key: 'pid', target: 'resource' }], [point]);
    const resource = batch![0]!.series.resource;
    expect(resource.attributes).toEqual({ 'service.name': 'api', 'host.name': 'web-1', pid: 4242 });
    expect(resource.identifyingAttributes).toEqual({ 'service.name': 'api', 'host.name': 'web-1' });
  });

  it('changes the series identity when an identifying attribute changes, and makes one new resource per input resource', async () => {
    const [batch] = await rewritten([{ action: 'upsert', key: 'service.name', value: 'gateway', target: 'resource' }], [point, { ...point, series: apiCpu }]);
    const [health, cpu] = batch!;
    expect(health!.series.resource.serviceName).toBe('gateway');
    expect(health!.series.key).not.toBe(apiHealth.key);
    expect(health!.series.key).toContain('"service.name":"gateway"');
    expect(cpu!.series.resource).toBe(health!.series.resource);
  });

  it('warns when an action touches the resource\'s service.name, and not for a point attribute of that name', async () => {
    const touching = attributesOperator({ actions: [{ action: 'rename', from_attribute: 'service.name', key: 'svc', target: 'resource' }] });
    const other = attributesOperator({ actions: [{ action: 'upsert', key: 'service.name', value: 'x' }] });
    expect(touching.ctx.logs.records().filter((record) => record['level'] === 'warn').map((record) => record['message'])).toEqual([
      expect.stringContaining('service.name'),
    ]);
    expect(other.ctx.logs.records()).toEqual([]);
  });
});
