import { afterEach } from 'vitest';
import { permanent } from '../../../src/delivery/index.js';
import type { Store } from '../../../src/storage/index.js';
import { createAlertmanagerExporter } from '../../../exporters/alertmanager/exporter.js';
import { alertmanagerConfigSchema, type AlertmanagerConfig } from '../../../exporters/alertmanager/config.js';
import type { PostableAlert } from '../../../exporters/alertmanager/notice.js';
import { createTestContext } from '../../helpers/context.js';
import { SteppingScheduler } from '../../helpers/virtual-time.js';
import { openStore } from '../../../src/storage/index.js';

/** What a POST carried, with the virtual time it was made at. */
export interface Post {
  readonly time: number;
  readonly alerts: readonly PostableAlert[];
}

/** An Alertmanager in virtual time: records POSTs; `down` makes them fail (retryable), `refuse` for good. */
export class FakeAlertmanager {
  readonly posts: Post[] = [];
  down = false;
  refuse = false;

  constructor(private readonly scheduler: SteppingScheduler) {}

  post = async (alerts: readonly PostableAlert[]): Promise<void> => {
    if (this.down) throw new Error('connect ECONNREFUSED');
    if (this.refuse) throw permanent('HTTP 400: bad alert');
    this.posts.push({ time: this.scheduler.now(), alerts });
  };

  /** Every alert posted, in order, as `severity state` with its endsAt relative to the post. */
  sent(): string[] {
    return this.posts.flatMap((post) =>
      post.alerts.map((alert) => {
        const ends = Date.parse(alert.endsAt) - post.time;
        return `${alert.labels['severity']} ${ends > 0 ? `firing+${ends}` : 'resolved'}`;
      }),
    );
  }
}

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** A store that outlives one exporter: what an agent restart keeps. */
export function testStore(): Store {
  const store = openStore(':memory:');
  stores.push(store);
  return store;
}

export function sinkConfig(written: Record<string, unknown> = {}): AlertmanagerConfig {
  return alertmanagerConfigSchema.parse({ resend_interval: '1m', ...written });
}

/** An alertmanager sink in virtual time over `store`, posting to `fake`. */
export function virtualSink(options: { scheduler: SteppingScheduler; fake: FakeAlertmanager; store: Store; config?: Record<string, unknown> }) {
  const ctx = createTestContext({ id: 'alertmanager', scheduler: options.scheduler, store: options.store });
  const exporter = createAlertmanagerExporter(sinkConfig(options.config), ctx, options.fake.post);
  return { ctx, exporter, outbox: ctx.storage.log('outbox') };
}
