import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { checkOf, expectStopped, NO_DATA, processOf, waitUntilWatched } from '../helpers/discovery-expectations.js';
import { DiscoveryFixture } from '../helpers/discovery-fixture.js';
import { discoveryPipelineYaml } from '../helpers/discovery-pipeline.js';
import { report } from '../helpers/discovery-run.js';
import { startEtcd } from '../helpers/etcd.js';
import { etcdRegistry, etcdRegistryConfig } from '../helpers/etcd-registry.js';

/**
 * Issue 7, "What it must show" 1: etcd restarted under a running agent. While etcd is down
 * the agent says so and keeps its targets (the instance's checks and process points go on);
 * once it is back the watch resumes: a put and a delete made right after the restart, while
 * the agent may still be reconnecting, are both followed.
 */

const fixture = new DiscoveryFixture();
afterEach(() => fixture.stop());

describe('etcd restarted under a running agent', () => {
  it('keeps the targets through the outage and follows the registry again once etcd is back', { timeout: 180_000 }, async () => {
    const run = fixture.begin('etcd-restart');
    const etcd = await startEtcd();
    fixture.onStop(() => etcd.stop());
    const registry = etcdRegistry(etcd.url);
    fixture.onStop(() => registry.close());
    const api = await fixture.service('api-1', 'api');
    await registry.put(api.entry);
    const agent = await run.start(discoveryPipelineYaml({ registry: etcdRegistryConfig(etcd.url), noData: NO_DATA }));
    await waitUntilWatched(run, api.id, performance.now());

    await etcd.restart(async () => {
      // The agent notices, and keeps checking and watching the last set.
      await agent.cli.waitForLine('stderr', (line) => line.includes(`cannot read etcd`) && line.includes('stale'), 20_000);
      await run.fresh(checkOf(api.id), 10);
      await run.fresh(processOf(api.id), 10);
      expect(() => etcd.pid()).toThrow();
    });

    // Back: a put and a delete at once, before the agent may have reconnected.
    const web = await fixture.service('web-1', 'web');
    const put = performance.now();
    await registry.put(web.entry);
    await registry.remove(api.id);
    const latency = await waitUntilWatched(run, web.id, put);
    report('etcd restarted: put right after the restart → first points of the new instance', latency, 10_000);
    expect(latency).toBeLessThan(10_000);
    await expectStopped(run, api.id, api.http);
    expect(run.unknownAlerts('api')).toEqual([]);
    await run.fresh(checkOf(web.id), 3);
  });
});
