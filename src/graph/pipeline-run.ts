import { merge, ReplaySubject, retry, takeUntil, tap, timer, type Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { Logger } from '../component/logger.js';
import type { ComponentContext, ProcessorFactory } from '../component/types.js';
import type { ComponentConfig, PipelineConfig } from '../config/index.js';
import type { AnyBatch } from '../model/signal.js';
import type { ReceiverHub } from './receiver-hub.js';
import type { ExporterQueue } from './exporter-queue.js';
import { HealthpipeError } from '../errors.js';
import { reasonOf } from './reason.js';

const PROCESSOR_RESTART_DELAY_MS = 1_000;

export interface PipelineWiring {
  readonly hubs: ReadonlyMap<string, ReceiverHub>;
  /** Looked up on every batch, so a reload can replace an exporter under a running pipeline. */
  readonly exporters: ReadonlyMap<string, ExporterQueue>;
  readonly processors: ReadonlyMap<string, ComponentConfig>;
  contextFor(id: string, pipeline: string): ComponentContext;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  /** Where the pipeline says how its processors are doing (the component-status facet). */
  readonly status?: PipelineStatus;
}

/** What a pipeline run reports of its processors: they share its fate (one subscription). */
export interface PipelineStatus {
  running(pipeline: PipelineConfig): void;
  failed(pipeline: PipelineConfig, error: unknown): void;
  restarted(pipeline: PipelineConfig): void;
}

/**
 * What decides whether a running pipeline can be kept across a reload: its receivers and
 * its processors with their configs. Not its exporters: they are looked up per batch, so a
 * change of exporters retargets the running pipeline, and its processors keep their state
 * (open windows, threshold levels).
 */
export function pipelineFingerprint(pipeline: PipelineConfig, processors: ReadonlyMap<string, ComponentConfig>): string {
  return JSON.stringify([pipeline.receivers, pipeline.processors.map((id) => [id, processors.get(id)?.fingerprint])]);
}

/**
 * One running pipeline: the merged receivers, its own processor instances (state lives in
 * this subscription), and a fan-out to its exporters' queues.
 */
export class PipelineRun {
  readonly fingerprint: string;
  readonly done: Promise<void>;
  private readonly stop$ = new ReplaySubject<void>(1);
  private subscription: Subscription | undefined;
  private operators: Array<OperatorFunction<AnyBatch, AnyBatch>> | undefined;
  private resolveDone: () => void = () => undefined;

  constructor(
    private current: PipelineConfig,
    private readonly wiring: PipelineWiring,
  ) {
    this.fingerprint = pipelineFingerprint(current, wiring.processors);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get pipeline(): PipelineConfig {
    return this.current;
  }

  /** A reload changed only where the pipeline sends: from the next batch on, it sends there. */
  retarget(pipeline: PipelineConfig): void {
    this.current = pipeline;
  }

  /**
   * Creates the pipeline's processors, touching nothing that runs: a processor whose create()
   * throws fails the start (or the reload) before anything is stopped, with the reason.
   */
  prepare(): void {
    const { pipeline, wiring } = this;
    this.operators = pipeline.processors.map((id) => {
      const processor = wiring.processors.get(id)!;
      const factory = processor.factory as ProcessorFactory;
      try {
        return factory.create(processor.config, wiring.contextFor(id, pipeline.id)) as OperatorFunction<AnyBatch, AnyBatch>;
      } catch (error) {
        throw new HealthpipeError('COMPONENT_CREATE', `pipeline ${pipeline.id}: processor ${id} could not be created: ${reasonOf(error)}`, {
          component: id,
          cause: error,
        });
      }
    });
  }

  /**
   * Subscribes. A processor that errors while the pipeline subscribes (before any batch)
   * would only fail again on every restart: that fails the start, with the reason. Later
   * errors restart the pipeline with fresh state.
   */
  start(): void {
    const { pipeline, wiring } = this;
    if (this.operators === undefined) this.prepare();
    const inputs = pipeline.receivers.map((id) => wiring.hubs.get(id)!.batches$);
    const stream$ = this.operators!.reduce(
      (input$: Observable<AnyBatch>, operator) => input$.pipe(operator),
      merge(...inputs).pipe(takeUntil(this.stop$)),
    );
    const logger = wiring.logger;
    let subscribing = true;
    let failedAtStart: { error: unknown } | undefined;
    this.subscription = stream$
      .pipe(
        retry({
          delay: (error: unknown) => {
            if (subscribing) throw error;
            logger.error('a processor failed; the pipeline restarts with fresh state', { pipeline: pipeline.id, error });
            wiring.status?.failed(pipeline, error);
            return timer(PROCESSOR_RESTART_DELAY_MS, wiring.scheduler).pipe(tap(() => wiring.status?.restarted(pipeline)));
          },
        }),
      )
      .subscribe({
        next: (batch) => {
          const { exporters, signal } = this.current;
          for (const id of exporters) wiring.exporters.get(id)?.push(batch, signal);
        },
        error: (error: unknown) => (failedAtStart = { error }),
        complete: () => this.resolveDone(),
      });
    subscribing = false;
    if (failedAtStart === undefined) wiring.status?.running(pipeline);
    if (failedAtStart !== undefined) {
      this.resolveDone();
      throw new HealthpipeError('COMPONENT_CREATE', `pipeline ${pipeline.id} failed as it started: ${reasonOf(failedAtStart.error)}`, {
        cause: failedAtStart.error,
      });
    }
  }

  /** Completes the input: processors flush what they hold, then the pipeline completes. */
  stop(): Promise<void> {
    this.stop$.next();
    return this.done;
  }

  /** Drops the pipeline at once, without flushing (deadline passed). */
  abort(): void {
    this.subscription?.unsubscribe();
    this.resolveDone();
  }
}
