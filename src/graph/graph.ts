import { from, type Observable, type SchedulerLike } from 'rxjs';
import type { Logger } from '../component/logger.js';
import type { ComponentContext, ComponentKind, Exporter, ExporterFactory, ReceiverFactory } from '../component/types.js';
import type { ComponentConfig, PipelineConfig, ResolvedConfig } from '../config/index.js';
import { HealthpipeError } from '../errors.js';
import type { MetricBatch } from '../model/point.js';
import { ExporterQueue } from './exporter-queue.js';
import { PipelineRun, pipelineFingerprint } from './pipeline-run.js';
import { ReceiverHub } from './receiver-hub.js';
import { reasonOf } from './reason.js';

interface CreatedExporter {
  readonly exporter: Exporter;
  readonly context: ComponentContext;
}

/** What an apply creates before it touches the running graph. */
interface Prepared {
  readonly exporters: ReadonlyMap<string, CreatedExporter>;
  readonly runs: readonly PipelineRun[];
  readonly receivers: ReadonlyMap<string, Observable<MetricBatch>>;
}

export interface GraphServices {
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  contextFor(id: string, kind: ComponentKind, pipeline?: string): ComponentContext;
  /** A component a reload removed: its per-component state outside the graph can go. */
  retire?(id: string, kind: ComponentKind, pipeline?: string): void;
}

/**
 * The running graph of one configuration. `apply` reconciles it with a new configuration:
 * components whose id and config are unchanged keep running with their state, the others
 * are stopped, flushed and replaced. The first start is an apply from nothing.
 */
export class Graph {
  private readonly hubs = new Map<string, ReceiverHub>();
  private readonly exporterQueues = new Map<string, ExporterQueue>();
  private readonly runs = new Map<string, PipelineRun>();

  constructor(private readonly services: GraphServices) {}

  /**
   * Starts in reverse topological order: exporters, then pipelines, then receivers. On a
   * reload, changed pipelines stop (and flush) first, then changed exporters are swapped
   * behind their queues, then the new pipelines and receivers start.
   *
   * A component that cannot be created fails the whole apply with a HealthpipeError saying
   * which and why: new processors, receivers and exporters are created before anything
   * running is touched, so a reload that fails there leaves the running graph as it was.
   */
  async apply(config: ResolvedConfig): Promise<void> {
    const { services } = this;
    const keptRuns = new Set<string>();
    for (const pipeline of config.pipelines) {
      const run = this.runs.get(pipeline.id);
      if (run !== undefined && run.fingerprint === pipelineFingerprint(pipeline, config.processors)) keptRuns.add(pipeline.id);
    }
    const prepared = await this.prepare(config, keptRuns);

    const stopping = [...this.runs.values()].filter((run) => !keptRuns.has(run.pipeline.id));
    await Promise.all(stopping.map((run) => run.stop()));
    for (const run of stopping) {
      this.runs.delete(run.pipeline.id);
      for (const id of run.pipeline.processors) services.retire?.(id, 'processor', run.pipeline.id);
    }

    // A changed exporter is made after its predecessor shut down (it may hold the same port),
    // and a processor may fail only as it is subscribed: those failures come after the rest
    // has started, and are thrown then.
    let failure = await this.applyExporters(config, prepared.exporters);
    const hubs = this.reconcileHubs(config);
    for (const run of prepared.runs) {
      try {
        run.start();
        this.runs.set(run.pipeline.id, run);
      } catch (error) {
        failure ??= error as HealthpipeError;
      }
    }
    for (const [id, receiver$] of prepared.receivers) hubs.get(id)!.attach(receiver$, config.receivers.get(id)!.fingerprint);
    if (failure !== undefined) throw failure;
  }

  /** Creates what the apply will start, touching nothing that runs; throws which one failed and why. */
  private async prepare(config: ResolvedConfig, keptRuns: ReadonlySet<string>): Promise<Prepared> {
    const { services } = this;
    const exporters = new Map<string, CreatedExporter>();
    try {
      for (const [id, exporter] of config.exporters) {
        if (this.exporterQueues.has(id)) continue;
        const context = services.contextFor(id, 'exporter');
        exporters.set(id, { exporter: this.create(id, 'exporter', () => this.createExporter(exporter, context)), context });
      }
      const runs = config.pipelines.filter((pipeline) => !keptRuns.has(pipeline.id)).map((pipeline) => this.pipelineRun(pipeline, config));
      for (const run of runs) run.prepare();
      const receivers = new Map<string, Observable<MetricBatch>>();
      for (const [id, receiver] of config.receivers) {
        if (this.hubs.get(id)?.fingerprint === receiver.fingerprint) continue;
        const factory = receiver.factory as ReceiverFactory;
        // from() also takes an Observable of another rxjs copy (a plugin's), and rejects what is not one.
        receivers.set(id, this.create(id, 'receiver', () => from(factory.create(receiver.config, services.contextFor(id, 'receiver')))));
      }
      return { exporters, runs, receivers };
    } catch (error) {
      await Promise.all([...exporters.values()].map(({ exporter }) => exporter.shutdown().catch(() => undefined)));
      throw error;
    }
  }

  /** Closes the hubs of removed receivers, detaches changed ones, opens hubs for new ones. */
  private reconcileHubs(config: ResolvedConfig): Map<string, ReceiverHub> {
    const { services } = this;
    for (const [id, hub] of this.hubs) {
      const receiver = config.receivers.get(id);
      if (receiver === undefined) {
        hub.close();
        this.hubs.delete(id);
        services.retire?.(id, 'receiver');
      } else if (hub.fingerprint !== receiver.fingerprint) {
        hub.detach();
      }
    }
    for (const id of config.receivers.keys()) {
      if (!this.hubs.has(id)) this.hubs.set(id, new ReceiverHub(id, services.logger.child(id), services.scheduler));
    }
    return this.hubs;
  }

  private pipelineRun(pipeline: PipelineConfig, config: ResolvedConfig): PipelineRun {
    const { services } = this;
    return new PipelineRun(pipeline, {
      hubs: this.hubs,
      exporters: this.exporterQueues,
      processors: config.processors,
      contextFor: (id, pipelineId) => services.contextFor(id, 'processor', pipelineId),
      scheduler: services.scheduler,
      logger: services.logger,
    });
  }

  /**
   * Closes removed exporters, swaps changed ones behind their queues, queues the new ones
   * (made by prepare). Returns the error of a changed exporter that could not be made.
   */
  private async applyExporters(config: ResolvedConfig, created: ReadonlyMap<string, CreatedExporter>): Promise<HealthpipeError | undefined> {
    const work: Array<Promise<void>> = [];
    let failure: HealthpipeError | undefined;
    for (const [id, queue] of this.exporterQueues) {
      const next = config.exporters.get(id);
      if (next === undefined) {
        this.exporterQueues.delete(id);
        work.push(this.closeExporter(queue).then(() => this.services.retire?.(id, 'exporter')));
      } else if (next.fingerprint !== queue.fingerprint) {
        queue.fingerprint = next.fingerprint;
        const context = this.services.contextFor(id, 'exporter');
        work.push(
          queue.replace(() => {
            try {
              return this.create(id, 'exporter', () => this.createExporter(next, context));
            } catch (error) {
              failure ??= error as HealthpipeError;
              // Not the configured exporter: the next reload tries to make it again.
              queue.fingerprint = '';
              return undefined;
            }
          }),
        );
      }
    }
    await Promise.all(work);
    for (const [id, { exporter, context }] of created) {
      const queue = new ExporterQueue(id, exporter, context.telemetry, context.logger, config.service.exporterQueueSize, context.scheduler);
      queue.fingerprint = config.exporters.get(id)!.fingerprint;
      this.exporterQueues.set(id, queue);
    }
    return failure;
  }

  /**
   * Stops receivers first, lets the pipelines flush their open windows, then flushes and
   * shuts down the exporters. Whatever is not done by the deadline is abandoned.
   */
  async stop(deadline: Promise<void>): Promise<boolean> {
    for (const hub of this.hubs.values()) hub.detach();
    const orderly = (async () => {
      for (const hub of this.hubs.values()) hub.close();
      await Promise.all([...this.runs.values()].map((run) => run.done));
      await Promise.all([...this.exporterQueues.values()].map((queue) => this.closeExporter(queue)));
      return true;
    })();
    const finished = await Promise.race([orderly, deadline.then(() => false)]);
    if (!finished) for (const run of this.runs.values()) run.abort();
    this.hubs.clear();
    this.runs.clear();
    this.exporterQueues.clear();
    return finished;
  }

  /** A component whose create() throws (a plugin's bug) fails the start: which one, and why. */
  private create<T>(id: string, kind: ComponentKind, create: () => T): T {
    try {
      return create();
    } catch (error) {
      throw new HealthpipeError('COMPONENT_CREATE', `${kind} ${id} could not be created: ${reasonOf(error)}`, { component: id, cause: error });
    }
  }

  private createExporter(exporter: ComponentConfig, context: ComponentContext): Exporter {
    return (exporter.factory as ExporterFactory).create(exporter.config, context);
  }

  private async closeExporter(queue: ExporterQueue): Promise<void> {
    try {
      await queue.close();
    } catch (error) {
      this.services.logger.error('exporter failed to shut down cleanly', { exporter: queue.id, error });
    }
  }
}
