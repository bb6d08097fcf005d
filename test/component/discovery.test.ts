import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { configuredAndDiscovered } from '../../src/component/configured-and-discovered.js';
import type { DiscoveredSet } from '../../src/component/discovery.js';
import { DiscoveryBoard } from '../../src/component/discovery-board.js';
import type { ServiceInstance } from '../../src/component/targets.js';
import { createTestContext } from '../helpers/context.js';

const instance = (id: string, source = 'other'): ServiceInstance => ({ id, source, service: id, labels: {} });

function record<T>(observable: { subscribe(next: (value: T) => void): unknown }): T[] {
  const values: T[] = [];
  observable.subscribe((value) => values.push(value));
  return values;
}

describe('the discovery board', () => {
  it('tells a source not read yet from an empty registry, and stamps each instance with its source', () => {
    const board = new DiscoveryBoard();
    const seen = record<readonly DiscoveredSet[]>(board.sets$(['registry', 'registry/b']));
    expect(seen.at(-1)).toEqual([
      { source: 'registry', instances: [], complete: false, stale: false },
      { source: 'registry/b', instances: [], complete: false, stale: false },
    ]);
    board.forComponent('registry').publish({ instances: [], stale: false });
    board.forComponent('registry/b').publish({ instances: [instance('a')], stale: false });
    expect(seen.at(-1)).toEqual([
      { source: 'registry', instances: [], complete: true, stale: false },
      { source: 'registry/b', instances: [instance('a', 'registry/b')], complete: true, stale: false },
    ]);
  });

  it('keeps a set after its publisher stops, and clears it only when the source is forgotten', () => {
    const board = new DiscoveryBoard();
    board.forComponent('registry').publish({ instances: [instance('a')], stale: false });
    const seen = record<readonly DiscoveredSet[]>(board.sets$(['registry']));
    expect(seen.at(-1)![0]!.instances).toHaveLength(1);
    board.forget('registry');
    expect(seen.at(-1)).toEqual([{ source: 'registry', instances: [], complete: true, stale: false }]);
  });
});

describe('configured and discovered targets', () => {
  const ids = (instances: readonly ServiceInstance[]) => instances.map((each) => each.id);

  it('runs the configured targets at once, adds complete sets, and keeps a stale set', () => {
    const board = new DiscoveryBoard();
    const context = { ...createTestContext(), discovery: board.forComponent('process') };
    const seen = record<readonly string[]>(configuredAndDiscovered(['self'], ['registry'], context, ids));
    expect(seen).toEqual([['self'], ['self']]);
    board.forComponent('registry').publish({ instances: [instance('a'), instance('b')], stale: false });
    board.forComponent('registry').publish({ instances: [instance('a'), instance('b')], stale: true });
    expect(seen.slice(2)).toEqual([
      ['self', 'a', 'b'],
      ['self', 'a', 'b'],
    ]);
  });

  it('reads no discovery when no source is named', () => {
    const sets$ = new Subject<readonly DiscoveredSet[]>();
    const context = { ...createTestContext(), discovery: { sets$: () => sets$, publish: () => undefined } };
    const seen = record<readonly string[]>(configuredAndDiscovered(['self'], [], context, ids));
    expect(sets$.observed).toBe(false);
    expect(seen).toEqual([['self']]);
  });
});
