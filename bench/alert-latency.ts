import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Subject, asyncScheduler, concatMap, filter, interval, map, tap, type Subscription } from 'rxjs';
import type { MetricBatch } from '../src/model/point.js';
import type { EventBatch } from '../src/model/event.js';
import { Resource, SeriesSet } from '../src/model/series.js';
import { openStore } from '../src/storage/index.js';
import { startAlertmanager, type RunningAlertmanager } from '../test/helpers/alertmanager.js';
import { startHttpRecorder, type RecordedRequest, type RunningHttpRecorder } from '../test/helpers/http-recorder.js';
import { exporterOf, processorOperator } from './alert-components.js';
import type { BenchModule, BenchRow } from './types.js';

/**
 * Alert latency (DESIGN §6): from the moment the deciding window closes to Alertmanager's
 * API accepting the alert, in process, on the real clock: window → threshold → cooldown →
 * the `alertmanager` exporter (outbox on a SQLite file, as the agent runs it) → a recording
 * hop → a real Alertmanager 0.25. The hop timestamps Alertmanager's 200 as it arrives; it
 * adds one local HTTP round trip, so the figure is, if anything, high. Without the
 * Alertmanager program (scripts/test-components.sh not run), the hop answers 200 itself,
 * and the rows say so.
 */

const WINDOW_MS = 100;
/** The check value flips every 4 windows: fire, resolve, fire … rarely enough that flap detection stays quiet (25 % < flap_high). */
const HALF_PERIOD_WINDOWS = 4;
const POINT_EVERY_MS = 10;
const WARM_UP_CHANGES = 4;
const MEASURED_CHANGES = 24;
const RULE = 'bench_latency';
const REFERENCE_POSTS = 30;

const wallNow = (): number => performance.timeOrigin + performance.now();

interface Decision {
  /** Wall ms at which the deciding window closed (its end, the figure's time). */
  readonly closedAt: number;
  readonly state: 'firing' | 'resolved';
}

/** An event as it left cooldown and the sink's `consume` returned (the outbox holds it). */
interface HandedOver {
  readonly state: 'firing' | 'resolved';
  readonly at: number;
}

interface ChainRun {
  readonly decisions: Decision[];
  readonly handedOver: HandedOver[];
}

interface Destination {
  readonly hop: RunningHttpRecorder;
  readonly am?: RunningAlertmanager;
  readonly what: string;
  stop(): Promise<void>;
}

async function destination(): Promise<Destination> {
  let am: RunningAlertmanager | undefined;
  try {
    am = await startAlertmanager();
  } catch (error) {
    process.stderr.write(`bench: no Alertmanager (${(error as Error).message.split('\n')[0]}); measuring against a local HTTP endpoint\n`);
  }
  const hop = await startHttpRecorder(am === undefined ? {} : { upstream: am.url });
  return {
    hop,
    ...(am === undefined ? {} : { am }),
    what: am === undefined ? 'a local HTTP endpoint answering 200 (Alertmanager not available)' : 'a real Alertmanager 0.25',
    async stop() {
      await hop.stop();
      await am?.stop();
    },
  };
}

/** The value of the check at `time`: high (above the rule) for HALF_PERIOD_WINDOWS windows, then low as long. */
function valueAt(time: number): number {
  return Math.floor(time / (WINDOW_MS * HALF_PERIOD_WINDOWS)) % 2 === 1 ? 1 : 0;
}

/** Runs the chain until enough level changes went out; returns each decision. */
async function runChain(target: Destination, dataDir: string): Promise<ChainRun> {
  const store = openStore(join(dataDir, 'bench.db'));
  const scheduler = asyncScheduler;
  const window = processorOperator<MetricBatch, MetricBatch>('window', { size: `${WINDOW_MS}ms`, aggregates: ['mean'] }, store, scheduler);
  const threshold = processorOperator<MetricBatch, EventBatch>(
    'threshold',
    { rules: [{ name: RULE, metric: 'healthcheck.duration', aggregate: 'mean', above: { critical: 0.5 } }] },
    store,
    scheduler,
  );
  const cooldown = processorOperator<EventBatch, EventBatch>('cooldown', { period: '10m' }, store, scheduler);
  const sink = exporterOf('alertmanager', { url: target.hop.url }, store, scheduler);
  const series = new SeriesSet(new Resource({ 'service.name': 'bench' })).get({ name: 'healthcheck.duration', unit: 's', kind: 'gauge' }, {});

  const decisions: Decision[] = [];
  const handedOver: HandedOver[] = [];
  let last: number | undefined;
  const done = new Subject<void>();
  const subscription: Subscription = interval(POINT_EVERY_MS, scheduler)
    .pipe(
      map((): MetricBatch => {
        const time = scheduler.now();
        return [{ series, value: valueAt(time), time }];
      }),
      window,
      tap((figures) => {
        for (const figure of figures) {
          if (figure.value === last) continue;
          if (last !== undefined) decisions.push({ closedAt: figure.time, state: figure.value > 0.5 ? 'firing' : 'resolved' });
          last = figure.value;
        }
        if (decisions.length >= WARM_UP_CHANGES + MEASURED_CHANGES) done.next();
      }),
      threshold,
      cooldown,
      filter((events) => events.length > 0),
      concatMap(async (events) => {
        await sink.consume(events, 'alerts');
        const at = wallNow();
        for (const event of events) handedOver.push({ state: event.state, at });
      }),
    )
    .subscribe();
  await new Promise<void>((resolve) => done.subscribe(() => resolve()));
  subscription.unsubscribe();
  // The last decisions are still on their way out.
  await sink.flush();
  await settle(target.hop, 2_000);
  await sink.shutdown();
  store.close();
  return { decisions, handedOver };
}

async function settle(hop: RunningHttpRecorder, quietMs: number): Promise<void> {
  for (let seen = -1; seen !== hop.requests.length; ) {
    seen = hop.requests.length;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

interface Posted {
  readonly state: 'firing' | 'resolved';
  readonly startsAt: string;
  readonly endsAt: number;
  /** Wall ms at which Alertmanager's 2xx reached the hop. */
  readonly acceptedAt: number;
}

function postedAlerts(requests: readonly RecordedRequest[]): Posted[] {
  const posted: Posted[] = [];
  for (const request of requests) {
    if (request.status < 200 || request.status >= 300 || !request.path.startsWith('/api/v2/alerts')) continue;
    const acceptedAt = performance.timeOrigin + request.answeredAt;
    for (const alert of JSON.parse(request.body) as { labels: Record<string, string>; startsAt?: string; endsAt?: string }[]) {
      if (alert.labels['alertname'] !== RULE) continue;
      const endsAt = alert.endsAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(alert.endsAt);
      posted.push({ state: endsAt <= request.answeredWallMs ? 'resolved' : 'firing', startsAt: alert.startsAt ?? '', endsAt, acceptedAt });
    }
  }
  return posted;
}

/**
 * Pairs each decision with the first accepted alert that carries it: a firing with a
 * startsAt not seen before (a re-send keeps its startsAt), a resolve with a later endsAt
 * than the last one paired (the sink may repeat a resolve).
 */
function latencies(decisions: readonly Decision[], posted: readonly Posted[]): number[] {
  const starts = new Set<string>();
  let lastResolvedEnd = Number.NEGATIVE_INFINITY;
  let from = 0;
  const out: number[] = [];
  for (const decision of decisions) {
    const at = posted.findIndex(
      (alert, index) =>
        index >= from &&
        alert.state === decision.state &&
        (decision.state === 'firing' ? !starts.has(alert.startsAt) : alert.endsAt > lastResolvedEnd),
    );
    if (at < 0) throw new Error(`bench: the ${decision.state} decided at ${new Date(decision.closedAt).toISOString()} never reached Alertmanager`);
    const alert = posted[at]!;
    if (alert.state === 'firing') starts.add(alert.startsAt);
    else lastResolvedEnd = alert.endsAt;
    from = at + 1;
    out.push(alert.acceptedAt - decision.closedAt);
  }
  return out;
}

/** From each decision to the moment the sink's outbox held its event: the part spent in process. */
function inProcess(decisions: readonly Decision[], handedOver: readonly HandedOver[]): number[] {
  let from = 0;
  return decisions.map((decision) => {
    const at = handedOver.findIndex((event, index) => index >= from && event.state === decision.state && event.at >= decision.closedAt);
    if (at < 0) throw new Error(`bench: the ${decision.state} decided at ${new Date(decision.closedAt).toISOString()} never left cooldown`);
    from = at + 1;
    return handedOver[at]!.at - decision.closedAt;
  });
}

/** Round trips of one bare POST of one alert, straight to `url` (no agent code): the floor. */
async function barePosts(url: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REFERENCE_POSTS; i++) {
    const now = new Date();
    const body = JSON.stringify([
      { labels: { alertname: 'bench_reference', service: 'bench', severity: 'critical' }, startsAt: now.toISOString(), endsAt: new Date(now.getTime() + 60_000).toISOString() },
    ]);
    const started = performance.now();
    const answer = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await answer.text();
    times.push(performance.now() - started);
  }
  return times.slice(5);
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export const run: BenchModule = async () => {
  const target = await destination();
  const dataDir = mkdtempSync(join(tmpdir(), 'healthpipe-bench-alerts-'));
  try {
    const { decisions, handedOver } = await runChain(target, dataDir);
    const measured = latencies(decisions, postedAlerts(target.hop.requests)).slice(WARM_UP_CHANGES);
    const local = inProcess(decisions, handedOver).slice(WARM_UP_CHANGES);
    const direct = await barePosts(target.am?.url ?? target.hop.url);
    const viaHop = await barePosts(target.hop.url);
    const chain = `window ${WINDOW_MS} ms → threshold → cooldown → alertmanager exporter (outbox on SQLite) → ${target.what}`;
    const rows: BenchRow[] = [
      { name: 'alert latency, median', value: quantile(measured, 0.5), unit: 'ms', role: 'measured', note: `${measured.length} level changes (fire and resolve); from the deciding window's end to the 2xx; ${chain}` },
      { name: 'alert latency, p90', value: quantile(measured, 0.9), unit: 'ms', role: 'measured', note: 'the same changes' },
      { name: 'alert latency, max', value: Math.max(...measured), unit: 'ms', role: 'measured', note: 'the slowest of the same changes (their p99)' },
      { name: 'of which in process, median', value: quantile(local, 0.5), unit: 'ms', role: 'measured', note: "from the window's end until the sink's consume returned: threshold, cooldown's transaction and the outbox's append committed" },
      { name: 'bare POST of one alert, median', value: quantile(direct, 0.5), unit: 'ms', role: 'reference', note: `fetch straight to ${target.what}: the floor any sink pays` },
      { name: 'bare POST through the recording hop, median', value: quantile(viaHop, 0.5), unit: 'ms', role: 'reference', note: 'what the hop that timestamps acceptance adds is the difference from the row above' },
    ];
    return {
      title: 'alert latency',
      target: '< 100 ms from the deciding window closing to Alertmanager accepting the alert (Prometheus: scrape + evaluation interval + `for`)',
      rows,
    };
  } finally {
    await target.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};
