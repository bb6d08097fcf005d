import { describe, expect, it } from 'vitest';
import { Resource, SeriesSet } from '../../../../src/index.js';
import { MAX_METRICS_PER_RESOURCE, ResourceGroup } from '../../../../exporters/otlp/encode/resource-group.js';

const TIME: [number, number] = [1_700_000_000, 0];

describe('ResourceGroup', () => {
  it('forgets its Metrics between requests once a resource has had more than the bound, and keeps them below it', () => {
    const resource = new Resource({ 'service.name': 'churning' });
    const set = new SeriesSet(resource);
    const group = new ResourceGroup(resource, { name: 'healthpipe' });
    for (let i = 0; i < MAX_METRICS_PER_RESOURCE; i++) group.add(1, set.get({ name: `metric.${i}`, unit: '1', kind: 'gauge' }), i, TIME, TIME);
    group.clear();
    expect(group.metricCount).toBe(MAX_METRICS_PER_RESOURCE);
    group.add(2, set.get({ name: 'one.more', unit: '1', kind: 'gauge' }), 1, TIME, TIME);
    expect(group.resourceMetrics.scopeMetrics[0]!.metrics.map((metric) => metric.descriptor.name)).toEqual(['one.more']);
    group.clear();
    expect(group.metricCount).toBe(0);
    expect(group.resourceMetrics.scopeMetrics[0]!.metrics).toEqual([]);
  });
});
