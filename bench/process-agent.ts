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
/** The agent scrapes once a second: a warm-up of two windows, then this many whole seconds measured. */
const MEASURED_SECONDS = 20;
const WINDOW = '5s';

/** A bare pidusage loop, as one would write it: every second, pidusage over the same PIDs. */
const PIDUSAGE_LOOP = `
const pidusage = require('pidusage');
const pids = JSON.parse(process.argv[1]);
setInterval(() => { pidusage(pids).catch(() => undefined); }, 1000);
`;

function pipelineYaml(dir: string, pattern: string): string {
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
    '  file:',
    `    path: ${JSON.stringify(join(dir, 'points.jsonl'))}`,
    'service:',
    `  data_dir: ${JSON.stringify(join(dir, 'data'))}`,
    '  pipelines:',
    '    metrics:',
    '      receivers: [process]',
    '      processors: [window]',
    '      exporters: [file]',
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

/**
 * The whole agent (the built CLI, as a child, with a generated pipeline.yaml) watching
 * `pids`, found by a command-line regex, at 1 s through a window processor into a file; beside it,
 * over the same seconds, a bare pidusage loop over the same PIDs in another child. Both are
 * read from /proc/PID/stat, so each figure is a whole Node process: runtime, timers and GC included.
 */
export async function measureAgent(pids: readonly number[], pattern: string): Promise<BenchRow[]> {
  const cli = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(cli)) throw new Error(`bench: ${cli} is missing; run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'healthpipe-bench-agent-'));
  const pipeline = join(dir, 'pipeline.yaml');
  writeFileSync(pipeline, pipelineYaml(dir, pattern));
  const { clockTicks } = await loadProcfsConstants();
  let stderr = '';
  const agent = spawn(process.execPath, [cli, 'run', '-c', pipeline], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  agent.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const loop = spawn(process.execPath, ['-e', PIDUSAGE_LOOP, JSON.stringify(pids)], { cwd: packageRoot(), stdio: 'ignore' });
  try {
    await until(`points of all ${pids.length} processes`, 60_000, () => exportedPids(join(dir, 'points.jsonl')).size >= pids.length, agent).catch(
      (error: Error) => {
        throw new Error(`${error.message}\n${stderr}`);
      },
    );
    const agentStart = cpuSecondsOf(agent.pid!, clockTicks);
    const loopStart = cpuSecondsOf(loop.pid!, clockTicks);
    await new Promise((resolve) => setTimeout(resolve, MEASURED_SECONDS * 1000));
    const agentMs = ((cpuSecondsOf(agent.pid!, clockTicks) - agentStart) * 1000) / MEASURED_SECONDS;
    const loopMs = ((cpuSecondsOf(loop.pid!, clockTicks) - loopStart) * 1000) / MEASURED_SECONDS;
    await Promise.all([stop(agent), stop(loop)]);
    const aloneMs = await receiverAlone(pattern, pids.length);
    const over = `${pids.length} processes found by command_line, over ${MEASURED_SECONDS} s`;
    return [
      { name: 'whole agent: built CLI, process (command_line) → window → file', role: 'measured', value: agentMs, unit: UNIT, note: `${over}, /proc/PID/stat of the child` },
      { name: 'process receiver alone (scrape + match, in this process)', role: 'measured', value: aloneMs, unit: UNIT, note: `one scrape a second, ${pids.length} processes` },
      { name: 'bare pidusage loop (a Node child, pidusage over the same PIDs every 1 s)', role: 'reference', value: loopMs, unit: UNIT, note: 'same seconds as the agent' },
      { name: 'whole agent ÷ bare pidusage loop', role: 'measured', value: agentMs / loopMs, unit: '×', note: 'target ≤ 0.6' },
    ];
  } finally {
    await Promise.all([stop(agent), stop(loop)]);
    rmSync(dir, { recursive: true, force: true });
  }
}
