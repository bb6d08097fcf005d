import { Etcd3 } from 'etcd3';
import { afterEach } from 'vitest';
import { etcdSourceSchema, type EtcdSourceConfig } from '../../../../receivers/registry/etcd/index.js';
import { createEtcdSource } from '../../../../receivers/registry/etcd/index.js';
import { createTestContext, type TestContext } from '../../../helpers/context.js';
import { startEtcd, type RunningEtcd } from '../../../helpers/etcd.js';
import { recordUpdates, type UpdatesRecorder } from './updates-recorder.js';

export const PREFIX = '/services/';

/** An instance value as a service would register itself. */
export function instance(service: string, port: number): string {
  return JSON.stringify({ service, host: '127.0.0.1', port });
}

/**
 * Per test: a real etcd, a client to change it, and the source under test following it;
 * everything is stopped after the test, in reverse order.
 */
export function etcdFixture(): {
  start(): Promise<{ etcd: RunningEtcd; client: Etcd3 }>;
  follow(endpoint: string, options?: Partial<EtcdSourceConfig>): { updates: UpdatesRecorder; context: TestContext };
  cleanup(step: () => Promise<void> | void): void;
} {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanups.splice(0).reverse()) await step();
  });
  return {
    async start() {
      const etcd = await startEtcd();
      cleanups.push(() => etcd.stop());
      const client = new Etcd3({ hosts: etcd.url });
      cleanups.push(() => client.close());
      return { etcd, client };
    },
    follow(endpoint, options = {}) {
      const context = createTestContext({ id: 'registry' });
      const config = etcdSourceSchema.parse({ endpoints: [endpoint], prefix: PREFIX, max_retry_delay: '500ms', ...options });
      const updates = recordUpdates(createEtcdSource(config, context));
      cleanups.push(() => updates.stop());
      return { updates, context };
    },
    cleanup(step) {
      cleanups.push(step);
    },
  };
}
