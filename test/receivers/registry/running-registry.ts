import { EMPTY, type Subscription } from 'rxjs';
import type { MetricPoint, PublishedSet } from '../../../src/index.js';
import { registryReceiver } from '../../../receivers/registry/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { discoveryOf } from '../../helpers/discovery.js';

export interface RunningRegistry {
  readonly published: PublishedSet[];
  readonly points: MetricPoint[];
  readonly context: TestContext;
  /** Instance ids of the last published set, and whether it was stale. */
  last(): { ids: string[]; stale: boolean } | undefined;
  /** Messages of the warnings logged so far. */
  warnings(): string[];
  stop(): void;
}

/** The registry receiver as the runtime makes it, from a config as written, on the real clock. */
export function runRegistry(config: unknown): RunningRegistry {
  const discovery = discoveryOf(EMPTY);
  const context = createTestContext({ id: 'registry', discovery });
  const points: MetricPoint[] = [];
  const subscription: Subscription = registryReceiver
    .create(registryReceiver.schema.parse(config), context)
    .subscribe((batch) => points.push(...batch));
  return {
    published: discovery.published,
    points,
    context,
    last() {
      const set = discovery.published.at(-1);
      return set === undefined ? undefined : { ids: set.instances.map((instance) => instance.id), stale: set.stale };
    },
    warnings: () => context.logs.records().filter((record) => record['level'] === 'warn').map((record) => String(record['message'])),
    stop: () => subscription.unsubscribe(),
  };
}
