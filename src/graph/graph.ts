import { from, type Observable, type SchedulerLike } from 'rxjs';
import type { Logger } from '../component/logger.js';
import type { ComponentContext, Extension, ExtensionContext, FactoryKind, ReceiverFactory } from '../component/types.js';
import { EMPTY_HISTORY } from '../history/reader.js';
import { ComponentStatusBoard } from '../runtime/status-board.js';
import { ExtensionSet } from './extension-set.js';
import { GraphStatuses } from './graph-statuses.js';
import type { PipelineConfig, ResolvedConfig } from '../config/index.js';
import { HealthpipeError } from '../errors.js';
import type { MetricBatch } from '../model/point.js';
import { ExporterSet, type CreatedExporter } from './exporter-set.js';
import { PipelineRun, pipelineFingerprint, type PipelineStatus } from './pipeline-run.js';
import { ReceiverHub } from './receiver-hub.js';
import { createComponent } from './reason.js';
import { startExporters } from './exporter-start.js';
import { WaitLimit } from './wait-limit.js';

/** What an apply creates before it touches the running graph. */
interface Prepared {
  readonly extensions: ReadonlyMap<string, Extension>;
  readonly exporters: ReadonlyMap<string, CreatedExporter>;
  readonly runs: readonly PipelineRun[];
  readonly receivers: ReadonlyMap<string, Observable<MetricBatch>>;
}

export interface GraphServices {
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  contextFor(id: string, kind: FactoryKind, pipeline?: string): ComponentContext;
  /**
   * An extension's context: a component's plus read access to the agent. Without it, the
   * component's context with the graph's component statuses and no history.
   */
  extensionContextFor?(id: string): ExtensionContext;
  /** The component-status facet the graph writes; without it the graph keeps its own. */
  statuses?(): ComponentStatusBoard;
  /** A component a reload removed: its per-component state outside the graph can go. */
  retire?(id: string, kind: FactoryKind, pipeline?: string): void;
}

/**
 * The running graph of one configuration. `apply` reconciles it with a new configuration:
 * components whose id and config are unchanged keep running with their state, the others
 * are stopped, flushed and replaced. The first start is an apply from nothing.
 */
export class Graph {
  private readonly hubs = new Map<string, ReceiverHub>();
  private readonly exporters: ExporterSet;
  private readonly extensions: ExtensionSet;
  private readonly statuses: GraphStatuses;
  private readonly runs = new Map<string, PipelineRun>();
  /** The apply under way, if any: a stop waits for it (it stops waiting once asked to stop). */
  private applying: Promise<void> = Promise.resolve();
  private stopping = false;
  private preempt: () => void = () => undefined;
  private readonly preempted = new Promise<void>((resolve) => (this.preempt = resolve));

  constructor(private readonly services: GraphServices) {
    const own = services.statuses === undefined ? new ComponentStatusBoard(() => services.scheduler.now()) : undefined;
    const board = services.statuses ?? ((): ComponentStatusBoard => own!);
    this.statuses = new GraphStatuses(board);
    this.exporters = new ExporterSet({
      logger: services.logger,
      statuses: this.statuses,
      contextFor: (id) => services.contextFor(id, 'exporter'),
      ...(services.retire === undefined ? {} : { retire: (id: string) => services.retire!(id, 'exporter') }),
    });
    this.extensions = new ExtensionSet({
      logger: services.logger,
      statuses: this.statuses,
      extensionContextFor: (id) =>
        services.extensionContextFor?.(id) ?? { ...services.contextFor(id, 'extension'), components: board(), history: EMPTY_HISTORY },
      ...(services.retire === undefined ? {} : { retire: (id: string) => services.retire!(id, 'extension') }),
    });
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
      this.extensions.add(config, prepared.extensions);
      this.exporters.add(config, prepared.exporters);
      this.markCreated(prepared);
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
      // Removed and changed extensions last: they stop after what they watch.
      const extensionFailure = await this.extensions.reconcile(config, limit);
      this.statuses.keepOnly(config);
      const first = failure ?? exporterFailure ?? extensionFailure;
      if (first !== undefined) throw first;
    } finally {
      limit.dispose();
    }
  }

  /** Creates what the apply will start, touching nothing that runs; throws which one failed and why. */
  private async prepare(config: ResolvedConfig, keptRuns: ReadonlySet<string>): Promise<Prepared> {
    const { services } = this;
    const exporters = new Map<string, CreatedExporter>();
    let extensions: ReadonlyMap<string, Extension> = new Map();
    try {
      extensions = this.extensions.create(config);
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
      // Extensions first, one by one, then the exporters at once: what serves the agent's
      // state (`/healthz`) is up before any pipeline can fail.
      await this.extensions.start(extensions);
      await startExporters(new Map([...exporters].map(([id, { exporter }]) => [id, exporter])), (id, error) => {
        if (error === undefined) this.statuses.running('exporter', id);
        else this.statuses.failed('exporter', id, error);
      });
      return { extensions, exporters, runs, receivers };
    } catch (error) {
      await Promise.all([...exporters.values()].map(({ exporter }) => exporter.shutdown().catch(() => undefined)));
      for (const id of exporters.keys()) this.statuses.removeUnlessFailed(id);
      await this.extensions.discard(extensions);
      throw error;
    }
  }

  /** New receivers and pipelines' processors are `starting` until they subscribe (changed ones run on until then). */
  private markCreated(prepared: Prepared): void {
    for (const id of prepared.receivers.keys()) if (!this.hubs.has(id)) this.statuses.starting('receiver', id);
    for (const run of prepared.runs) {
      if (this.runs.has(run.pipeline.id)) continue;
      for (const id of run.pipeline.processors) this.statuses.starting('processor', id, run.pipeline.id);
    }
  }

  /** Opens a hub for each new receiver; changed receivers are swapped behind theirs later. */
  private openHubs(config: ResolvedConfig): void {
    const { services } = this;
    for (const id of config.receivers.keys()) {
      if (this.hubs.has(id)) continue;
      const { statuses } = this;
      this.hubs.set(
        id,
        new ReceiverHub(id, services.logger.child(id), services.scheduler, {
          running: () => statuses.running('receiver', id),
          failed: (error) => statuses.failed('receiver', id, error),
          restarted: () => statuses.restarted(id),
        }),
      );
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
        // The one it would replace runs on (and says what failed); without one, it failed.
        for (const id of run.pipeline.processors) {
          if (previous?.pipeline.processors.includes(id) === true) this.statuses.running('processor', id, run.pipeline.id, error);
          else this.statuses.failed('processor', id, error, run.pipeline.id);
        }
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
      status: this.pipelineStatus,
    });
  }

  private readonly pipelineStatus: PipelineStatus = {
    running: (pipeline) => {
      for (const id of pipeline.processors) this.statuses.running('processor', id, pipeline.id);
    },
    failed: (pipeline, error) => {
      for (const id of pipeline.processors) this.statuses.failed('processor', id, error, pipeline.id);
    },
    restarted: (pipeline) => {
      for (const id of pipeline.processors) this.statuses.restarted(id, pipeline.id);
    },
  };

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
      for (const hub of this.hubs.values()) {
        hub.close();
        this.statuses.stopped('receiver', hub.id);
      }
      await Promise.all(
        [...this.runs.values()].map(async (run) => {
          await run.done;
          for (const id of run.pipeline.processors) this.statuses.stopped('processor', id, run.pipeline.id);
        }),
      );
      await this.exporters.closeAll();
      // Last: what they serve (`/healthz`) answered while the pipelines drained.
      await this.extensions.closeAll();
      return true;
    })();
    const finished = await Promise.race([orderly, deadline.then(() => false)]);
    if (!finished) {
      for (const hub of this.hubs.values()) hub.close();
      for (const run of this.runs.values()) run.abort();
      this.exporters.abandonAll();
      this.extensions.abandonAll();
    }
    this.statuses.stopAll();
    this.hubs.clear();
    this.runs.clear();
    this.exporters.clear();
    return finished;
  }
}
