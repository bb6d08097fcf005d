import { merge, ReplaySubject, retry, takeUntil, timer, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { Logger } from '../component/logger.js';
import type { ComponentContext, ProcessorFactory } from '../component/types.js';
import type { ComponentConfig, PipelineConfig } from '../config/index.js';
import type { AnyBatch } from '../model/signal.js';
import type { ReceiverHub } from './receiver-hub.js';
import type { ExporterQueue } from './exporter-queue.js';

const PROCESSOR_RESTART_DELAY_MS = 1_000;

export interface PipelineWiring {
  readonly hubs: ReadonlyMap<string, ReceiverHub>;
  /** Looked up on every batch, so a reload can replace an exporter under a running pipeline. */
  readonly exporters: ReadonlyMap<string, ExporterQueue>;
  readonly processors: ReadonlyMap<string, ComponentConfig>;
  contextFor(id: string, pipeline: string): ComponentContext;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
}

/** What decides whether a running pipeline can be kept across a reload. */
export function pipelineFingerprint(pipeline: PipelineConfig, processors: ReadonlyMap<string, ComponentConfig>): string {
  return JSON.stringify([
    pipeline.receivers,
    pipeline.processors.map((id) => [id, processors.get(id)?.fingerprint]),
    pipeline.exporters,
  ]);
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
  private resolveDone: () => void = () => undefined;

  constructor(
    readonly pipeline: PipelineConfig,
    private readonly wiring: PipelineWiring,
  ) {
    this.fingerprint = pipelineFingerprint(pipeline, wiring.processors);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Subscribes; false when a processor could not be created (reported, nothing runs). */
  start(): boolean {
    const { pipeline, wiring } = this;
    const inputs = pipeline.receivers.map((id) => wiring.hubs.get(id)!.batches$);
    let stream$: Observable<AnyBatch> = merge(...inputs).pipe(takeUntil(this.stop$));
    const logger = wiring.logger;
    try {
      for (const id of pipeline.processors) {
        const processor = wiring.processors.get(id)!;
        const factory = processor.factory as ProcessorFactory;
        stream$ = stream$.pipe(factory.create(processor.config, wiring.contextFor(id, pipeline.id)) as never);
      }
    } catch (error) {
      logger.error('a processor could not be created; the pipeline does not run', { pipeline: pipeline.id, error });
      this.resolveDone();
      return false;
    }
    this.subscription = stream$
      .pipe(
        retry({
          delay: (error: unknown) => {
            logger.error('a processor failed; the pipeline restarts with fresh state', { pipeline: pipeline.id, error });
            return timer(PROCESSOR_RESTART_DELAY_MS, wiring.scheduler);
          },
        }),
      )
      .subscribe({
        next: (batch) => {
          for (const id of pipeline.exporters) wiring.exporters.get(id)?.push(batch, pipeline.signal);
        },
        complete: () => this.resolveDone(),
      });
    return true;
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
