import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler } from 'rxjs';
import { processTargetSchema } from '../receivers/process/config.js';
import { ProcfsBackend } from '../receivers/process/procfs-backend.js';
import { loadProcfsConstants } from '../receivers/process/procfs-constants.js';
import { ProcessScraper } from '../receivers/process/scraper.js';
import { ProcessMatcher } from '../receivers/process/selection/matcher.js';
import { emptyProcStat, parseProcStat } from '../receivers/process/stat-parser.js';
import { staticTargets } from '../receivers/process/targets.js';
import { packageRoot } from '../src/package-root.js';
import { CountingTelemetry } from '../src/telemetry/counters.js';
import { JsonLogger } from '../src/telemetry/logger.js';
import type { BenchRow } from './types.js';

const UNIT = 'ms CPU/s';
/**
 * The agent scrapes once a second: a warm-up until its first window is out, then this many
 * whole seconds measured. A minute, not less: V8's memory reducer runs one pair of full
 * collections (~50 ms) some 15 s after start, once; a 20 s window charged it as a third of
 * the agent's steady cost.
 */
const MEASURED_SECONDS = 60;
/** A window as one would run it for health: a point per series every 10 s. */
const WINDOW = '10s';

/** A bare pidusage loop, as one would write it: every second, pidusage over the same PIDs. */
const PIDUSAGE_LOOP = `
const pidusage = require('pidusage');
const pids = JSON.parse(process.argv[1]);
setInterval(() => { pidusage(pids).catch(() => undefined); }, 1000);
`;

/**
 * `console` (JSON lines on stdout, the embedded default pipeline's exporter) writes as it
 * goes; `file` writes through its durable outbox in the store (SQLite), so a line survives a
 * restart: the cost of that durability is its own row.
 */
type BenchExporter = 'console' | 'file';

function pipelineYaml(dir: string, pattern: string, exporter: BenchExporter): string {
  const exporterYaml =
    exporter === 'console' ? ['  console:', '    format: json'] : ['  file:', `    path: ${JSON.stringify(join(dir, 'points.jsonl'))}`];
  return [
    'receivers:',
    '  process:',
    '    collection_interval: 1s',
    '    targets:',
    `      - { service: bench, command_line: ${JSON.stringify(pattern)} }`,
    'processors:',
    '  window:',
    `    size: ${WINDOW}`,
    '    aggregates: [mean, max, last]',
    'exporters:',
    ...exporterYaml,
    'service:',
    `  data_dir: ${JSON.stringify(join(dir, 'data'))}`,
    '  pipelines:',
    '    metrics:',
    '      receivers: [process]',
    '      processors: [window]',
    `      exporters: [${exporter}]`,
    '',
  ].join('\n');
}

/** CPU seconds (user + system, all threads) a running process has used, from /proc/PID/stat. */
function cpuSecondsOf(pid: number, clockTicks: number): number {
  const buffer = readFileSync(`/proc/${pid}/stat`);
  const stat = emptyProcStat();
  if (!parseProcStat(buffer, buffer.length, stat)) throw new Error(`bench: cannot parse /proc/${pid}/stat`);
  return (stat.utimeTicks + stat.stimeTicks) / clockTicks;
}

const PID_FIELD = /"process\.pid":\s*(\d+)/g;

/** The PIDs the agent has exported points for so far (the file exporter's file). */
function exportedPids(path: string): Set<number> {
  const pids = new Set<number>();
  if (!existsSync(path)) return pids;
  for (const match of readFileSync(path, 'utf8').matchAll(PID_FIELD)) pids.add(Number(match[1]));
  return pids;
}

async function until(what: string, timeoutMs: number, done: () => boolean, child: ChildProcess): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`bench: the agent exited while waiting for ${what}`);
    if (performance.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** The receiver alone, in this process: the same command_line target scraped as often as the agent does in the measured time. */
async function receiverAlone(pattern: string, expected: number): Promise<number> {
  // Wired as the receiver wires them: the backend keeps selection's cache true.
  const matcher = new ProcessMatcher();
  const scraper = new ProcessScraper(
    new ProcfsBackend({ fileDescriptors: false, observed: matcher.observed }),
    { scheduler: asyncScheduler, logger: new JsonLogger({ level: 'error', sink: { write: () => undefined }, now: Date.now }), telemetry: new CountingTelemetry() },
    undefined,
    matcher,
  );
  const targets = staticTargets([processTargetSchema.parse({ service: 'bench', command_line: pattern })]);
  try {
    // Warmed like the agent, which is measured after its first window: the JIT has settled.
    for (let warm = 0; warm < 20; warm++) await scraper.scrape(targets);
    const found = new Set((await scraper.scrape(targets)).map((point) => point.series.resource.attributes['process.pid']));
    if (found.size !== expected) throw new Error(`bench: the receiver alone found ${found.size} processes, not ${expected}`);
    const start = process.cpuUsage();
    for (let scrape = 0; scrape < MEASURED_SECONDS; scrape++) await scraper.scrape(targets);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000 / MEASURED_SECONDS;
  } finally {
    scraper.close();
  }
}

interface RunningAgent {
  readonly child: ChildProcess;
  readonly dir: string;
  /** The PIDs exported so far. */
  exported(): Set<number>;
  /** The warm-up is over: the console's lines are drained unread from now on. */
  stopReading(): void;
  stderrTail(): string;
}

/**
 * The built CLI as a child with a generated pipeline.yaml in a temp directory. `console`
 * writes to a pipe this process drains, as a service manager's journal would: the agent
 * pays for a pipe write, not for a file on disk. The lines are read for PIDs until the
 * warm-up is over, then only drained (that reading is this process's CPU, not the agent's).
 * `file` writes dir/points.jsonl.
 */
function startAgent(cli: string, pattern: string, exporter: BenchExporter): RunningAgent {
  const dir = mkdtempSync(join(tmpdir(), `healthpipe-bench-agent-${exporter}-`));
  const pipeline = join(dir, 'pipeline.yaml');
  writeFileSync(pipeline, pipelineYaml(dir, pattern, exporter));
  const child = spawn(process.execPath, [cli, 'run', '-c', pipeline], { cwd: dir, stdio: ['ignore', exporter === 'console' ? 'pipe' : 'ignore', 'pipe'] });
  const piped = new Set<number>();
  let tail = '';
  let reading = true;
  child.stdout?.on('data', (chunk: Buffer) => {
    if (!reading) return;
    const text = tail + chunk.toString('latin1');
    for (const match of text.matchAll(PID_FIELD)) piped.add(Number(match[1]));
    tail = text.slice(-64);
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exported = () => (exporter === 'console' ? piped : exportedPids(join(dir, 'points.jsonl')));
  return { child, dir, exported, stopReading: () => (reading = false), stderrTail: () => stderr };
}

/** Waits until the agent has exported points of every watched process (its first window is out). */
async function warmedUp(agent: RunningAgent, expected: number): Promise<void> {
  const done = () => agent.exported().size >= expected;
  await until(`points of all ${expected} processes`, 60_000, done, agent.child).catch((error: Error) => {
    throw new Error(`${error.message}\n${agent.stderrTail()}`);
  });
  agent.stopReading();
}

async function stopAgent(agent: RunningAgent): Promise<void> {
  await stop(agent.child);
  rmSync(agent.dir, { recursive: true, force: true });
}

/** CPU milliseconds per second each of `children` uses over the same MEASURED_SECONDS. */
async function cpuPerSecond(children: readonly ChildProcess[], clockTicks: number): Promise<number[]> {
  const start = children.map((child) => cpuSecondsOf(child.pid!, clockTicks));
  await new Promise((resolve) => setTimeout(resolve, MEASURED_SECONDS * 1000));
  return children.map((child, index) => ((cpuSecondsOf(child.pid!, clockTicks) - start[index]!) * 1000) / MEASURED_SECONDS);
}

/**
 * The whole agent (the built CLI, as a child, with a generated pipeline.yaml) watching
 * `pids`, found by a command-line regex, at 1 s through a window processor; beside it, over
 * the same seconds, a bare pidusage loop over the same PIDs in another child. Both are read
 * from /proc/PID/stat, so each figure is a whole Node process: runtime, timers and GC
 * included. Then the same agent with the durable file exporter, and the receiver alone.
 */
export async function measureAgent(pids: readonly number[], pattern: string): Promise<BenchRow[]> {
  const cli = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(cli)) throw new Error(`bench: ${cli} is missing; run npm run build first`);
  const { clockTicks } = await loadProcfsConstants();
  const over = `${pids.length} processes found by command_line, ${MEASURED_SECONDS} s, /proc/PID/stat of the child`;

  const loop = spawn(process.execPath, ['-e', PIDUSAGE_LOOP, JSON.stringify(pids)], { cwd: packageRoot(), stdio: 'ignore' });
  let agent = startAgent(cli, pattern, 'console');
  try {
    await warmedUp(agent, pids.length);
    const [agentMs, loopMs] = (await cpuPerSecond([agent.child, loop], clockTicks)) as [number, number];
    await Promise.all([stopAgent(agent), stop(loop)]);

    agent = startAgent(cli, pattern, 'file');
    await warmedUp(agent, pids.length);
    const [durableMs] = (await cpuPerSecond([agent.child], clockTicks)) as [number];
    await stopAgent(agent);

    const aloneMs = await receiverAlone(pattern, pids.length);
    return [
      {
        name: `whole agent: built CLI, process (command_line) → window ${WINDOW} → console json (to a pipe)`,
        role: 'measured',
        value: agentMs,
        unit: UNIT,
        note: `${over}; target ≤ 0.6 × the bare pidusage loop of the same seconds (${(0.6 * loopMs).toFixed(1)} ms CPU/s here)`,
      },
      { name: 'bare pidusage loop (a Node child, pidusage over the same PIDs every 1 s)', role: 'reference', value: loopMs, unit: UNIT, note: 'the same seconds as the agent' },
      { name: 'whole agent ÷ bare pidusage loop', role: 'measured', value: agentMs / loopMs, unit: '×', note: 'target ≤ 0.6; same run' },
      { name: 'whole agent, file exporter instead (durable outbox in SQLite)', role: 'measured', value: durableMs, unit: UNIT, note: over },
      {
        name: 'process receiver alone (match + scrape, in this process)',
        role: 'measured',
        value: aloneMs,
        unit: UNIT,
        note: `one scrape a second, ${pids.length} processes; ${(aloneMs / loopMs).toFixed(2)}× the bare pidusage loop (no target of its own: the agent's share of it)`,
      },
    ];
  } finally {
    await Promise.all([stopAgent(agent), stop(loop)]);
  }
}
