import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Resource, Series, SeriesSet } from '../../../../src/index.js';
import { createOtlpEncoder } from '../../../../exporters/otlp/encode/encoder.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Encodes a sum and a gauge of a resource made here, and returns weak references to what the encoder must not keep alive. */
function encodeOnce(encoder: ReturnType<typeof createOtlpEncoder>): WeakRef<object>[] {
  const resource = new Resource({ 'service.name': 'gone', 'service.instance.id': 'gone-1' });
  const set = new SeriesSet(resource);
  const sum = set.get({ name: 'c', unit: '1', kind: 'sum', monotonic: true });
  const gauge = set.get({ name: 'g', unit: '1', kind: 'gauge' });
  const points = [
    { series: sum, value: 1, time: 1_000 },
    { series: gauge, value: 2, time: 1_000 },
  ];
  expect(encoder.encode(points)?.points).toBe(2);
  return [new WeakRef(resource), new WeakRef(sum), new WeakRef(gauge), new WeakRef(points[0]!)];
}

const DESCRIPTOR = { name: 'g', unit: '1', kind: 'gauge', monotonic: false, description: '' } as const;

async function collected(refs: readonly WeakRef<object>[]): Promise<(object | undefined)[]> {
  for (let round = 0; round < 5 && refs.some((ref) => ref.deref() !== undefined); round++) {
    await setImmediate();
    gc();
  }
  return refs.map((ref) => ref.deref());
}

describe('the OTLP encoder', () => {
  it('keeps neither the resources, the series nor the points it encoded once they are gone elsewhere', async () => {
    const encoder = createOtlpEncoder('http/protobuf');
    expect(await collected(encodeOnce(encoder))).toEqual([undefined, undefined, undefined, undefined]);
    // Still usable afterwards.
    expect(encodeOnce(encoder)).toHaveLength(4);
  });

  it('keeps no series, attributes or point of a request while their resource lives on', async () => {
    const encoder = createOtlpEncoder('http/protobuf');
    const resource = new Resource({ 'service.name': 'stays' });
    const refs = ((): WeakRef<object>[] => {
      const attributes = { left: true };
      const series = new Series(DESCRIPTOR, attributes, resource);
      const point = { series, value: 1, time: 1_000 };
      encoder.encode([point]);
      return [new WeakRef(series), new WeakRef(attributes), new WeakRef(point)];
    })();
    expect(await collected(refs)).toEqual([undefined, undefined, undefined]);
    expect(resource.serviceName).toBe('stays');
  });
});
