import { from, type SchedulerLike } from 'rxjs';
import type { Logger } from '../component/logger.js';
import type { ComponentContext, ComponentKind, Exporter, ExporterFactory, ReceiverFactory } from '../component/types.js';
import type { ComponentConfig, ResolvedConfig } from '../config/index.js';
import { ExporterQueue } from './exporter-queue.js';
import { PipelineRun, pipelineFingerprint } from './pipeline-run.js';
import { ReceiverHub } from './receiver-hub.js';

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
   */
  async apply(config: ResolvedConfig): Promise<void> {
    const { services } = this;
    const keptRuns = new Set<string>();
    for (const pipeline of config.pipelines) {
      const run = this.runs.get(pipeline.id);
      if (run !== undefined && run.fingerprint === pipelineFingerprint(pipeline, config.processors)) keptRuns.add(pipeline.id);
    }
    const stopping = [...this.runs.values()].filter((run) => !keptRuns.has(run.pipeline.id));
    await Promise.all(stopping.map((run) => run.stop()));
    for (const run of stopping) {
      this.runs.delete(run.pipeline.id);
      for (const id of run.pipeline.processors) services.retire?.(id, 'processor', run.pipeline.id);
    }

    await this.applyExporters(config);

    const attach = this.reconcileHubs(config);
    this.startPipelines(config, keptRuns);
    for (const [hub, receiver] of attach) {
      const factory = receiver.factory as ReceiverFactory;
      // from() also takes an Observable of another rxjs copy (a plugin's), and rejects what is not one.
      const receiver$ = this.guard(receiver.id, () => from(factory.create(receiver.config, services.contextFor(receiver.id, 'receiver'))));
      if (receiver$ !== undefined) hub.attach(receiver$, receiver.fingerprint);
    }
  }

  /** Closes the hubs of removed receivers; returns the receivers to (re)start behind their hubs. */
  private reconcileHubs(config: ResolvedConfig): Array<[ReceiverHub, ComponentConfig]> {
    const { services } = this;
    const attach: Array<[ReceiverHub, ComponentConfig]> = [];
    for (const [id, hub] of this.hubs) {
      const receiver = config.receivers.get(id);
      if (receiver === undefined) {
        hub.close();
        this.hubs.delete(id);
        services.retire?.(id, 'receiver');
      } else if (hub.fingerprint !== receiver.fingerprint) {
        hub.detach();
        attach.push([hub, receiver]);
      }
    }
    for (const [id, receiver] of config.receivers) {
      if (this.hubs.has(id)) continue;
      const hub = new ReceiverHub(id, services.logger.child(id), services.scheduler);
      this.hubs.set(id, hub);
      attach.push([hub, receiver]);
    }
    return attach;
  }

  private startPipelines(config: ResolvedConfig, keptRuns: ReadonlySet<string>): void {
    const { services } = this;
    for (const pipeline of config.pipelines) {
      if (keptRuns.has(pipeline.id)) continue;
      const run = new PipelineRun(pipeline, {
        hubs: this.hubs,
        exporters: this.exporterQueues,
        processors: config.processors,
        contextFor: (id, pipelineId) => services.contextFor(id, 'processor', pipelineId),
        scheduler: services.scheduler,
        logger: services.logger,
      });
      // A pipeline that could not start is not kept, so the next reload tries it again.
      if (run.start()) this.runs.set(pipeline.id, run);
    }
  }

  /** Closes removed exporters, swaps changed ones behind their queues, creates new ones. */
  private async applyExporters(config: ResolvedConfig): Promise<void> {
    const work: Array<Promise<void>> = [];
    for (const [id, queue] of this.exporterQueues) {
      const next = config.exporters.get(id);
      if (next === undefined) {
        this.exporterQueues.delete(id);
        work.push(this.closeExporter(queue).then(() => this.services.retire?.(id, 'exporter')));
      } else if (next.fingerprint !== queue.fingerprint) {
        queue.fingerprint = next.fingerprint;
        const context = this.services.contextFor(id, 'exporter');
        work.push(queue.replace(() => this.guard(id, () => this.createExporter(next, context))));
      }
    }
    await Promise.all(work);
    for (const [id, exporter] of config.exporters) {
      if (this.exporterQueues.has(id)) continue;
      const context = this.services.contextFor(id, 'exporter');
      const created = this.guard(id, () => this.createExporter(exporter, context));
      if (created === undefined) continue;
      const queue = new ExporterQueue(id, created, context.telemetry, context.logger, config.service.exporterQueueSize);
      queue.fingerprint = exporter.fingerprint;
      this.exporterQueues.set(id, queue);
    }
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

  /** A component whose create() throws (a plugin's bug) is reported and left out; the rest runs. */
  private guard<T>(id: string, create: () => T): T | undefined {
    try {
      return create();
    } catch (error) {
      this.services.logger.error('component could not be created; it is left out', { component: id, error });
      return undefined;
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
