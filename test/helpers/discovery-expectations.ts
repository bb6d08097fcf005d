import { performance } from 'node:perf_hooks';
import { expect } from 'vitest';
import { ARRIVAL_TIMEOUT_MS, named, ofInstance, report, sleep, type DiscoveryRun } from './discovery-run.js';

/**
 * What the discovery scenarios (file, etcd, http_sd) expect of the agent, the same for every
 * source: an instance that registers is checked and watched, one that leaves stops being
 * either, and leaving raises no `unknown` while going silent does.
 */

/** The threshold's no_data in the discovery runs, and what a test waits past it. */
export const NO_DATA = '3s';
export const NO_DATA_MS = 3_000;

export const checkOf = (id: string) => named('healthcheck.up', ofInstance(id));
export const processOf = (id: string) => named('process.memory.usage', ofInstance(id));

/**
 * Resolves once the instance has a health check point and (with `process`) a process point,
 * printed from now on; returns the milliseconds from `since` (a performance.now() taken
 * just before the registry changed) to the later of the two.
 */
export async function waitUntilWatched(run: DiscoveryRun, id: string, since: number, options: { process?: boolean } = {}): Promise<number> {
  const waits = [run.agent.waitForPoint(checkOf(id), ARRIVAL_TIMEOUT_MS).then(() => performance.now())];
  if (options.process ?? true) waits.push(run.agent.waitForPoint(processOf(id), ARRIVAL_TIMEOUT_MS).then(() => performance.now()));
  const arrivals = await Promise.all(waits);
  return Math.max(...arrivals) - since;
}

/**
 * After an instance left the registry: its points stop (a check or scrape in flight may
 * still print; the time to the last one is logged), and then nothing more of it is printed
 * for `quietMs`, nor does its health endpoint get another request.
 */
export async function expectStopped(run: DiscoveryRun, id: string, endpoint: { readonly requests: number }, quietMs = 4_000): Promise<void> {
  const lastAfter = await run.quiet(ofInstance(id), 1_500);
  report(`${id} gone from the registry → its last point printed`, lastAfter, ARRIVAL_TIMEOUT_MS);
  const requests = endpoint.requests;
  await run.expectSilence(ofInstance(id), quietMs, `instance ${id}, after it left`);
  expect(endpoint.requests).toBe(requests);
}

/**
 * `silent` went silent (its process ended while it stays registered) at about the time the
 * services in `left` left the registry: `silent` must become `unknown` after no_data (so
 * the pipeline does raise it), and none of `left` ever may.
 */
export async function expectUnknownOnlyForSilent(run: DiscoveryRun, silent: string, left: readonly string[]): Promise<void> {
  await run.agent.waitForAlert((alert) => alert.service === silent && alert.level === 'unknown', ARRIVAL_TIMEOUT_MS + NO_DATA_MS);
  // The same no_data would have run out for what left by now; a little longer for a loaded machine.
  await sleep(NO_DATA_MS);
  for (const service of left) expect(run.unknownAlerts(service), `unknown alerts of ${service}, which left`).toEqual([]);
}
