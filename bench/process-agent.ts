import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler } from 'rxjs';
import { processTargetSchema } from '../receivers/process/config.js';
import { ProcfsBackend } from '../receivers/process/procfs-backend.js';
import { ProcessScraper } from '../receivers/process/scraper.js';
import { ProcessMatcher } from '../receivers/process/selection/matcher.js';
import { staticTargets } from '../receivers/process/targets.js';
import { packageRoot } from '../src/package-root.js';
import { CountingTelemetry } from '../src/telemetry/counters.js';
import { JsonLogger } from '../src/telemetry/logger.js';
import type { BenchRow } from './types.js';

const UNIT = 'ms CPU/s';
/**
 * The agent scrapes once a second. It is measured settled: after its first window is out,
 * this long again before measuring. V8 is still compiling (its JIT threads at 2.5–6 ms CPU/s
 * 40–60 s after start) and runs its memory reducer's full collections once some 15 s in:
 * a shorter warm-up charged start-up as steady cost.
 */
const WARM_UP_SECONDS = 60;
/** Then this many whole seconds measured, in spans of one window each (each holds one window's output); the median span is reported. */
const MEASURED_SECONDS = 60;
const SPAN_SECONDS = 10;
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

/** CPU seconds (user + system) a running process has used: its main thread, and all its other threads (V8's compiler and GC helpers, libuv's pool). */
interface ThreadCpu {
  readonly main: number;
  readonly others: number;
}

/**
 * A thread's time on a CPU, user and system, in nanoseconds (/proc/PID/task/TID/schedstat):
 * the clock-tick counts of stat are 10 ms steps, 1 ms CPU/s over a 10 s span.
 */
function threadSecondsOf(pid: number, tid: string): number {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1');
  } catch {
    // A thread that ended between the listing and the read: its time is in no figure of either reading.
    return 0;
  }
  const nanoseconds = Number(text.slice(0, text.indexOf(' ')));
  if (!Number.isFinite(nanoseconds)) throw new Error(`bench: cannot read /proc/${pid}/task/${tid}/schedstat`);
  return nanoseconds / 1e9;
}

function cpuSecondsOf(pid: number): ThreadCpu {
  let others = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) if (tid !== String(pid)) others += threadSecondsOf(pid, tid);
  return { main: threadSecondsOf(pid, String(pid)), others };
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
    for (let warm = 0; warm < WARM_UP_SECONDS; warm++) await scraper.scrape(targets);
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

/** CPU milliseconds per second of one child over one span: all threads, and the main thread's share. */
interface SpanCpu {
  readonly total: number;
  readonly main: number;
}

/**
 * CPU milliseconds per second each of `children` uses, over MEASURED_SECONDS in spans of
 * SPAN_SECONDS, all children read at the same instants: per child, the median span (by its
 * total), and per span the figures of every child (for same-span ratios).
 */
async function cpuPerSecond(children: readonly ChildProcess[]): Promise<SpanCpu[][]> {
  const spans: SpanCpu[][] = [];
  let before = children.map((child) => cpuSecondsOf(child.pid!));
  for (let span = 0; span < MEASURED_SECONDS / SPAN_SECONDS; span++) {
    await new Promise((resolve) => setTimeout(resolve, SPAN_SECONDS * 1000));
    const after = children.map((child) => cpuSecondsOf(child.pid!));
    spans.push(
      after.map((now, index) => {
        const main = ((now.main - before[index]!.main) * 1000) / SPAN_SECONDS;
        return { main, total: main + ((now.others - before[index]!.others) * 1000) / SPAN_SECONDS };
      }),
    );
    before = after;
  }
  return spans;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The median span of child `index` by its total, and the median main-thread figure. */
function medianOf(spans: readonly SpanCpu[][], index: number): SpanCpu {
  return { total: median(spans.map((span) => span[index]!.total)), main: median(spans.map((span) => span[index]!.main)) };
}

/** Waits out the warm-up: V8 settled, the memory reducer's one-off collections behind. */
async function settle(child: ChildProcess): Promise<void> {
  const deadline = performance.now() + WARM_UP_SECONDS * 1000;
  await until('the warm-up', WARM_UP_SECONDS * 1000 + 5000, () => performance.now() >= deadline, child);
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
  const over = `${pids.length} processes found by command_line; after its first window and ${WARM_UP_SECONDS} s more, ${MEASURED_SECONDS} s in ${SPAN_SECONDS} s spans, the median span; /proc/PID/task/*/schedstat of the child`;

  const loop = spawn(process.execPath, ['-e', PIDUSAGE_LOOP, JSON.stringify(pids)], { cwd: packageRoot(), stdio: 'ignore' });
  let agent = startAgent(cli, pattern, 'console');
  try {
    await warmedUp(agent, pids.length);
    await settle(agent.child);
    const spans = await cpuPerSecond([agent.child, loop]);
    const agentCpu = medianOf(spans, 0);
    const loopCpu = medianOf(spans, 1);
    const ratio = median(spans.map((span) => span[0]!.total / span[1]!.total));
    await Promise.all([stopAgent(agent), stop(loop)]);

    agent = startAgent(cli, pattern, 'file');
    await warmedUp(agent, pids.length);
    await settle(agent.child);
    const durable = medianOf(await cpuPerSecond([agent.child]), 0);
    await stopAgent(agent);

    const aloneMs = await receiverAlone(pattern, pids.length);
    const threads = (cpu: SpanCpu) => `main thread ${cpu.main.toFixed(1)}, other threads ${(cpu.total - cpu.main).toFixed(1)} ms CPU/s`;
    return [
      {
        name: `whole agent: built CLI, process (command_line) → window ${WINDOW} → console json (to a pipe)`,
        role: 'measured',
        value: agentCpu.total,
        unit: UNIT,
        note: `${over}; ${threads(agentCpu)}; target ≤ 0.6 × the bare pidusage loop of the same seconds (${(0.6 * loopCpu.total).toFixed(1)} ms CPU/s here)`,
      },
      {
        name: 'bare pidusage loop (a Node child, pidusage over the same PIDs every 1 s)',
        role: 'reference',
        value: loopCpu.total,
        unit: UNIT,
        note: `the same seconds as the agent; ${threads(loopCpu)}`,
      },
      { name: 'whole agent ÷ bare pidusage loop', role: 'measured', value: ratio, unit: '×', note: `target ≤ 0.6; median of the ${spans.length} spans' ratios, same run` },
      { name: 'whole agent, file exporter instead (durable outbox in SQLite)', role: 'measured', value: durable.total, unit: UNIT, note: `${over}; ${threads(durable)}` },
      {
        name: 'process receiver alone (match + scrape, in this process)',
        role: 'measured',
        value: aloneMs,
        unit: UNIT,
        note: `one scrape a second, ${pids.length} processes; ${(aloneMs / loopCpu.total).toFixed(2)}× the bare pidusage loop (no target of its own: the agent's share of it)`,
      },
    ];
  } finally {
    await Promise.all([stopAgent(agent), stop(loop)]);
  }
}
