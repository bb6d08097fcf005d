import { from, type Observable, type SchedulerLike } from 'rxjs';
import type { Logger } from '../component/logger.js';
import type { ComponentContext, ComponentKind, ReceiverFactory } from '../component/types.js';
import type { PipelineConfig, ResolvedConfig } from '../config/index.js';
import { HealthpipeError } from '../errors.js';
import type { MetricBatch } from '../model/point.js';
import { ExporterSet, type CreatedExporter } from './exporter-set.js';
import { PipelineRun, pipelineFingerprint } from './pipeline-run.js';
import { ReceiverHub } from './receiver-hub.js';
import { createComponent } from './reason.js';
import { startExporters } from './exporter-start.js';
import { WaitLimit } from './wait-limit.js';

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
  private readonly exporters: ExporterSet;
  private readonly runs = new Map<string, PipelineRun>();
  /** The apply under way, if any: a stop waits for it (it stops waiting once asked to stop). */
  private applying: Promise<void> = Promise.resolve();
  private stopping = false;
  private preempt: () => void = () => undefined;
  private readonly preempted = new Promise<void>((resolve) => (this.preempt = resolve));

  constructor(private readonly services: GraphServices) {
    this.exporters = new ExporterSet(services);
  }

  /**
   * Starts in reverse topological order: exporters, then pipelines, then receivers. On a
   * reload, a changed pipeline is handed over in one step (the new one subscribes as the old
   * one stops and flushes), so no batch falls between them; then removed and changed
   * exporters are shut down (changed ones swapped behind their queues), then changed
   * receivers are swapped behind their hubs. A pipeline whose receivers and processors are
   * unchanged keeps its processor instances and their state (windows, threshold levels), even
   * when its exporters change; a new pipeline that fails as it subscribes leaves the one it
   * would replace running.
   *
   * A component that cannot be created fails the whole apply with a HealthpipeError saying
   * which and why: new processors, receivers and exporters are created, and new exporters
   * started (`Exporter.start`, awaited: a port bound), before anything running is touched, so
   * a reload that fails there leaves the running graph as it was. A changed exporter is made
   * and started after its predecessor shut down; when that fails, the previous config's
   * exporter is made and started again in its place (ExporterSet.reconcile).
   * What the reload waits for (old pipelines flushing, old exporters shutting down) is bounded
   * by `service.shutdown_timeout`, and cut short by `stop`. An apply after `stop` does nothing.
   */
  apply(config: ResolvedConfig): Promise<void> {
    if (this.stopping) return Promise.resolve();
    const applying = this.applyNow(config);
    this.applying = applying.catch(() => undefined);
    return applying;
  }

  private async applyNow(config: ResolvedConfig): Promise<void> {
    const { services } = this;
    const keptRuns = new Set<string>();
    for (const pipeline of config.pipelines) {
      const run = this.runs.get(pipeline.id);
      if (run !== undefined && run.fingerprint === pipelineFingerprint(pipeline, config.processors)) keptRuns.add(pipeline.id);
    }
    const prepared = await this.prepare(config, keptRuns);
    const limit = new WaitLimit(config.service.shutdownTimeout, services.scheduler, this.preempted);
    try {
      // Whatever a pipeline may send to or read from exists before any pipeline starts.
      this.exporters.add(config, prepared.exporters);
      this.openHubs(config);
      const { stopped, failure } = this.handOverRuns(config, prepared.runs);
      if (!(await limit.within(Promise.all(stopped.map((run) => run.done))))) {
        services.logger.warn('pipelines replaced by the reload did not finish flushing in time: dropped');
        for (const run of stopped) run.abort();
      }
      for (const run of stopped) {
        for (const id of run.pipeline.processors) services.retire?.(id, 'processor', run.pipeline.id);
      }
      this.closeRemovedHubs(config);
      // A changed exporter is made after its predecessor shut down (it may hold the same port),
      // and a processor may fail only as it is subscribed: those failures come after the rest
      // has started, and are thrown then.
      const exporterFailure = await this.exporters.reconcile(config, limit);
      for (const [id, receiver$] of prepared.receivers) this.hubs.get(id)!.attach(receiver$, config.receivers.get(id)!.fingerprint);
      const first = failure ?? exporterFailure;
      if (first !== undefined) throw first;
    } finally {
      limit.dispose();
    }
  }

  /** Creates what the apply will start, touching nothing that runs; throws which one failed and why. */
  private async prepare(config: ResolvedConfig, keptRuns: ReadonlySet<string>): Promise<Prepared> {
    const { services } = this;
    const exporters = new Map<string, CreatedExporter>();
    try {
      for (const [id, exporter] of config.exporters) {
        if (!this.exporters.queues.has(id)) exporters.set(id, this.exporters.create(id, exporter));
      }
      const runs = config.pipelines.filter((pipeline) => !keptRuns.has(pipeline.id)).map((pipeline) => this.pipelineRun(pipeline, config));
      for (const run of runs) run.prepare();
      const receivers = new Map<string, Observable<MetricBatch>>();
      for (const [id, receiver] of config.receivers) {
        if (this.hubs.get(id)?.fingerprint === receiver.fingerprint) continue;
        const factory = receiver.factory as ReceiverFactory;
        // from() also takes an Observable of another rxjs copy (a plugin's), and rejects what is not one.
        receivers.set(id, createComponent(id, 'receiver', () => from(factory.create(receiver.config, services.contextFor(id, 'receiver')))));
      }
      // Last, once everything could be made: a port is bound only for an apply that can go on.
      await startExporters(new Map([...exporters].map(([id, { exporter }]) => [id, exporter])));
      return { exporters, runs, receivers };
    } catch (error) {
      await Promise.all([...exporters.values()].map(({ exporter }) => exporter.shutdown().catch(() => undefined)));
      throw error;
    }
  }

  /** Opens a hub for each new receiver; changed receivers are swapped behind theirs later. */
  private openHubs(config: ResolvedConfig): void {
    const { services } = this;
    for (const id of config.receivers.keys()) {
      if (!this.hubs.has(id)) this.hubs.set(id, new ReceiverHub(id, services.logger.child(id), services.scheduler));
    }
  }

  private closeRemovedHubs(config: ResolvedConfig): void {
    for (const [id, hub] of this.hubs) {
      if (config.receivers.has(id)) continue;
      hub.close();
      this.hubs.delete(id);
      this.services.retire?.(id, 'receiver');
    }
  }

  /**
   * Starts each new pipeline and, in the same synchronous step, stops the one it replaces:
   * the receivers' hubs emit synchronously, so every batch reaches one or the other. A new
   * pipeline that fails as it subscribes leaves its predecessor running. Kept pipelines are
   * pointed at their (possibly changed) exporters; pipelines that left are stopped.
   * Returns the stopped pipelines, still flushing, and the first start failure.
   */
  private handOverRuns(config: ResolvedConfig, fresh: readonly PipelineRun[]): { stopped: PipelineRun[]; failure?: HealthpipeError } {
    const stopped: PipelineRun[] = [];
    let failure: HealthpipeError | undefined;
    for (const run of fresh) {
      const previous = this.runs.get(run.pipeline.id);
      try {
        run.start();
      } catch (error) {
        failure ??= error as HealthpipeError;
        previous?.retarget(run.pipeline);
        continue;
      }
      if (previous !== undefined) {
        void previous.stop();
        stopped.push(previous);
      }
      this.runs.set(run.pipeline.id, run);
    }
    const pipelines = new Map(config.pipelines.map((pipeline) => [pipeline.id, pipeline]));
    for (const [id, run] of this.runs) {
      const pipeline = pipelines.get(id);
      if (pipeline !== undefined) {
        if (run.fingerprint === pipelineFingerprint(pipeline, config.processors)) run.retarget(pipeline);
        continue;
      }
      void run.stop();
      stopped.push(run);
      this.runs.delete(id);
    }
    return failure === undefined ? { stopped } : { stopped, failure };
  }

  private pipelineRun(pipeline: PipelineConfig, config: ResolvedConfig): PipelineRun {
    const { services } = this;
    return new PipelineRun(pipeline, {
      hubs: this.hubs,
      exporters: this.exporters.queues,
      processors: config.processors,
      contextFor: (id, pipelineId) => services.contextFor(id, 'processor', pipelineId),
      scheduler: services.scheduler,
      logger: services.logger,
    });
  }

  /**
   * Stops receivers first, lets the pipelines flush their open windows, then flushes and
   * shuts down the exporters. Whatever is not done by the deadline is abandoned.
   */
  async stop(deadline: Promise<void>): Promise<boolean> {
    this.stopping = true;
    this.preempt();
    for (const hub of this.hubs.values()) hub.detach();
    const orderly = (async () => {
      // A reload under way stops waiting (preempted) and finishes; its receivers are closed below.
      await this.applying;
      for (const hub of this.hubs.values()) hub.close();
      await Promise.all([...this.runs.values()].map((run) => run.done));
      await this.exporters.closeAll();
      return true;
    })();
    const finished = await Promise.race([orderly, deadline.then(() => false)]);
    if (!finished) {
      for (const hub of this.hubs.values()) hub.close();
      for (const run of this.runs.values()) run.abort();
      this.exporters.abandonAll();
    }
    this.hubs.clear();
    this.runs.clear();
    this.exporters.clear();
    return finished;
  }
}
