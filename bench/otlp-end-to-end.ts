import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProcfsConstants } from '../receivers/process/procfs-constants.js';
import { emptyProcStat, parseProcStat } from '../receivers/process/stat-parser.js';
import { packageRoot } from '../src/package-root.js';
import { terminate } from '../test/helpers/server-process.js';
import { startVictoriaMetrics, type RunningVictoriaMetrics } from '../test/helpers/victoria-metrics.js';
import { AGENT_SENDER, BARE_SENDER, POINTS_PER_INTERVAL, POINTS_PER_RESOURCE, RESOURCES } from './otlp-load.js';
import type { BenchRow, BenchSection } from './types.js';

/**
 * End to end, receiver → OTLP → VictoriaMetrics (DESIGN §6): the built agent as a child, fed by
 * the `bench_load` plugin (bench/otlp-load-plugin.ts: 1,000 resources of 10 points every
 * second, one batch, as a process receiver's scrape), shipping with the `otlp` exporter to a
 * real VictoriaMetrics; its CPU time from /proc/PID/stat over the measured seconds, its
 * delivered points from its own `healthpipe.exporter.sent` (the `internal` receiver, every
 * second, to a console pipe this process reads). Beside it over the same seconds, the bare
 * JS exporter (bench/otlp-bare-exporter.ts) shipping the same load to the same
 * VictoriaMetrics in one request per resource, the agent's shape. Then the agent with a
 * discarding exporter (receiver and graph only, so the exporter's share shows), beside the
 * bare exporter at 100 points per request, the DESIGN's reference shape.
 *
 * Without the VictoriaMetrics program (scripts/test-components.sh not run) both ship to a
 * local endpoint that answers 200, and every row says so.
 */

/** Whole seconds measured after the warm-up: 25 intervals of the load; the module stays within ~2 minutes. */
const MEASURED_SECONDS = 25;
/**
 * Warm-up: three intervals delivered (the JIT settled, VictoriaMetrics has made the series:
 * its first requests are slow while it registers 10,000 new series) and at most two waiting;
 * or, for a shipper that does not keep up (the bare exporter at the agent's shape), some
 * points delivered and WARM_UP_AT_MOST_MS gone: its row then says how many still wait.
 */
const WARM_UP_POINTS = 3 * POINTS_PER_INTERVAL;
const CAUGHT_UP_POINTS = 2 * POINTS_PER_INTERVAL;
const WARM_UP_AT_MOST_MS = 20_000;
/** Not one point delivered by then: the shipper is broken, and the bench says so. */
const WARM_UP_TIMEOUT_MS = 60_000;
/** gzip, as the OTLP exporters of the collector send by default; the bare exporter is given the same. */
const COMPRESSION = 'gzip';
const TARGET_POINTS_PER_CPU_SECOND = 150_000;
const LOAD = `${RESOURCES.toLocaleString('en-US')} resources × ${POINTS_PER_RESOURCE} points every 1 s`;

/** The measured exporter of the agent, as pipeline.yaml's `exporters:` entry. */
interface AgentExporter {
  readonly id: string;
  readonly yaml: readonly string[];
}

function otlpExporter(endpoint: string): AgentExporter {
  return { id: 'otlp', yaml: ['  otlp:', `    endpoint: ${JSON.stringify(endpoint)}`, `    compression: ${COMPRESSION}`] };
}

const DISCARD: AgentExporter = { id: 'bench_discard', yaml: ['  bench_discard: {}'] };

function pipelineYaml(dir: string, exporter: AgentExporter): string {
  return [
    'plugins:',
    `  - ${JSON.stringify(join(packageRoot(), 'dist', 'bench', 'otlp-load-plugin.js'))}`,
    'receivers:',
    `  bench_load: { collection_interval: 1s, resources: ${RESOURCES}, sender: ${AGENT_SENDER} }`,
    '  internal: { collection_interval: 1s }',
    'exporters:',
    ...exporter.yaml,
    '  console: { format: json }',
    'service:',
    `  data_dir: ${JSON.stringify(join(dir, 'data'))}`,
    '  pipelines:',
    '    metrics:',
    '      receivers: [bench_load]',
    `      exporters: [${exporter.id}]`,
    '    metrics/telemetry:',
    '      receivers: [internal]',
    '      exporters: [console]',
    '',
  ].join('\n');
}

/** CPU seconds (user + system) from a /proc stat file. */
function cpuSecondsIn(path: string, clockTicks: number): number {
  const buffer = readFileSync(path);
  const stat = emptyProcStat();
  if (!parseProcStat(buffer, buffer.length, stat)) throw new Error(`bench: cannot parse ${path}`);
  return (stat.utimeTicks + stat.stimeTicks) / clockTicks;
}

/** A running process's CPU seconds: all its threads, and its main (JavaScript) thread alone. */
interface CpuSeconds {
  readonly all: number;
  readonly main: number;
}

function cpuSecondsOf(pid: number, clockTicks: number): CpuSeconds {
  return { all: cpuSecondsIn(`/proc/${pid}/stat`, clockTicks), main: cpuSecondsIn(`/proc/${pid}/task/${pid}/stat`, clockTicks) };
}

/** A count, and the wall time (ms since the epoch) it was counted at. */
interface Reading {
  readonly at: number;
  readonly sent: number;
}

/** A child that ships the load and says how many points it delivered. */
interface Shipper {
  readonly name: string;
  readonly child: ChildProcess;
  /** The latest delivered count, and when it was counted. */
  latest(): Reading;
  /** Points made but not yet delivered, as last reported. */
  waiting(): number;
  /** More to say in the row's note: drops, backlog. */
  detail(): string;
  stop(): Promise<void>;
}

/** Lines of a child's stdout, one at a time; the partial last line waits for the next chunk. */
function onLines(child: ChildProcess, take: (line: string) => void): void {
  let tail = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const lines = (tail + chunk).split('\n');
    tail = lines.pop()!;
    for (const line of lines) take(line);
  });
}

function stderrTail(child: ChildProcess): () => string {
  let text = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (text = (text + chunk).slice(-4000)));
  return () => text;
}

/**
 * HEALTHPIPE_BENCH_PROFILE=DIR: each agent writes a V8 CPU profile (.cpuprofile, open it in
 * Chrome's DevTools) into DIR when it stops, to see where its time goes. The figures of such
 * a run are the profiler's too: do not quote them.
 */
function profiling(): string[] {
  const dir = process.env['HEALTHPIPE_BENCH_PROFILE'];
  return dir === undefined || dir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/** The built CLI with the load and `exporter`; its self-telemetry on stdout as console JSON. */
function startAgent(cli: string, exporter: AgentExporter): Shipper {
  const dir = mkdtempSync(join(tmpdir(), `healthpipe-bench-otlp-${exporter.id}-`));
  const pipeline = join(dir, 'pipeline.yaml');
  writeFileSync(pipeline, pipelineYaml(dir, exporter));
  const child = spawn(process.execPath, [...profiling(), cli, 'run', '-c', pipeline], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = stderrTail(child);
  let latest: Reading = { at: Date.now(), sent: 0 };
  const counts = new Map<string, number>();
  onLines(child, (line) => {
    if (!line.includes('"healthpipe.exporter.')) return;
    const point = JSON.parse(line) as { time: string; name: string; value: number; attributes: Record<string, string> };
    if (point.attributes['component'] !== exporter.id) return;
    const name = point.name.slice('healthpipe.exporter.'.length);
    // Counted at the reading's own time (the internal receiver's), not when its line arrived here.
    if (name === 'sent') latest = { at: Date.parse(point.time), sent: point.value };
    else counts.set([name, ...Object.entries(point.attributes).filter(([key]) => key !== 'component').map(([, value]) => value)].join(' '), point.value);
  });
  return {
    name: `agent → ${exporter.id}`,
    child,
    latest: () => latest,
    waiting: () => counts.get('queue_size delivery') ?? 0,
    detail: () => {
      const nonZero = [...counts].filter(([, value]) => value > 0).map(([name, value]) => `${name} ${value.toLocaleString('en-US')}`);
      const exited = child.exitCode !== null || child.signalCode !== null ? `; exited: ${stderr()}` : '';
      return (nonZero.length > 0 ? `; ${nonZero.join(', ')}` : '') + exited;
    },
    stop: async () => {
      await terminate(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The bare JS exporter child (bench/otlp-bare-exporter.ts) at `pointsPerRequest`. */
function startBare(url: string, pointsPerRequest: number): Shipper {
  const script = join(packageRoot(), 'dist', 'bench', 'otlp-bare-exporter.js');
  const child = spawn(process.execPath, [script, url, String(pointsPerRequest), COMPRESSION], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = stderrTail(child);
  let latest: Reading = { at: Date.now(), sent: 0 };
  let failed = 0;
  let backlog = 0;
  onLines(child, (line) => {
    const report = JSON.parse(line) as { sent: number; failed: number; backlog: number };
    latest = { at: Date.now(), sent: report.sent };
    failed = report.failed;
    backlog = report.backlog;
  });
  return {
    name: `bare exporter, ${pointsPerRequest} points per request`,
    child,
    latest: () => latest,
    waiting: () => backlog,
    detail: () => {
      const parts = [failed > 0 ? `failed ${failed.toLocaleString('en-US')}` : '', backlog > POINTS_PER_INTERVAL ? `${backlog.toLocaleString('en-US')} points still waiting to be sent: it does not keep up` : ''];
      const said = parts.filter((part) => part !== '');
      const exited = child.exitCode !== null || child.signalCode !== null ? `; exited: ${stderr()}` : '';
      return (said.length > 0 ? `; ${said.join(', ')}` : '') + exited;
    },
    stop: () => terminate(child),
  };
}

async function warmedUp(shipper: Shipper): Promise<void> {
  const started = performance.now();
  const deadline = started + WARM_UP_TIMEOUT_MS;
  const warm = () =>
    (shipper.latest().sent >= WARM_UP_POINTS && shipper.waiting() <= CAUGHT_UP_POINTS) || (shipper.latest().sent > 0 && performance.now() - started > WARM_UP_AT_MOST_MS);
  while (!warm()) {
    if (shipper.child.exitCode !== null || shipper.child.signalCode !== null) throw new Error(`bench: ${shipper.name} exited during the warm-up${shipper.detail()}`);
    if (performance.now() > deadline) throw new Error(`bench: ${shipper.name} delivered ${shipper.latest().sent} points in ${WARM_UP_TIMEOUT_MS / 1000} s, not ${WARM_UP_POINTS}${shipper.detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What one shipper did over the measured seconds. */
interface Measured {
  /** Points delivered per wall second (from its own counts, over their own timestamps). */
  readonly pointsPerSecond: number;
  /** CPU seconds per wall second. */
  readonly cpuPerSecond: number;
  /** Of which the main thread's (JavaScript); the rest is libuv's pool (gzip) and V8's helpers (GC). */
  readonly mainCpuPerSecond: number;
  readonly detail: string;
}

/** Points per CPU-second. */
const efficiency = (measured: Measured) => measured.pointsPerSecond / measured.cpuPerSecond;
/** µs of CPU per point delivered. */
const microsPerPoint = (measured: Measured) => 1e6 / efficiency(measured);

/** Every shipper warmed up, then all measured over the same MEASURED_SECONDS. */
async function measureTogether(shippers: readonly Shipper[], clockTicks: number): Promise<Measured[]> {
  await Promise.all(shippers.map(warmedUp));
  const startWall = performance.now();
  const startCpu = shippers.map((shipper) => cpuSecondsOf(shipper.child.pid!, clockTicks));
  const startCounts = shippers.map((shipper) => shipper.latest());
  await new Promise((resolve) => setTimeout(resolve, MEASURED_SECONDS * 1000));
  const wallSeconds = (performance.now() - startWall) / 1000;
  return shippers.map((shipper, index) => {
    const end = shipper.latest();
    const begin = startCounts[index]!;
    if (end.at <= begin.at) throw new Error(`bench: ${shipper.name} reported no count during the measured seconds${shipper.detail()}`);
    const cpu = cpuSecondsOf(shipper.child.pid!, clockTicks);
    return {
      pointsPerSecond: (end.sent - begin.sent) / ((end.at - begin.at) / 1000),
      cpuPerSecond: (cpu.all - startCpu[index]!.all) / wallSeconds,
      mainCpuPerSecond: (cpu.main - startCpu[index]!.main) / wallSeconds,
      detail: shipper.detail(),
    };
  });
}

/** Where the points go: a real VictoriaMetrics, or (without the program) a local endpoint answering 200. */
interface Backend {
  readonly what: string;
  /** The OTLP base URL (`/v1/metrics` appended by the agent's exporter). */
  readonly otlpUrl: string;
  /** What the backend holds afterwards, for a note. */
  holds(): Promise<string>;
  stop(): Promise<void>;
}

async function startBackend(): Promise<Backend> {
  let vm: RunningVictoriaMetrics;
  try {
    vm = await startVictoriaMetrics();
  } catch (error) {
    process.stderr.write(`bench: no VictoriaMetrics (${(error as Error).message.split('\n')[0]}); shipping to a local endpoint answering 200 instead\n`);
    return localEndpoint();
  }
  return {
    what: 'a real VictoriaMetrics 1.112',
    otlpUrl: vm.otlpUrl,
    async holds() {
      const counts = await Promise.all(
        [AGENT_SENDER, BARE_SENDER].map(async (sender) => {
          const [series] = await vm.query(`count({bench_sender="${sender}"})`);
          return `${sender}: ${Number(series?.value[1] ?? 0).toLocaleString('en-US')} series`;
        }),
      );
      return `VictoriaMetrics holds ${counts.join(', ')} (${(RESOURCES * POINTS_PER_RESOURCE).toLocaleString('en-US')} each expected)`;
    },
    stop: () => vm.stop(),
  };
}

/** An OTLP/HTTP endpoint that reads each request and answers 200 with an empty ExportMetricsServiceResponse. */
async function localEndpoint(): Promise<Backend> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('bench: no port for the local endpoint');
  return {
    what: 'a local endpoint answering 200 (VictoriaMetrics not available: run bash scripts/test-components.sh)',
    otlpUrl: `http://127.0.0.1:${address.port}`,
    holds: async () => 'nothing stored: no VictoriaMetrics',
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function run(): Promise<BenchSection> {
  const cli = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(cli)) throw new Error(`bench: ${cli} is missing; run npm run build first`);
  const { clockTicks } = await loadProcfsConstants();
  const backend = await startBackend();
  const running: Shipper[] = [];
  const started = (shipper: Shipper) => (running.push(shipper), shipper);
  try {
    const bareUrl = `${backend.otlpUrl}/v1/metrics`;
    const agentOtlp = started(startAgent(cli, otlpExporter(backend.otlpUrl)));
    const bareAgentShape = started(startBare(bareUrl, POINTS_PER_RESOURCE));
    const [otlp, bareTen] = (await measureTogether([agentOtlp, bareAgentShape], clockTicks)) as [Measured, Measured];
    await Promise.all(running.splice(0).map((shipper) => shipper.stop()));

    const agentDiscard = started(startAgent(cli, DISCARD));
    const bareHundred = started(startBare(bareUrl, 100));
    const [discard, bareHundredMeasured] = (await measureTogether([agentDiscard, bareHundred], clockTicks)) as [Measured, Measured];
    await Promise.all(running.splice(0).map((shipper) => shipper.stop()));
    const holds = await backend.holds();

    const over = `${LOAD}; ${MEASURED_SECONDS} s after a warm-up of ${WARM_UP_POINTS.toLocaleString('en-US')} points; CPU from /proc/PID/stat of the child`;
    const rate = (measured: Measured) =>
      `${Math.round(measured.pointsPerSecond).toLocaleString('en-US')} points/s delivered at ${(measured.cpuPerSecond * 1000).toFixed(0)} ms CPU/s ` +
      `(main thread ${(measured.mainCpuPerSecond * 1000).toFixed(0)}, other threads: gzip, GC ${((measured.cpuPerSecond - measured.mainCpuPerSecond) * 1000).toFixed(0)})`;
    const exporterShare = microsPerPoint(otlp) - microsPerPoint(discard);
    return {
      title: 'End to end: receiver → OTLP → VictoriaMetrics',
      target: `≥ ${TARGET_POINTS_PER_CPU_SECOND.toLocaleString('en-US')} points per CPU-second of the agent, load shaped like an agent's (${LOAD}); the bare JS OTLP exporter ≈ 4 µs per point at 100 points per request`,
      rows: [
        {
          name: `whole agent: built CLI, bench_load plugin → otlp (protobuf, ${COMPRESSION}) → ${backend.what}`,
          role: 'measured',
          value: efficiency(otlp),
          unit: 'points per CPU-second',
          note: `${rate(otlp)}; ${over}; target ≥ ${TARGET_POINTS_PER_CPU_SECOND.toLocaleString('en-US')}${otlp.detail}; ${holds}`,
        },
        { name: 'whole agent → otlp, per point', role: 'measured', value: microsPerPoint(otlp), unit: 'µs CPU per point', note: 'the row above, inverted' },
        {
          name: 'whole agent, same load → bench_discard (receiver, graph, runtime: no exporter)',
          role: 'measured',
          value: microsPerPoint(discard),
          unit: 'µs CPU per point',
          note: `${rate(discard)}; the same seconds as the bare exporter at 100 points per request${discard.detail}`,
        },
        { name: 'the otlp exporter’s share (the two rows above, subtracted)', role: 'measured', value: exporterShare, unit: 'µs CPU per point', note: 'encoding, gzip, HTTP, delivery queue' },
        {
          name: `bare JS OTLPMetricExporter (proto, ${COMPRESSION}), the agent's shape: one resource of ${POINTS_PER_RESOURCE} points per request`,
          role: 'reference',
          value: microsPerPoint(bareTen),
          unit: 'µs CPU per point',
          note: `${rate(bareTen)}; hand-built ResourceMetrics, ≤ 8 requests in flight, the same seconds as the agent → otlp${bareTen.detail}`,
        },
        {
          name: `bare JS OTLPMetricExporter (proto, ${COMPRESSION}), 100 points per request`,
          role: 'reference',
          value: microsPerPoint(bareHundredMeasured),
          unit: 'µs CPU per point',
          note: `${rate(bareHundredMeasured)}; DESIGN §6: ≈ 4 µs${bareHundredMeasured.detail}`,
        },
        {
          name: 'whole agent → otlp ÷ bare exporter at the agent’s shape (CPU per point)',
          role: 'measured',
          value: microsPerPoint(otlp) / microsPerPoint(bareTen),
          unit: '×',
          note: `÷ the bare exporter at 100 points per request: ${(microsPerPoint(otlp) / microsPerPoint(bareHundredMeasured)).toFixed(2)}×; same run`,
        },
      ],
    };
  } finally {
    await Promise.all(running.map((shipper) => shipper.stop()));
    await backend.stop();
  }
}
