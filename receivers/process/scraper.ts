import { availableParallelism, hostname, totalmem } from 'node:os';
import type { SchedulerLike } from 'rxjs';
import { SeriesSet } from '../../src/index.js';
import type { ComponentTelemetry, Logger, MetricBatch, MetricPoint, Series } from '../../src/index.js';
import type { ProcessBackend, ReadFailure, SampleResult } from './backend.js';
import { PROCESS_METRICS } from './metrics.js';
import { readPidFile } from './pid-file.js';
import { describeSelector, type ProcessTarget } from './targets.js';
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

/** Everything kept for one target between scrapes; dropped when the target leaves the set. */
interface TargetState {
  round: number;
  process: WatchedProcess | undefined;
  /** Series of the failure point when no process of this PID was ever read. */
  unreadable: { readonly pid: number | undefined; readonly series: SeriesSet } | undefined;
}

/**
 * Reads all targets in one pass and returns one batch. Failures are points
 * (`process.scrape.error`), counts and a log line once per target and reason, never errors.
 */
export class ProcessScraper {
  private readonly states = new Map<string, TargetState>();
  private round = 0;
  private closed = false;

  constructor(
    private readonly backend: ProcessBackend,
    private readonly context: ScrapeContext,
    private readonly host: HostFacts = localHost(),
  ) {}

  /**
   * `signal` aborted means the scrape was cut by its timeout: it then touches no state when
   * its reads come back, since a later scrape has taken over the targets.
   */
  async scrape(targets: readonly ProcessTarget[], signal?: AbortSignal): Promise<MetricBatch> {
    const round = ++this.round;
    const resolved = await this.resolvePids(targets);
    const pids: number[] = [];
    for (const entry of resolved) if (typeof entry === 'number') pids.push(entry);
    const samples = pids.length === 0 ? [] : await this.backend.read(pids);
    if (this.closed || signal?.aborted === true || samples.length !== pids.length) return [];

    const time = this.context.scheduler.now();
    const totalMemory = this.host.totalMemory();
    const batch: MetricPoint[] = [];
    let accepted = 0;
    let refused = 0;
    let next = 0;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i]!;
      const state = this.stateOf(target, round);
      const entry = resolved[i]!;
      const result: SampleResult = typeof entry === 'number' ? samples[next++]! : entry;
      if (result.ok) {
        if (state.process === undefined || !state.process.isSameProcess(result, this.backend.creationToleranceMs)) {
          state.process = new WatchedProcess(target, result, this.host);
          state.unreadable = undefined;
        }
        accepted += state.process.appendPoints(result, time, this.host, totalMemory, batch);
      } else {
        batch.push({ series: this.failureSeries(target, state, result), value: 1, time });
        refused++;
        this.logFailure(target, result);
      }
    }
    this.forgetTargetsNotIn(round);
    if (accepted > 0) this.context.telemetry.accepted(accepted);
    if (refused > 0) this.context.telemetry.refused(refused);
    return batch;
  }

  close(): void {
    this.closed = true;
    this.backend.close();
    this.states.clear();
  }

  /** The PID of every target; only PID files need I/O, and those are read in parallel. */
  private async resolvePids(targets: readonly ProcessTarget[]): Promise<Array<number | ReadFailure>> {
    const resolved = new Array<number | ReadFailure>(targets.length);
    let reads: Array<Promise<void>> | undefined;
    for (let i = 0; i < targets.length; i++) {
      const selector = targets[i]!.selector;
      if (selector.kind === 'self') resolved[i] = process.pid;
      else if (selector.kind === 'pid') resolved[i] = selector.pid;
      else {
        (reads ??= []).push(
          readPidFile(selector.path).then((file) => {
            resolved[i] =
              'pid' in file ? file.pid : { ok: false, pid: undefined, errorType: 'pid_file_unreadable', code: file.code, detail: file.detail };
          }),
        );
      }
    }
    if (reads !== undefined) await Promise.all(reads);
    return resolved;
  }

  private stateOf(target: ProcessTarget, round: number): TargetState {
    let state = this.states.get(target.key);
    if (state === undefined) {
      state = { round, process: undefined, unreadable: undefined };
      this.states.set(target.key, state);
    }
    state.round = round;
    return state;
  }

  /** A failure of the process last read under this PID joins that process's resource; otherwise a target resource. */
  private failureSeries(target: ProcessTarget, state: TargetState, failure: ReadFailure): Series {
    if (state.process !== undefined && state.process.pid === failure.pid) return state.process.errorSeries(failure.errorType);
    if (state.unreadable === undefined || state.unreadable.pid !== failure.pid) {
      const resource = unreadableTargetResource(target, failure.pid, this.host);
      state.unreadable = { pid: failure.pid, series: new SeriesSet(resource) };
    }
    return state.unreadable.series.get(PROCESS_METRICS.scrapeError, { 'error.type': failure.errorType });
  }

  private logFailure(target: ProcessTarget, failure: ReadFailure): void {
    this.context.logger.once(
      `${target.key}\u0000${failure.errorType}`,
      'warn',
      `cannot read the process of ${target.service} (${describeSelector(target.selector)}): ${failure.detail ?? failure.errorType}`,
      { service: target.service, pid: failure.pid, 'error.type': failure.errorType, code: failure.code },
    );
  }

  private forgetTargetsNotIn(round: number): void {
    for (const [key, state] of this.states) if (state.round !== round) this.states.delete(key);
  }
}
