import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent, type ConsoleAlert, type ConsolePoint } from './agent.js';

/**
 * One end-to-end discovery run: a temp directory holding pipeline.yaml (and whatever
 * registry file the test writes there), the built agent started on it, and the questions
 * the tests ask of its console output: points of an instance, new points since a moment,
 * silence, `unknown` alerts.
 *
 *   const run = new DiscoveryRun('etcd');
 *   afterEach(() => run.stop());
 *   const agent = await run.start(discoveryPipelineYaml({ … }));
 *   await run.fresh(ofInstance('api-1'), 3);      // three points of api-1 from now on
 *   await run.expectSilence(ofInstance('api-1'), 4_000);
 */

export type PointTest = (point: ConsolePoint) => boolean;

export const ofInstance =
  (id: string): PointTest =>
  (point) =>
    point.resource['service.instance.id'] === id;

export const ofService =
  (service: string): PointTest =>
  (point) =>
    point.resource['service.name'] === service;

export const named =
  (name: string, test: PointTest = () => true): PointTest =>
  (point) =>
    point.name === name && test(point);

/** Checks and scrapes every 200 ms, the registry watched: on a loaded 2-core machine a few seconds, not tens. */
export const ARRIVAL_TIMEOUT_MS = 20_000;

export class DiscoveryRun {
  readonly dir: string;
  private current: Agent | undefined;

  constructor(name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `healthpipe-e2e-discovery-${name}-`));
  }

  get agent(): Agent {
    if (this.current === undefined) throw new Error('no agent started');
    return this.current;
  }

  /** A path in the run's directory. */
  path(name: string): string {
    return join(this.dir, name);
  }

  /** Writes pipeline.yaml and starts the built CLI on it, in the run's directory. */
  async start(pipeline: string): Promise<Agent> {
    const config = this.path('pipeline.yaml');
    writeFileSync(config, pipeline);
    this.current = new Agent(config, this.dir);
    await this.current.start();
    return this.current;
  }

  /** Resolves with `count` points matching `test` printed from now on. */
  async fresh(test: PointTest, count = 1, timeoutMs = ARRIVAL_TIMEOUT_MS): Promise<ConsolePoint[]> {
    const before = this.agent.points.filter(test).length;
    const all = await this.agent.waitForPoints(test, before + count, timeoutMs);
    return all.slice(before);
  }

  /** Points printed from index `from` on that match `test`. */
  since(from: number, test: PointTest): ConsolePoint[] {
    return this.agent.points.slice(from).filter(test);
  }

  /** Waits `ms` and fails if any point matching `test` was printed meanwhile. */
  async expectSilence(test: PointTest, ms: number, what: string): Promise<void> {
    const from = this.agent.points.length;
    await sleep(ms);
    const late = this.since(from, test);
    if (late.length > 0) {
      throw new Error(`${what}: ${late.length} points in the ${ms} ms of expected silence, the first: ${JSON.stringify(late[0])}`);
    }
  }

  /**
   * Resolves once no point matching `test` has been printed for `quietMs` (fails after
   * `timeoutMs`); returns how long after the call the last such point arrived (0 if none did).
   */
  async quiet(test: PointTest, quietMs: number, timeoutMs = ARRIVAL_TIMEOUT_MS): Promise<number> {
    const start = performance.now();
    let seen = this.agent.points.filter(test).length;
    let last = start;
    for (;;) {
      await sleep(100);
      const now = performance.now();
      const count = this.agent.points.filter(test).length;
      if (count !== seen) {
        seen = count;
        last = now;
      } else if (now - last >= quietMs) {
        return last - start;
      }
      if (now - start > timeoutMs) throw new Error(`points matching the test still printed ${timeoutMs} ms on`);
    }
  }

  /** Every `unknown` alert printed so far for `service`. */
  unknownAlerts(service: string): ConsoleAlert[] {
    return this.agent.alerts.filter((alert) => alert.service === service && alert.level === 'unknown');
  }

  /** Stops the agent (SIGTERM, by PID) if it runs, then removes the directory. */
  async stop(): Promise<void> {
    try {
      if (this.current?.running === true) await this.current.stop('SIGTERM');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Logs a figure a test measured, so the run's output shows it next to its bound. */
export function report(what: string, ms: number, bound: number): void {
  console.log(`[discovery e2e] ${what}: ${Math.round(ms)} ms (asserted < ${bound} ms)`);
}
