import { availableParallelism, hostname, totalmem } from 'node:os';
import type { SchedulerLike } from 'rxjs';
import { SeriesSet } from '../../src/index.js';
import type { ComponentTelemetry, Logger, MetricBatch, MetricPoint, Series } from '../../src/index.js';
import type { ProcessBackend, ProcessSample, ReadFailure, SampleResult } from './backend.js';
import { DEFAULT_ENABLED_METRICS } from './config.js';
import { EmittedSeries } from './emitted-series.js';
import { PROCESS_METRICS, type EnabledMetrics } from './metrics.js';
import { readPidFile } from './pid-file.js';
import { ProcessMatcher } from './selection/matcher.js';
import { describeSelector, isMatching, type ProcessTarget } from './targets.js';
import { WatchedProcess, unreadableTargetResource, type HostFacts } from './watched-process.js';

/** The part of the component context a scrape uses. */
export interface ScrapeContext {
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  readonly telemetry: ComponentTelemetry;
}

export function localHost(): HostFacts {
  return { hostname: hostname(), cores: availableParallelism(), totalMemory: totalmem };
}

/** What a single-process target (self, pid, pid_file) keeps between scrapes. */
interface SingleState {
  readonly kind: 'single';
  round: number;
  process: WatchedProcess | undefined;
  /** Series of the failure point when no process of this PID was ever read. */
  unreadable: { readonly pid: number | undefined; readonly series: SeriesSet } | undefined;
  readonly emitted: EmittedSeries;
}

/** One process a matching target found: its series live and die with it. */
interface MatchedProcess {
  round: number;
  readonly process: WatchedProcess | undefined;
  /** The failure series of a matched process that could not be read. */
  unreadable: SeriesSet | undefined;
  readonly emitted: EmittedSeries;
}

/** What a matching target (executable, command line, port, cgroup, unit) keeps: one entry per process it matches. */
interface MatchingState {
  readonly kind: 'matching';
  round: number;
  readonly processes: Map<number, MatchedProcess>;
  /** The target's own failure series (no match, the search failed). */
  failures: SeriesSet | undefined;
  readonly failureEmitted: EmittedSeries;
}

type TargetState = SingleState | MatchingState;

/** Per target: the PID of a single-process target, the PIDs a matching target found, or why there are none. */
type Resolved = number | readonly number[] | ReadFailure;

const NO_MATCH: ReadFailure = { ok: false, pid: undefined, errorType: 'no_match', code: 'NOMATCH' };

/**
 * Reads all targets in one pass and returns one batch. Failures are points
 * (`process.scrape.error`), counts and a log line once per target and reason, never errors.
 * What leaves (a target gone from the set, a matched process that ended or stopped
 * matching) gets a stale marker for each of its series, once, and its state is dropped.
 */
export class ProcessScraper {
  private readonly states = new Map<string, TargetState>();
  private round = 0;
  /** The newest round whose results were applied: an older one finishing later is dropped. */
  private applied = 0;
  private closed = false;
  private lastPids: { readonly resolved: readonly Resolved[]; readonly pids: readonly number[]; readonly indexOf: ReadonlyMap<number, number> } | undefined;

  constructor(
    private readonly backend: ProcessBackend,
    private readonly context: ScrapeContext,
    private readonly host: HostFacts = localHost(),
    private readonly matcher: Pick<ProcessMatcher, 'match' | 'close'> & Partial<Pick<ProcessMatcher, 'stale'>> = new ProcessMatcher(),
    private readonly enabled: EnabledMetrics = DEFAULT_ENABLED_METRICS,
  ) {}

  /**
   * `signal` aborted means the scrape was cut by its timeout: it then touches no state when
   * its reads come back, since a later scrape has taken over the targets. A scrape that
   * started before one already applied (an extra scrape of a new target set overtook it) is
   * dropped the same way.
   */
  async scrape(targets: readonly ProcessTarget[], signal?: AbortSignal): Promise<MetricBatch> {
    const round = ++this.round;
    let read = await this.readTargets(targets);
    // Selection keeps what it knows of a process without reading it again; the backend's read saw a matched
    // process end or turn into another (a reused PID, an exec): match and read again, once, so no sample of
    // a process that does not match is taken.
    if (this.matcher.stale?.() === true && !this.closed) read = await this.readTargets(targets);
    const { resolved, pids, indexOf, samples } = read;
    if (this.closed || signal?.aborted === true || samples.length !== pids.length || round < this.applied) return [];
    this.applied = round;

    const time = this.context.scheduler.now();
    const apply = new ScrapeApplication(this, time, this.host.totalMemory(), (pid) => samples[indexOf.get(pid)!]!);
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i]!;
      const entry = resolved[i]!;
      if (isMatching(target.selector)) apply.matching(target, this.matchingState(target, round), entry as readonly number[] | ReadFailure, round);
      else apply.single(target, this.singleState(target, round), entry as number | ReadFailure);
    }
    this.forgetTargetsNotIn(round, time, apply.batch);
    if (apply.accepted > 0) this.context.telemetry.accepted(apply.accepted);
    if (apply.refused > 0) this.context.telemetry.refused(apply.refused);
    return apply.batch;
  }

  close(): void {
    this.closed = true;
    this.backend.close();
    this.matcher.close();
    this.states.clear();
  }

  /** @internal for ScrapeApplication */
  get parts() {
    return { backend: this.backend, host: this.host, context: this.context, enabled: this.enabled };
  }

  /** The PIDs of every target and their samples: `indexOf` gives a PID's place in `samples`. */
  private async readTargets(targets: readonly ProcessTarget[]) {
    const resolved = await this.resolvePids(targets);
    const { pids, indexOf } = this.pidsOf(resolved);
    const samples = pids.length === 0 ? [] : await this.backend.read(pids);
    return { resolved, pids, indexOf, samples };
  }

  /** The PIDs to read, each once, and their places; those of the last scrape again when every target resolved as then (the matcher hands back the same array for the same match). */
  private pidsOf(resolved: readonly Resolved[]): { readonly pids: readonly number[]; readonly indexOf: ReadonlyMap<number, number> } {
    const last = this.lastPids;
    if (last !== undefined && last.resolved.length === resolved.length && last.resolved.every((entry, i) => entry === resolved[i])) return last;
    const pids: number[] = [];
    const indexOf = new Map<number, number>();
    const want = (pid: number) => {
      if (indexOf.has(pid)) return;
      indexOf.set(pid, pids.length);
      pids.push(pid);
    };
    for (const entry of resolved) {
      if (typeof entry === 'number') want(entry);
      else if (Array.isArray(entry)) for (const pid of entry as readonly number[]) want(pid);
    }
    this.lastPids = { resolved, pids, indexOf };
    return this.lastPids;
  }

  /** The PIDs of every target: the matches are found in one synchronous pass, PID files are read in parallel. */
  private async resolvePids(targets: readonly ProcessTarget[]): Promise<Resolved[]> {
    const matches = this.matcher.match(targets);
    const resolved = new Array<Resolved>(targets.length);
    let reads: Array<Promise<void>> | undefined;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i]!;
      const selector = target.selector;
      if (selector.kind === 'self') resolved[i] = process.pid;
      else if (selector.kind === 'pid') resolved[i] = selector.pid;
      else if (selector.kind === 'pid_file') {
        (reads ??= []).push(
          readPidFile(selector.path).then((file) => {
            resolved[i] =
              'pid' in file ? file.pid : { ok: false, pid: undefined, errorType: 'pid_file_unreadable', code: file.code, detail: file.detail };
          }),
        );
      } else {
        const found = matches.get(target)!;
        resolved[i] = Array.isArray(found) && found.length === 0 ? NO_MATCH : found;
      }
    }
    if (reads !== undefined) await Promise.all(reads);
    return resolved;
  }

  private singleState(target: ProcessTarget, round: number): SingleState {
    let state = this.states.get(target.key);
    if (state === undefined || state.kind !== 'single') {
      state = { kind: 'single', round, process: undefined, unreadable: undefined, emitted: new EmittedSeries() };
      this.states.set(target.key, state);
    }
    state.round = round;
    return state;
  }

  private matchingState(target: ProcessTarget, round: number): MatchingState {
    let state = this.states.get(target.key);
    if (state === undefined || state.kind !== 'matching') {
      state = { kind: 'matching', round, processes: new Map(), failures: undefined, failureEmitted: new EmittedSeries() };
      this.states.set(target.key, state);
    }
    state.round = round;
    return state;
  }

  /** Targets that left the set: a stale marker for each series they emitted, and their state goes. */
  private forgetTargetsNotIn(round: number, time: number, batch: MetricPoint[]): void {
    for (const [key, state] of this.states) {
      if (state.round === round) continue;
      if (state.kind === 'single') state.emitted.closeInto(time, batch);
      else {
        for (const matched of state.processes.values()) matched.emitted.closeInto(time, batch);
        state.failureEmitted.closeInto(time, batch);
      }
      this.states.delete(key);
    }
  }
}

/** One scrape's results applied to the targets' state: the points, and how many were accepted and refused. */
class ScrapeApplication {
  readonly batch: MetricPoint[] = [];
  accepted = 0;
  refused = 0;

  constructor(
    private readonly scraper: ProcessScraper,
    private readonly time: number,
    private readonly totalMemory: number,
    private readonly sampleOf: (pid: number) => SampleResult,
  ) {}

  single(target: ProcessTarget, state: SingleState, entry: number | ReadFailure): void {
    const { backend, host, enabled } = this.scraper.parts;
    const result = typeof entry === 'number' ? this.sampleOf(entry) : entry;
    if (result.ok) {
      if (state.process === undefined || !state.process.isSameProcess(result, backend.creationToleranceMs)) {
        state.process = new WatchedProcess(target, result, host, enabled);
        state.unreadable = undefined;
      }
      this.append(target, state.process, result, state.emitted);
      return;
    }
    let series: Series;
    if (state.process !== undefined && state.process.pid === result.pid) series = state.process.errorSeries(result.errorType);
    else {
      if (state.unreadable === undefined || state.unreadable.pid !== result.pid) {
        state.unreadable = { pid: result.pid, series: new SeriesSet(unreadableTargetResource(target, result.pid, host)) };
      }
      series = state.unreadable.series.get(PROCESS_METRICS.scrapeError, { 'error.type': result.errorType });
    }
    this.fail(target, series, result, state.emitted);
  }

  matching(target: ProcessTarget, state: MatchingState, entry: readonly number[] | ReadFailure, round: number): void {
    const { host } = this.scraper.parts;
    if (!Array.isArray(entry)) {
      const failure = entry as ReadFailure;
      // Nothing matches: the processes it watched have left. A search that failed says nothing of them.
      if (failure.errorType === 'no_match') this.closeProcesses(state, round);
      state.failures ??= new SeriesSet(unreadableTargetResource(target, undefined, host));
      this.fail(target, state.failures.get(PROCESS_METRICS.scrapeError, { 'error.type': failure.errorType }), failure, state.failureEmitted);
      return;
    }
    // It matches again: its no-match series ends here rather than going silent.
    state.failureEmitted.closeInto(this.time, this.batch);
    for (const pid of entry as readonly number[]) this.matchedProcess(target, state, pid, round);
    this.closeProcesses(state, round);
  }

  private matchedProcess(target: ProcessTarget, state: MatchingState, pid: number, round: number): void {
    const { backend, host, enabled } = this.scraper.parts;
    const result = this.sampleOf(pid);
    let matched = state.processes.get(pid);
    if (result.ok) {
      if (matched?.process === undefined || !matched.process.isSameProcess(result, backend.creationToleranceMs)) {
        // A new process, or the PID reused by another: a new instance, and the old one has left.
        matched?.emitted.closeInto(this.time, this.batch);
        matched = { round, process: new WatchedProcess(target, result, host, enabled), unreadable: undefined, emitted: new EmittedSeries() };
        state.processes.set(pid, matched);
      }
      matched.round = round;
      this.append(target, matched.process!, result, matched.emitted);
      return;
    }
    // Ended between the scan and the read: it left, and is closed with the others that did.
    if (result.errorType === 'not_found') return;
    if (matched === undefined) {
      matched = { round, process: undefined, unreadable: undefined, emitted: new EmittedSeries() };
      state.processes.set(pid, matched);
    }
    matched.round = round;
    const series =
      matched.process?.errorSeries(result.errorType) ??
      (matched.unreadable ??= new SeriesSet(unreadableTargetResource(target, pid, host))).get(PROCESS_METRICS.scrapeError, {
        'error.type': result.errorType,
      });
    this.fail(target, series, result, matched.emitted);
  }

  /** Matched processes not seen at this round have left: their series end with stale markers. */
  private closeProcesses(state: MatchingState, round: number): void {
    for (const [pid, matched] of state.processes) {
      if (matched.round === round) continue;
      matched.emitted.closeInto(this.time, this.batch);
      state.processes.delete(pid);
    }
  }

  private append(target: ProcessTarget, process: WatchedProcess, sample: ProcessSample, emitted: EmittedSeries): void {
    const { host } = this.scraper.parts;
    const before = this.batch.length;
    this.accepted += process.appendPoints(sample, this.time, host, this.totalMemory, this.batch);
    emitted.recordFrom(this.batch, before);
    if (sample.partialFailures !== undefined) this.partialFailures(target, sample);
  }

  /**
   * Reads beyond the main one that failed for a readable process (another user's
   * /proc/PID/io without root, a process that ended between two reads): each is counted as
   * refused and logged once per target, metric and reason; the process's other points stand.
   */
  private partialFailures(target: ProcessTarget, sample: ProcessSample): void {
    const { logger } = this.scraper.parts.context;
    for (const failure of sample.partialFailures ?? []) {
      this.refused++;
      logger.once(
        `${target.key}\u0000${failure.metric}\u0000${failure.errorType}`,
        'warn',
        `cannot read ${failure.metric} of ${target.service} (${describeSelector(target.selector)}): ${failure.errorType}`,
        { service: target.service, pid: sample.pid, metric: failure.metric, 'error.type': failure.errorType, code: failure.code },
      );
    }
  }

  private fail(target: ProcessTarget, series: Series, failure: ReadFailure, emitted: EmittedSeries): void {
    this.batch.push({ series, value: 1, time: this.time });
    emitted.add(series);
    this.refused++;
    const { logger } = this.scraper.parts.context;
    const message =
      failure.errorType === 'no_match'
        ? `no process matches ${target.service} (${describeSelector(target.selector)})`
        : `cannot read the process of ${target.service} (${describeSelector(target.selector)}): ${failure.detail ?? failure.errorType}`;
    logger.once(`${target.key}\u0000${failure.errorType}`, 'warn', message, {
      service: target.service,
      pid: failure.pid,
      'error.type': failure.errorType,
      code: failure.code,
    });
  }
}
