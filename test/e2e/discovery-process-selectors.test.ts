import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsolePoint } from '../helpers/agent.js';
import { discoveryPipelineYaml } from '../helpers/discovery-pipeline.js';
import { ARRIVAL_TIMEOUT_MS, DiscoveryRun, named, ofService, sleep } from '../helpers/discovery-run.js';
import { Programs } from '../helpers/programs.js';
import { startSocketHolder } from '../helpers/socket-holder.js';

/**
 * Issue 7, "What it must show" 1: processes found by command line, executable, listening
 * port and PID file on the built CLI, each process its own series, followed as processes
 * come and go. The processes are real children of the test: copies of /bin/sleep under
 * names only this test uses (so nothing else on the machine matches), and a Node.js child
 * listening on a free port.
 */

const programs = new Programs();
let run: DiscoveryRun;

afterEach(async () => {
  await run?.stop();
  await programs.stopAll();
});

const memory = (service: string) => named('process.memory.usage', ofService(service));
const pidOf = (point: ConsolePoint): unknown => point.resource['process.pid'];
const pidsIn = (points: readonly ConsolePoint[]): Set<unknown> => new Set(points.map(pidOf));

describe('process selectors, end to end', () => {
  it('finds processes by command line, executable, port and PID file, each its own series, and follows them as they come and go', { timeout: 180_000 }, async () => {
    run = new DiscoveryRun('selectors');
    const token = randomBytes(4).toString('hex');
    // command_line: two workers match; a decoy of the same program with other arguments does not.
    const worker = programs.copyOf('/bin/sleep', run.dir, `worker-${token}`);
    const workers = [programs.start(worker, ['1000']), programs.start(worker, ['1000'])];
    const decoy = programs.start(worker, ['999']);
    // executable: two processes whose comm is a name nothing else has.
    const executable = `hpx${token}`;
    const renamed = programs.copyOf('/bin/sleep', run.dir, executable);
    const named2 = [programs.start(renamed, ['1000']), programs.start(renamed, ['1000'])];
    // port: the process listening on it.
    const holder = await startSocketHolder(programs);
    // pid_file: a process whose PID is written in a file.
    const first = programs.start('/bin/sleep', ['1000']);
    const pidFile = run.path('service.pid');
    writeFileSync(pidFile, `${first.pid}\n`);

    const agent = await run.start(
      discoveryPipelineYaml({
        processTargets: [
          `{ service: by-cmdline, command_line: "worker-${token} 1000" }`,
          `{ service: by-exe, executable: ${executable} }`,
          `{ service: by-port, port: ${holder.port} }`,
          `{ service: by-pidfile, pid_file: ${JSON.stringify(pidFile)} }`,
          `{ service: nobody, command_line: "no-such-program-${token}" }`,
        ],
      }),
    );

    // Every matched process appears, under its own PID and its own instance.
    const byCmdline = await agent.waitForPoints(memory('by-cmdline'), 6, ARRIVAL_TIMEOUT_MS);
    const byExe = await agent.waitForPoints(memory('by-exe'), 6, ARRIVAL_TIMEOUT_MS);
    const [byPort] = await agent.waitForPoints(memory('by-port'), 1, ARRIVAL_TIMEOUT_MS);
    const [byPidFile] = await agent.waitForPoints(memory('by-pidfile'), 1, ARRIVAL_TIMEOUT_MS);
    await agent.waitForPoints(memory('by-cmdline'), 12, ARRIVAL_TIMEOUT_MS);
    const cmdlinePoints = agent.points.filter(memory('by-cmdline'));
    expect(pidsIn(cmdlinePoints)).toEqual(new Set(workers.map((child) => child.pid)));
    expect(pidsIn(cmdlinePoints).has(decoy.pid)).toBe(false);
    expect(pidsIn(agent.points.filter(memory('by-exe')))).toEqual(new Set(named2.map((child) => child.pid)));
    expect(byPort!.resource['process.pid']).toBe(holder.pid);
    expect(byPort!.resource['process.executable.name']).toBe('node');
    expect(byPidFile!.resource['process.pid']).toBe(first.pid);
    expect(byExe[0]!.resource['process.executable.name']).toBe(executable);
    expect(byCmdline[0]!.resource['process.executable.name']).toBe(`worker-${token}`);

    // Each matched process is its own series: its own service.instance.id (host:PID) and resource.
    for (const child of workers) {
      const ids = new Set(cmdlinePoints.filter((point) => pidOf(point) === child.pid).map((point) => point.resource['service.instance.id']));
      expect(ids.size).toBe(1);
      expect([...ids][0]).toMatch(new RegExp(`:${child.pid}$`));
    }
    const instanceIds = new Set(cmdlinePoints.map((point) => point.resource['service.instance.id']));
    expect(instanceIds.size).toBe(2);

    // A target that matches nothing says so.
    const noMatch = await agent.waitForPoint(named('process.scrape.error', ofService('nobody')), ARRIVAL_TIMEOUT_MS);
    expect(noMatch.attributes['error.type']).toBe('no_match');
    expect(noMatch.value).toBe(1);

    // A third worker appears as a third series; one that ends stops.
    const third = programs.start(worker, ['1000']);
    await run.fresh((point) => memory('by-cmdline')(point) && pidOf(point) === third.pid);
    await programs.stop(workers[0]!);
    // Scrapes in flight when it ended may still print; after that, nothing more of it.
    await run.fresh((point) => memory('by-cmdline')(point) && pidOf(point) === workers[1]!.pid, 3);
    await run.expectSilence((point) => ofService('by-cmdline')(point) && pidOf(point) === workers[0]!.pid, 3_000, 'the ended worker');
    const stillWatched = await run.fresh(memory('by-cmdline'), 4);
    expect(pidsIn(stillWatched)).toEqual(new Set([workers[1]!.pid, third.pid]));

    // The PID file rewritten to another program's PID (the service restarted): followed at
    // once, the same instance (a service's series outlive its restarts).
    const second = programs.start('/bin/sleep', ['1001']);
    writeFileSync(pidFile, `${second.pid}\n`);
    const [followed] = await run.fresh((point) => memory('by-pidfile')(point) && pidOf(point) === second.pid);
    expect(followed!.resource['service.instance.id']).toBe(byPidFile!.resource['service.instance.id']);
    expect(followed!.resource['process.creation.time']).not.toBe(byPidFile!.resource['process.creation.time']);
    await sleep(1_000);
    const afterRewrite = await run.fresh(memory('by-pidfile'), 3);
    expect(pidsIn(afterRewrite)).toEqual(new Set([second.pid]));
  });
});
