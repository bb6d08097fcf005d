import { from, type SchedulerLike } from 'rxjs';
import type { Logger } from '../component/logger.js';
import type { ComponentContext, ComponentKind, ExporterFactory, ReceiverFactory } from '../component/types.js';
import type { ComponentConfig, ResolvedConfig } from '../config/index.js';
import { ExporterQueue } from './exporter-queue.js';
import { PipelineRun, pipelineFingerprint } from './pipeline-run.js';
import { ReceiverHub } from './receiver-hub.js';

/** Metric points that may wait for one busy exporter before the oldest are dropped. */
export const DEFAULT_MAX_QUEUED_POINTS = 100_000;

export interface GraphServices {
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  contextFor(id: string, kind: ComponentKind, pipeline?: string): ComponentContext;
  readonly maxQueuedPoints?: number;
}

interface ExporterEntry {
  readonly queue: ExporterQueue;
  readonly fingerprint: string;
}

/**
 * The running graph of one configuration. `apply` reconciles it with a new configuration:
 * components whose id and config are unchanged keep running with their state, the others
 * are stopped, flushed and replaced. The first start is an apply from nothing.
 */
export class Graph {
  private readonly hubs = new Map<string, ReceiverHub>();
  private readonly exporterEntries = new Map<string, ExporterEntry>();
  private readonly exporterQueues = new Map<string, ExporterQueue>();
  private readonly runs = new Map<string, PipelineRun>();
  private processors: ReadonlyMap<string, ComponentConfig> = new Map();

  constructor(private readonly services: GraphServices) {}

  /** Starts in reverse topological order: exporters, then pipelines, then receivers. */
  async apply(config: ResolvedConfig): Promise<void> {
    const { services } = this;
    const nextProcessors = config.processors;

    const createdExporters = new Map<string, ExporterEntry>();
    for (const [id, exporter] of config.exporters) {
      if (this.exporterEntries.get(id)?.fingerprint === exporter.fingerprint) continue;
      const queue = this.guard(id, () => this.createExporter(exporter));
      if (queue !== undefined) createdExporters.set(id, { queue, fingerprint: exporter.fingerprint });
    }

    const keptRuns = new Set<string>();
    for (const pipeline of config.pipelines) {
      const run = this.runs.get(pipeline.id);
      if (run !== undefined && run.fingerprint === pipelineFingerprint(pipeline, nextProcessors)) keptRuns.add(pipeline.id);
    }
    const stopping = [...this.runs.values()].filter((run) => !keptRuns.has(run.pipeline.id));
    await Promise.all(stopping.map((run) => run.stop()));
    for (const run of stopping) this.runs.delete(run.pipeline.id);

    const retired: ExporterQueue[] = [];
    for (const [id, entry] of this.exporterEntries) {
      if (!config.exporters.has(id) || createdExporters.has(id)) retired.push(entry.queue);
    }
    for (const id of [...this.exporterEntries.keys()]) {
      if (!config.exporters.has(id)) this.exporterEntries.delete(id);
    }
    for (const [id, entry] of createdExporters) this.exporterEntries.set(id, entry);
    this.exporterQueues.clear();
    for (const [id, entry] of this.exporterEntries) this.exporterQueues.set(id, entry.queue);

    const attach: Array<[ReceiverHub, ComponentConfig]> = [];
    for (const [id, hub] of this.hubs) {
      const receiver = config.receivers.get(id);
      if (receiver === undefined) {
        hub.close();
        this.hubs.delete(id);
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

    this.processors = nextProcessors;
    for (const pipeline of config.pipelines) {
      if (keptRuns.has(pipeline.id)) continue;
      const run = new PipelineRun(pipeline, {
        hubs: this.hubs,
        exporters: this.exporterQueues,
        processors: this.processors,
        contextFor: (id, pipelineId) => services.contextFor(id, 'processor', pipelineId),
        scheduler: services.scheduler,
        logger: services.logger,
      });
      this.runs.set(pipeline.id, run);
      run.start();
    }

    for (const [hub, receiver] of attach) {
      const factory = receiver.factory as ReceiverFactory;
      // from() also takes an Observable of another rxjs copy (a plugin's), and rejects what is not one.
      const receiver$ = this.guard(receiver.id, () => from(factory.create(receiver.config, services.contextFor(receiver.id, 'receiver'))));
      if (receiver$ !== undefined) hub.attach(receiver$, receiver.fingerprint);
    }

    await Promise.all(retired.map((queue) => this.closeExporter(queue)));
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
    this.exporterEntries.clear();
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

  private createExporter(exporter: ComponentConfig): ExporterQueue {
    const { services } = this;
    const factory = exporter.factory as ExporterFactory;
    const context = services.contextFor(exporter.id, 'exporter');
    return new ExporterQueue(
      exporter.id,
      factory.create(exporter.config, context),
      context.telemetry,
      context.logger,
      services.maxQueuedPoints ?? DEFAULT_MAX_QUEUED_POINTS,
    );
  }

  private async closeExporter(queue: ExporterQueue): Promise<void> {
    try {
      await queue.idle();
      await queue.exporter.flush();
      await queue.exporter.shutdown();
    } catch (error) {
      this.services.logger.error('exporter failed to shut down cleanly', { exporter: queue.id, error });
    }
  }
}
