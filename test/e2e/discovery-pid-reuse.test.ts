import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsolePoint } from '../helpers/agent.js';
import { discoveryPipelineYaml } from '../helpers/discovery-pipeline.js';
import { ARRIVAL_TIMEOUT_MS, DiscoveryRun, named, ofService, sleep } from '../helpers/discovery-run.js';
import { canChoosePids, Programs } from '../helpers/programs.js';

/**
 * Issue 7, "What it must show" 1: a PID reused by another program is a new process, not a
 * continuation of the one that had the PID. The reuse is real: program A (a copy of
 * /bin/sleep) runs as PID P and ends; program B (a copy of /usr/bin/tail) is started as the
 * same PID P, chosen through /proc/sys/kernel/ns_last_pid (which needs root or
 * CAP_CHECKPOINT_RESTORE: without it the test is skipped, and says why). On a busy machine
 * the same happens by itself once the PID counter wraps.
 *
 * Three targets see the same PID:
 * - `command_line` (matching both programs): each process is its own instance, so B is a
 *   new series (its resource differs in process.creation.time and process.executable.name)
 *   and A's series ends;
 * - `pid: P` and `pid_file` (still holding P, as a stale PID file does): a target that names
 *   one process keeps its service's series across a restart (README of the receiver), so
 *   here "new" means a new process: B's own creation time and name, and no CPU utilization
 *   computed across A and B (the first scrape of B has none).
 */

const programs = new Programs();
let run: DiscoveryRun;

afterEach(async () => {
  await run?.stop();
  await programs.stopAll();
});

const SERVICES = ['reuse-cmdline', 'reuse-pid', 'reuse-pidfile'] as const;

const isProgram = (name: string) => (point: ConsolePoint) => point.resource['process.executable.name'] === name;

describe('PID reuse, end to end', () => {
  it.skipIf(!canChoosePids())(
    'a PID taken over by another program is a new process for command_line, pid and pid_file targets',
    { timeout: 180_000 },
    async () => {
      run = new DiscoveryRun('pid-reuse');
      const token = randomBytes(4).toString('hex');
      const programA = `a-${token}`;
      const programB = `b-${token}`;
      const a = programs.start(programs.copyOf('/bin/sleep', run.dir, programA), ['1000']);
      const pid = a.pid!;
      const pidFile = run.path('service.pid');
      writeFileSync(pidFile, `${pid}\n`);

      const agent = await run.start(
        discoveryPipelineYaml({
          processTargets: [
            `{ service: reuse-cmdline, command_line: "/[ab]-${token}( |$)" }`,
            `{ service: reuse-pid, pid: ${pid} }`,
            `{ service: reuse-pidfile, pid_file: ${JSON.stringify(pidFile)} }`,
          ],
        }),
      );
      for (const service of SERVICES) {
        // A second scrape of A gives its CPU utilization: A is followed as one process.
        await agent.waitForPoint((point) => named('process.cpu.utilization', ofService(service))(point) && isProgram(programA)(point), ARRIVAL_TIMEOUT_MS);
      }
      const lastOfA = new Map(SERVICES.map((service) => [service, agent.points.filter((point) => ofService(service)(point) && isProgram(programA)(point)).at(-1)!]));

      // A ends; the agent sees it gone (the pid target says not_found), then B takes its PID.
      await programs.stop(a);
      await run.fresh((point) => named('process.scrape.error', ofService('reuse-pid'))(point) && point.attributes['error.type'] === 'not_found');
      const b = await programs.startWithPid(pid, programs.copyOf('/usr/bin/tail', run.dir, programB), ['-f', '/dev/null']);
      expect(b.pid).toBe(pid);

      for (const service of SERVICES) {
        const ofB = (point: ConsolePoint): boolean => ofService(service)(point) && isProgram(programB)(point);
        await agent.waitForPoints(named('process.cpu.utilization', ofB), 2, ARRIVAL_TIMEOUT_MS);
        const pointsOfB = agent.points.filter(ofB);
        const firstOfB = pointsOfB[0]!;
        const before = lastOfA.get(service)!;
        // The same PID, another process: B's own creation time and name.
        expect(firstOfB.resource['process.pid']).toBe(pid);
        expect(Date.parse(firstOfB.resource['process.creation.time'] as string)).toBeGreaterThan(Date.parse(before.resource['process.creation.time'] as string));
        // Not a continuation: B's first scrape computes no utilization across A and B.
        const firstScrape = pointsOfB.filter((point) => point.time === firstOfB.time).map((point) => point.name);
        expect(firstScrape).toContain('process.memory.usage');
        expect(firstScrape).not.toContain('process.cpu.utilization');
        if (service === 'reuse-cmdline') {
          // A process matched among others is its own series: B's resource is not A's.
          expect(firstOfB.resource).not.toEqual(before.resource);
        } else {
          // A target naming one process keeps its service's instance across the new process.
          expect(firstOfB.resource['service.instance.id']).toBe(before.resource['service.instance.id']);
        }
      }
      // Nothing more is printed as A.
      await sleep(500);
      await run.expectSilence(isProgram(programA), 2_000, 'program A, after B took its PID');
    },
  );
});
