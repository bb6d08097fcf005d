import { renameSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { processOnlyInstance, type RegistryInstance } from '../helpers/discovered-service.js';
import {
  checkOf,
  expectStopped,
  expectUnknownOnlyForSilent,
  NO_DATA,
  processOf,
  waitUntilWatched,
} from '../helpers/discovery-expectations.js';
import { DiscoveryFixture } from '../helpers/discovery-fixture.js';
import { discoveryPipelineYaml } from '../helpers/discovery-pipeline.js';
import { ofInstance, report, sleep, type DiscoveryRun } from '../helpers/discovery-run.js';

/**
 * Issue 7, "What it must show" 1: the registry's `file` source on the built CLI. Instances
 * written into a watched file are health-checked and their processes watched; removing one
 * stops both and raises no `unknown`; a broken edit keeps the last set.
 */

const fixture = new DiscoveryFixture();
const programs = fixture.programs;
let run: DiscoveryRun;
afterEach(() => fixture.stop());
const service = (id: string, name: string) => fixture.service(id, name);

/** Replaces the registry file as an editor saving it does: a new file renamed over the old. */
function writeRegistry(instances: readonly RegistryInstance[]): void {
  const file = run.path('services.yaml');
  writeFileSync(`${file}.tmp`, JSON.stringify(instances, null, 2));
  renameSync(`${file}.tmp`, file);
}

function pipeline(): string {
  return discoveryPipelineYaml({ registry: 'file: { path: ./services.yaml, poll_interval: 1s }', noData: NO_DATA });
}

describe('registry file source, end to end', () => {
  it('checks and watches an instance added to the file within a second; one removed stops both and raises no unknown', { timeout: 180_000 }, async () => {
    run = fixture.begin('file');
    const api = await service('api-1', 'api');
    const silent = processOnlyInstance(programs, 'silent-1', 'silent');
    writeRegistry([api.entry, silent.entry]);
    const agent = await run.start(pipeline());
    await waitUntilWatched(run, api.id, performance.now());
    await agent.waitForPoint(processOf(silent.entry.id));

    // Added while running: checked and watched at once.
    const web = await service('web-1', 'web');
    const added = performance.now();
    writeRegistry([api.entry, silent.entry, web.entry]);
    const latency = await waitUntilWatched(run, web.id, added);
    report('file: write → first check and process points of the new instance', latency, 5_000);
    expect(latency).toBeLessThan(5_000);

    // api-1 leaves while silent-1's process ends (it stays registered, so it goes silent).
    writeRegistry([silent.entry, web.entry]);
    await programs.stop(silent.process);
    await expectStopped(run, api.id, api.http);
    await expectUnknownOnlyForSilent(run, 'silent', ['api', 'web']);
    // The rest of the set stands.
    await run.fresh(checkOf(web.id), 3);
  });

  it('keeps the last set through a broken edit, and follows the file again once it is fixed', { timeout: 180_000 }, async () => {
    run = fixture.begin('file-broken');
    const api = await service('api-1', 'api');
    writeRegistry([api.entry]);
    const agent = await run.start(pipeline());
    await waitUntilWatched(run, api.id, performance.now());

    // An edit that breaks the YAML: reported with file:line:col, and api-1 stays watched.
    writeFileSync(run.path('services.yaml'), `- id: api-1\n  service: api\n  health_url: [unclosed\n`);
    await agent.cli.waitForLine('stderr', (line) => /services\.yaml:\d+:\d+/.test(line), 20_000);
    await sleep(2_000);
    await run.fresh(checkOf(api.id), 5);
    await run.fresh(processOf(api.id), 5);

    // Fixed, with api-1 replaced by web-1: followed again.
    const web = await service('web-1', 'web');
    const fixed = performance.now();
    writeRegistry([web.entry]);
    const latency = await waitUntilWatched(run, web.id, fixed);
    report('file: fixed → first points of the new instance', latency, 5_000);
    expect(latency).toBeLessThan(5_000);
    await expectStopped(run, api.id, api.http);
    expect(run.unknownAlerts('api')).toEqual([]);
    expect(agent.points.some(ofInstance(web.id))).toBe(true);
  });
});
