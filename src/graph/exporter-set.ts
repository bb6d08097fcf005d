import type { Logger } from '../component/logger.js';
import type { ComponentContext, Exporter, ExporterFactory } from '../component/types.js';
import type { ComponentConfig, ResolvedConfig } from '../config/index.js';
import type { HealthpipeError } from '../errors.js';
import { ExporterQueue } from './exporter-queue.js';
import { createComponent } from './reason.js';
import { startExporter } from './exporter-start.js';
import type { WaitLimit } from './wait-limit.js';
import type { GraphStatuses } from './graph-statuses.js';

export interface CreatedExporter {
  readonly exporter: Exporter;
  readonly context: ComponentContext;
}

interface ExporterServices {
  readonly logger: Logger;
  readonly statuses: GraphStatuses;
  contextFor(id: string): ComponentContext;
  retire?(id: string): void;
}

/**
 * The graph's exporters, each behind its queue, which lives as long as the id: pipelines
 * look the queues up per batch (`queues`), so a reload swaps an exporter behind its queue
 * without touching them. Remembers the config each exporter was made from, so that a
 * configuration that could not be applied is tried again by the next reload.
 */
export class ExporterSet {
  readonly queues = new Map<string, ExporterQueue>();
  /** The config each queue's exporter was made from; none when no exporter could be made. */
  private readonly configs = new Map<string, ComponentConfig>();
  /** Queues that the stop is closing, kept so that a missed deadline can make them stop trying. */
  private closing: ExporterQueue[] = [];

  constructor(private readonly services: ExporterServices) {}

  /** Makes an exporter with a new id, touching nothing that runs; throws which one and why. */
  create(id: string, config: ComponentConfig): CreatedExporter {
    const context = this.services.contextFor(id);
    try {
      const exporter = createComponent(id, 'exporter', () => make(config, context));
      this.services.statuses.starting('exporter', id);
      return { exporter, context };
    } catch (error) {
      this.services.statuses.failed('exporter', id, error);
      throw error;
    }
  }

  /** Queues exporters made by `create`, before any pipeline can send to them. */
  add(config: ResolvedConfig, created: ReadonlyMap<string, CreatedExporter>): void {
    for (const [id, { exporter, context }] of created) {
      this.queues.set(id, new ExporterQueue(id, exporter, context.telemetry, context.logger, config.service.exporterQueueSize, context.scheduler));
      this.configs.set(id, config.exporters.get(id)!);
    }
  }

  /**
   * Closes removed exporters, swaps changed ones behind their queues, and gives every queue
   * the configured bound. Waits are bounded by `limit`: an exporter that hangs is abandoned.
   * Returns the error of a changed exporter that could not be made.
   */
  async reconcile(config: ResolvedConfig, limit: WaitLimit): Promise<HealthpipeError | undefined> {
    const work: Array<Promise<unknown>> = [];
    let failure: HealthpipeError | undefined;
    for (const [id, queue] of this.queues) {
      const next = config.exporters.get(id);
      if (next === undefined) {
        this.queues.delete(id);
        this.configs.delete(id);
        work.push(this.closeRemoved(queue, limit));
        continue;
      }
      queue.resize(config.service.exporterQueueSize);
      if (this.configs.get(id)?.fingerprint === next.fingerprint) continue;
      const replacement = (): Promise<Exporter | undefined> =>
        this.replacement(id, next, (error) => {
          failure ??= error;
        });
      work.push(queue.replace(replacement, limit.reached));
    }
    await Promise.all(work);
    return failure;
  }

  /** Delivers what waits, then flushes and shuts every exporter down; forgets them all. */
  async closeAll(): Promise<void> {
    const queues = [...this.queues.values()];
    this.closing = queues;
    this.clear();
    await Promise.all(queues.map((queue) => this.close(queue)));
  }

  /** The stop's deadline passed: every queue, also those still closing, stops trying. */
  abandonAll(): void {
    for (const queue of [...this.queues.values(), ...this.closing]) queue.abandon();
    this.closing = [];
  }

  clear(): void {
    this.queues.clear();
    this.configs.clear();
  }

  private async closeRemoved(queue: ExporterQueue, limit: WaitLimit): Promise<void> {
    if (!(await limit.within(this.close(queue)))) {
      this.services.logger.warn('a removed exporter did not finish shutting down in time: abandoned', { exporter: queue.id });
    }
    this.services.retire?.(queue.id);
  }

  /**
   * The exporter that takes over a changed one's queue: made and started from the new config;
   * if that fails, made and started again from the config that worked before (the running
   * exporter was already shut down: it may have held a port the new one needs), and the new config is not recorded,
   * so the next reload with it tries again; if that fails too, none: the queue holds what comes
   * until a reload makes one. Never the exporter that was just shut down.
   */
  private async replacement(id: string, next: ComponentConfig, failed: (error: HealthpipeError) => void): Promise<Exporter | undefined> {
    const { logger, statuses } = this.services;
    const context = this.services.contextFor(id);
    statuses.starting('exporter', id);
    let failure: unknown;
    try {
      const exporter = await madeAndStarted(id, () => createComponent(id, 'exporter', () => make(next, context)));
      this.configs.set(id, next);
      statuses.running('exporter', id);
      return exporter;
    } catch (error) {
      failure = error;
      failed(error as HealthpipeError);
    }
    const previous = this.configs.get(id);
    if (previous !== undefined) {
      try {
        const exporter = await madeAndStarted(id, () => make(previous, context));
        logger.warn('the changed exporter could not be made: it runs on with its previous configuration', { exporter: id });
        statuses.running('exporter', id, undefined, failure);
        return exporter;
      } catch (error) {
        logger.error('the exporter could not be made again from its previous configuration', { exporter: id, error });
      }
    }
    this.configs.delete(id);
    logger.error('exporter is missing: what it should get waits in its queue until a reload makes it', { exporter: id });
    statuses.failed('exporter', id, failure);
    return undefined;
  }

  private async close(queue: ExporterQueue): Promise<void> {
    try {
      await queue.close();
    } catch (error) {
      this.services.logger.error('exporter failed to shut down cleanly', { exporter: queue.id, error });
    }
    this.services.statuses.stopped('exporter', queue.id);
  }
}

/** An exporter made and started; one whose start failed is shut down (it may hold part of what it took). */
async function madeAndStarted(id: string, create: () => Exporter): Promise<Exporter> {
  const exporter = create();
  try {
    await startExporter(id, exporter);
  } catch (error) {
    await exporter.shutdown().catch(() => undefined);
    throw error;
  }
  return exporter;
}

function make(exporter: ComponentConfig, context: ComponentContext): Exporter {
  return (exporter.factory as ExporterFactory).create(exporter.config, context);
}
