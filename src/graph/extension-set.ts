import type { Logger } from '../component/logger.js';
import type { Extension, ExtensionContext, ExtensionFactory } from '../component/types.js';
import type { ComponentConfig, ResolvedConfig } from '../config/index.js';
import type { HealthpipeError } from '../errors.js';
import { startExtension } from './exporter-start.js';
import type { GraphStatuses } from './graph-statuses.js';
import { createComponent } from './reason.js';
import type { WaitLimit } from './wait-limit.js';

interface ExtensionServices {
  readonly logger: Logger;
  readonly statuses: GraphStatuses;
  extensionContextFor(id: string): ExtensionContext;
  retire?(id: string, kind: 'extension'): void;
}

/** Extensions made by an apply, not started yet, in the order `service.extensions` lists them. */
export type CreatedExtensions = ReadonlyMap<string, Extension>;

/**
 * The running extensions (`service.extensions`), each with the config it was made from. They
 * start before every other component and stop after them all, so what they serve (`/healthz`)
 * answers while the pipelines start and drain. One at a time, in the listed order; stopped in
 * the reverse order.
 */
export class ExtensionSet {
  private readonly running = new Map<string, { readonly extension: Extension; readonly config: ComponentConfig }>();

  constructor(private readonly services: ExtensionServices) {}

  /** Makes the extensions the configuration adds, touching nothing that runs; throws which one and why. */
  create(config: ResolvedConfig): Map<string, Extension> {
    const created = new Map<string, Extension>();
    for (const [id, extension] of config.extensions) {
      if (this.running.has(id)) continue;
      try {
        created.set(id, createComponent(id, 'extension', () => make(extension, this.services.extensionContextFor(id))));
      } catch (error) {
        this.services.statuses.failed('extension', id, error);
        void this.discard(created);
        throw error;
      }
      this.services.statuses.starting('extension', id);
    }
    return created;
  }

  /**
   * Starts what `create` made, one after the other; a refusal marks the refused one failed and
   * is thrown (the caller discards them all).
   */
  async start(created: CreatedExtensions): Promise<void> {
    for (const [id, extension] of created) {
      try {
        await startExtension(id, extension);
      } catch (error) {
        // The caller discards them all.
        this.services.statuses.failed('extension', id, error);
        throw error;
      }
      this.services.statuses.running('extension', id);
    }
  }

  /**
   * Extensions made (and maybe started) for an apply that does not go on: shut down (also one
   * whose start was refused), and no longer listed unless as the one that failed.
   */
  async discard(created: CreatedExtensions): Promise<void> {
    for (const [id, extension] of [...created].reverse()) {
      await extension.shutdown().catch(() => undefined);
      this.services.statuses.removeUnlessFailed(id);
    }
  }

  /** Extensions `start` started: running from now on. */
  add(config: ResolvedConfig, created: CreatedExtensions): void {
    for (const [id, extension] of created) this.running.set(id, { extension, config: config.extensions.get(id)! });
  }

  /**
   * Shuts removed extensions down and replaces changed ones (the old one shut down first: it
   * may hold the port the new one needs). A changed one that cannot be made or started is
   * made and started again from its previous config, as ExporterSet does for exporters; the
   * failure is returned. Waits are bounded by `limit`.
   */
  async reconcile(config: ResolvedConfig, limit: WaitLimit): Promise<HealthpipeError | undefined> {
    let failure: HealthpipeError | undefined;
    for (const [id, { extension, config: previous }] of [...this.running].reverse()) {
      const next = config.extensions.get(id);
      if (next !== undefined && next.fingerprint === previous.fingerprint) continue;
      this.running.delete(id);
      await this.shutdown(id, extension, limit);
      if (next === undefined) {
        this.services.retire?.(id, 'extension');
        continue;
      }
      const replaced = await this.replacement(id, next, previous, (error) => (failure ??= error));
      if (replaced !== undefined) this.running.set(id, replaced);
    }
    return failure;
  }

  /** Shuts every extension down, the last started first. */
  async closeAll(): Promise<void> {
    const running = [...this.running].reverse();
    this.running.clear();
    for (const [id, { extension }] of running) {
      try {
        await extension.shutdown();
      } catch (error) {
        this.services.logger.error('extension failed to shut down cleanly', { extension: id, error });
      }
      this.services.statuses.stopped('extension', id);
    }
  }

  /** The stop's deadline passed before the extensions' turn: each is told to shut down, unawaited. */
  abandonAll(): void {
    for (const { extension } of this.running.values()) void extension.shutdown().catch(() => undefined);
    this.running.clear();
  }

  private async shutdown(id: string, extension: Extension, limit: WaitLimit): Promise<void> {
    const done = extension.shutdown().catch((error: unknown) => {
      this.services.logger.error('extension failed to shut down cleanly', { extension: id, error });
    });
    if (!(await limit.within(done))) {
      this.services.logger.warn('an extension did not finish shutting down in time: abandoned', { extension: id });
    }
  }

  private async replacement(
    id: string,
    next: ComponentConfig,
    previous: ComponentConfig,
    failed: (error: HealthpipeError) => void,
  ): Promise<{ extension: Extension; config: ComponentConfig } | undefined> {
    const { logger, statuses } = this.services;
    statuses.starting('extension', id);
    let failure: unknown;
    try {
      const extension = await this.madeAndStarted(id, next);
      statuses.running('extension', id);
      return { extension, config: next };
    } catch (error) {
      failure = error;
      failed(error as HealthpipeError);
    }
    try {
      const extension = await this.madeAndStarted(id, previous);
      logger.warn('the changed extension could not start: it runs on with its previous configuration', { extension: id });
      statuses.running('extension', id, undefined, failure);
      // Recorded with its previous config: the next reload with the new one tries again.
      return { extension, config: previous };
    } catch (error) {
      logger.error('the extension could not be started again from its previous configuration: it is not running', { extension: id, error });
      statuses.failed('extension', id, failure);
      return undefined;
    }
  }

  private async madeAndStarted(id: string, config: ComponentConfig): Promise<Extension> {
    const extension = createComponent(id, 'extension', () => make(config, this.services.extensionContextFor(id)));
    try {
      await startExtension(id, extension);
    } catch (error) {
      await extension.shutdown().catch(() => undefined);
      throw error;
    }
    return extension;
  }
}

function make(extension: ComponentConfig, context: ExtensionContext): Extension {
  return (extension.factory as ExtensionFactory).create(extension.config, context);
}
