import { afterEach, describe, expect, it } from 'vitest';
import type { ConsolePoint } from '../helpers/agent.js';
import { discoveryPipelineYaml } from '../helpers/discovery-pipeline.js';
import { ARRIVAL_TIMEOUT_MS, DiscoveryRun, named, ofService } from '../helpers/discovery-run.js';
import { Programs } from '../helpers/programs.js';
import { startSocketHolder, type SocketHolder } from '../helpers/socket-holder.js';

/**
 * Issue 7, "What it must show" 1: connection counts by state
 * (`process.network.connection.count` by `network.connection.state`) on the built CLI, for
 * a child process holding sockets whose states the test made: one listening socket, the
 * server ends of the connections the test opened (established), and of those the test
 * half-closed (close_wait, the child keeping its end open).
 */

const programs = new Programs();
let run: DiscoveryRun;
let holder: SocketHolder | undefined;

afterEach(async () => {
  holder?.closeAll();
  await run?.stop();
  await programs.stopAll();
});

/** `network.connection.state`'s values for TCP, as the receiver prints them. */
const ALL_STATES = ['established', 'syn_sent', 'syn_recv', 'fin_wait_1', 'fin_wait_2', 'time_wait', 'close', 'close_wait', 'last_ack', 'listen', 'closing'];

const connections = named('process.network.connection.count', ofService('sockets'));

/** The counts by state of the first whole scrape (all eleven states printed) whose counts satisfy `test`, waited for. */
async function countsOnceThey(test: (counts: Record<string, number>) => boolean): Promise<Record<string, number>> {
  let found: Record<string, number> | undefined;
  await run.agent.waitForPoint((point) => {
    if (!connections(point)) return false;
    const counts = countsAt(run.agent.points, point.time);
    if (Object.keys(counts).length < ALL_STATES.length || !test(counts)) return false;
    found = counts;
    return true;
  }, ARRIVAL_TIMEOUT_MS);
  return found!;
}

function countsAt(points: readonly ConsolePoint[], time: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const point of points) {
    if (connections(point) && point.time === time) counts[point.attributes['network.connection.state'] as string] = point.value;
  }
  return counts;
}

function expected(known: Record<string, number>): Record<string, number> {
  return Object.fromEntries(ALL_STATES.map((state) => [state, known[state] ?? 0]));
}

describe('connections by state, end to end', () => {
  it('counts the listening, established and close_wait sockets of a process, every state on every scrape', { timeout: 120_000 }, async () => {
    run = new DiscoveryRun('connections');
    holder = await startSocketHolder(programs);
    const opened = await holder.open(5);
    await holder.halfClose(opened.slice(0, 2));

    await run.start(
      discoveryPipelineYaml({
        processTargets: [`{ service: sockets, pid: ${holder.pid} }`],
        processMetrics: ['process.network.connection.count'],
      }),
    );
    const first = await countsOnceThey((counts) => counts['close_wait'] === 2);
    expect(first).toEqual(expected({ listen: 1, established: 3, close_wait: 2 }));

    // Two more connections, and the counts follow on the next scrapes.
    await holder.open(2);
    const later = await countsOnceThey((counts) => counts['established'] === 5);
    expect(later).toEqual(expected({ listen: 1, established: 5, close_wait: 2 }));
    const [sample] = run.agent.points.filter(connections);
    expect(sample!.unit).toBe('{connection}');
    expect(sample!.resource['process.pid']).toBe(holder.pid);
  });
});
