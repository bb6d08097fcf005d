import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
/** The agent scrapes once a second: a warm-up of two windows, then this many whole seconds measured. */
const MEASURED_SECONDS = 20;
const WINDOW = '5s';

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

/** The PIDs the agent has exported points for so far. */
function exportedPids(path: string): Set<number> {
  const pids = new Set<number>();
  if (!existsSync(path)) return pids;
  for (const match of readFileSync(path, 'utf8').matchAll(/"process\.pid":\s*(\d+)/g)) pids.add(Number(match[1]));
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
  const scraper = new ProcessScraper(
    new ProcfsBackend({ fileDescriptors: false }),
    { scheduler: asyncScheduler, logger: new JsonLogger({ level: 'error', sink: { write: () => undefined }, now: Date.now }), telemetry: new CountingTelemetry() },
    undefined,
    new ProcessMatcher(),
  );
  const targets = staticTargets([processTargetSchema.parse({ service: 'bench', command_line: pattern })]);
  try {
    for (let warm = 0; warm < 3; warm++) await scraper.scrape(targets);
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
  stderrTail(): string;
}

/** The built CLI as a child with a generated pipeline.yaml in a temp directory; its points land in dir/points.jsonl. */
function startAgent(cli: string, pattern: string, exporter: BenchExporter): RunningAgent {
  const dir = mkdtempSync(join(tmpdir(), `healthpipe-bench-agent-${exporter}-`));
  const pipeline = join(dir, 'pipeline.yaml');
  writeFileSync(pipeline, pipelineYaml(dir, pattern, exporter));
  const stdout = exporter === 'console' ? openSync(join(dir, 'points.jsonl'), 'w') : 'ignore';
  const child = spawn(process.execPath, [cli, 'run', '-c', pipeline], { cwd: dir, stdio: ['ignore', stdout, 'pipe'] });
  if (typeof stdout === 'number') closeSync(stdout);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return { child, dir, stderrTail: () => stderr };
}

/** Waits until the agent has exported points of every watched process (its first windows are out). */
async function warmedUp(agent: RunningAgent, expected: number): Promise<void> {
  const done = () => exportedPids(join(agent.dir, 'points.jsonl')).size >= expected;
  await until(`points of all ${expected} processes`, 60_000, done, agent.child).catch((error: Error) => {
    throw new Error(`${error.message}\n${agent.stderrTail()}`);
  });
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
      { name: 'whole agent: built CLI, process (command_line) → window → console json', role: 'measured', value: agentMs, unit: UNIT, note: over },
      { name: 'bare pidusage loop (a Node child, pidusage over the same PIDs every 1 s)', role: 'reference', value: loopMs, unit: UNIT, note: 'the same seconds as the agent' },
      { name: 'whole agent ÷ bare pidusage loop', role: 'measured', value: agentMs / loopMs, unit: '×', note: 'target ≤ 0.6' },
      { name: 'whole agent, file exporter instead (durable outbox in SQLite)', role: 'measured', value: durableMs, unit: UNIT, note: over },
      { name: 'process receiver alone (match + scrape, in this process)', role: 'measured', value: aloneMs, unit: UNIT, note: `one scrape a second, ${pids.length} processes` },
    ];
  } finally {
    await Promise.all([stopAgent(agent), stop(loop)]);
  }
}
