import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpService, type RunningHttpService } from '../helpers/http-service.js';
import { startHttpSdServer, type TargetGroup } from '../helpers/http-sd-server.js';
import { checkOf, expectStopped, expectUnknownOnlyForSilent, NO_DATA, waitUntilWatched } from '../helpers/discovery-expectations.js';
import { DiscoveryFixture } from '../helpers/discovery-fixture.js';
import { discoveryPipelineYaml } from '../helpers/discovery-pipeline.js';
import { report, type DiscoveryRun } from '../helpers/discovery-run.js';

/**
 * Issue 7, "What it must show" 1: the registry's `http_sd` source on the built CLI, polled
 * every second. A target listed by the endpoint is health-checked (its `health_url` label
 * over HTTP, else host:port over TCP); one no longer listed stops being checked and raises
 * no `unknown`; while the endpoint is down the last set stays checked, and once it is back
 * its changes are followed again.
 *
 * http_sd carries no PID, so the alerts pipeline's proof that no_data does fire is a
 * configured process target whose process ends (`silent`).
 */

const fixture = new DiscoveryFixture();
const programs = fixture.programs;
let run: DiscoveryRun;
afterEach(() => fixture.stop());

async function endpoint(): Promise<RunningHttpService> {
  const server = await startHttpService();
  fixture.onStop(() => server.stop());
  return server;
}

/** One target group per service: the endpoint's host:port, with its health URL unless `tcp`. */
function group(service: string, server: RunningHttpService, tcp = false): TargetGroup {
  const labels: Record<string, string> = { service, team: 'e2e', __meta_dropped: 'x' };
  if (!tcp) labels['health_url'] = `${server.url}/health`;
  return { targets: [`127.0.0.1:${server.port}`], labels };
}

const idOf = (server: RunningHttpService): string => `127.0.0.1:${server.port}`;

describe('registry http_sd source, end to end', () => {
  it('checks what the endpoint lists, stops what it drops without unknown, keeps the set while it is down', { timeout: 180_000 }, async () => {
    run = fixture.begin('http-sd');
    const sd = await startHttpSdServer();
    fixture.onStop(() => sd.stop());
    const api = await endpoint();
    sd.set([group('api', api)]);
    const silentProcess = programs.start('/bin/sleep', ['1000']);
    const agent = await run.start(
      discoveryPipelineYaml({
        registry: `http_sd: { url: "${sd.url}", refresh_interval: 1s, timeout: 2s }`,
        process: false,
        processTargets: [`{ service: silent, pid: ${silentProcess.pid} }`],
        noData: NO_DATA,
      }),
    );
    const [first] = await agent.waitForPoints(checkOf(idOf(api)), 1);
    expect(first!.resource).toMatchObject({ 'service.name': 'api', team: 'e2e' });
    expect(first!.resource['__meta_dropped']).toBeUndefined();
    expect(api.requests).toBeGreaterThan(0);

    // A target added to the endpoint: checked at the next refresh (every second).
    const web = await endpoint();
    const added = performance.now();
    sd.set([group('api', api), group('web', web)]);
    const latency = await waitUntilWatched(run, idOf(web), added, { process: false });
    report('http_sd: listed → first check of the new target (refresh_interval 1s)', latency, 5_000);
    expect(latency).toBeLessThan(5_000);

    // api dropped while silent's process ends: api stops, only silent goes unknown.
    sd.set([group('web', web)]);
    await programs.stop(silentProcess);
    await expectStopped(run, idOf(api), api);
    await expectUnknownOnlyForSilent(run, 'silent', ['api', 'web']);

    // The endpoint down: web stays checked through several refreshes.
    await sd.down();
    await agent.cli.waitForLine('stderr', (line) => line.includes('cannot read') && line.includes('stale'), 20_000);
    await run.fresh(checkOf(idOf(web)), 10);
    expect(run.unknownAlerts('web')).toEqual([]);

    // Back, listing a TCP-only target as well: followed again.
    const db = await endpoint();
    sd.set([group('web', web), group('db', db, true)]);
    await sd.up();
    const [tcpCheck] = await run.fresh(checkOf(idOf(db)));
    expect(tcpCheck!.resource['service.name']).toBe('db');
    expect(tcpCheck!.value).toBe(1);
    expect(db.requests).toBe(0);
    await run.fresh(checkOf(idOf(web)), 3);
  });
});
