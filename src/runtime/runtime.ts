import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { hostname } from 'node:os';
import type { ComponentContext, ExtensionContext, FactoryKind } from '../component/types.js';
import { DiscoveryBoard } from '../component/discovery-board.js';
import type { Logger } from '../component/logger.js';
import { ComponentRegistry } from '../component/registry.js';
import { delayInSteps } from '../component/long-timer.js';
import {
  formatProblem,
  loadConfigFromSources,
  pluginSpecifiersFromSources,
  readConfigSources,
  type ConfigProblem,
  type ConfigSource,
  type LoadResult,
  type ResolvedConfig,
} from '../config/index.js';
import { Graph } from '../graph/graph.js';
import { openDataStore, type Store } from '../storage/index.js';
import { SelfTelemetry } from '../telemetry/self-telemetry.js';
import { JsonLogger } from '../telemetry/logger.js';
import { builtinRegistry } from '../builtins.js';
import { HealthpipeError } from '../errors.js';
import { loadPlugins } from '../plugins/loader.js';
import { dataDirectoryProblem } from './data-directory.js';
import { pluginChangeMessage } from '../plugins/changes.js';
import { ComponentStatusBoard } from './status-board.js';
import { StoredSilenceBook } from '../alerts/silence-book.js';
import { redact } from '../config/secrets.js';
import { historyReaderOf } from './history-reader.js';

/** The store scope of what belongs to the agent rather than to one component (run-time silences). */
const AGENT_SCOPE = 'healthpipe';

export interface RuntimeOptions {
  readonly files: readonly string[];
  readonly env?: Record<string, string | undefined>;
  readonly scheduler?: SchedulerLike;
  /** Where logs go; JSON lines on stderr by default. */
  readonly logger?: Logger;
  /**
   * The store's directory, in place of the files' `service.data_dir`: the embedded default
   * keeps its store in the current directory, not inside the installed package.
   */
  readonly dataDir?: string;
}

export type ReloadResult = { ok: true } | { ok: false; problems: ConfigProblem[] };

/**
 * Loads the built-ins, the plugins the files name, then the configuration itself, and makes
 * sure its data directory can be used; problems in the files come back as data, a plugin
 * that cannot be loaded throws a HealthpipeError.
 */
export async function loadWithBuiltins(
  files: readonly string[],
  env: Record<string, string | undefined> = process.env,
  /** Replaces the files' `data_dir` (the embedded default's store goes to the current directory). */
  dataDir?: string,
): Promise<{ registry: ComponentRegistry; selfTelemetry: SelfTelemetry; result: LoadResult }> {
  const selfTelemetry = new SelfTelemetry(hostname());
  const registry = builtinRegistry(selfTelemetry);
  const read = await readConfigSources(files);
  if (!read.ok) return { registry, selfTelemetry, result: read };
  const plugins = pluginSpecifiersFromSources(read.sources, env);
  if (!plugins.ok) return { registry, selfTelemetry, result: plugins };
  try {
    await loadPlugins(plugins.plugins, registry, { from: plugins.directory });
  } catch (error) {
    await selfTelemetry.shutdown();
    throw error;
  }
  const loaded = loadConfigFromSources(read.sources, registry, env);
  const result = loaded.ok ? { ...loaded, config: withDataDir(loaded.config, dataDir) } : loaded;
  // The files are valid only if the data directory the store will use can really be used:
  // checked here, for `validate` and `run` alike, before anything starts.
  const dataDirectory = result.ok ? dataDirectoryProblem(result.config) : undefined;
  return { registry, selfTelemetry, result: dataDirectory === undefined ? result : { ok: false, problems: [dataDirectory] } };
}

/**
 * A running agent: the store, self-telemetry and the graph of one configuration. SIGHUP
 * reloads through `reload`; SIGTERM stops through `stop`, both wired by the CLI.
 */
export class Runtime {
  private readonly discovery = new DiscoveryBoard();
  /** Each component's state, last error and restarts: what extensions read. */
  private readonly statuses: ComponentStatusBoard;
  private readonly silences: StoredSilenceBook;
  private stopped = false;
  private stopping: Promise<boolean> | undefined;
  /**
   * Reloads run one at a time, in the order they were asked for. A stop does not queue
   * behind them: it cuts the running reload's waits short, within its own deadline.
   */
  private work: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: RuntimeOptions,
    private readonly registry: ComponentRegistry,
    private readonly selfTelemetry: SelfTelemetry,
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly scheduler: SchedulerLike,
    private config: ResolvedConfig,
    private readonly graph: Graph,
    private readonly secrets: Set<string>,
  ) {
    const now = (): number => scheduler.now();
    // What a component's error says is shown by `/healthz`: as in the logs, no secret in it.
    this.statuses = new ComponentStatusBoard(now, (message) => redact(message, secrets));
    this.silences = new StoredSilenceBook(store.component(AGENT_SCOPE).keyed('silences'), now);
  }

  static async start(options: RuntimeOptions): Promise<Runtime> {
    const { selfTelemetry, registry, result } = await loadWithBuiltins(options.files, options.env, options.dataDir);
    if (!result.ok) {
      await selfTelemetry.shutdown();
      throw new HealthpipeError('CONFIG_INVALID', result.problems.map(formatProblem).join('\n'), { problems: result.problems });
    }
    const config = result.config;
    const scheduler = options.scheduler ?? asyncScheduler;
    // Secrets of every configuration loaded so far: a line about the old one may still come.
    const secrets = new Set(config.secrets);
    const logger =
      options.logger ??
      new JsonLogger({ level: config.service.logLevel, now: () => scheduler.now(), secrets: () => secrets });
    const store = openDataStore(config.service.dataDir);
    let runtime: Runtime | undefined;
    const graph = new Graph({
      scheduler,
      logger,
      contextFor: (id, kind, pipeline) => runtime!.contextFor(id, kind, pipeline),
      extensionContextFor: (id) => runtime!.extensionContextFor(id),
      statuses: () => runtime!.statuses,
      retire: (id, kind, pipeline) => runtime!.retire(id, kind, pipeline),
    });
    runtime = new Runtime(options, registry, selfTelemetry, store, logger, scheduler, config, graph, secrets);
    selfTelemetry.setMetricsInterval(config.service.metricsInterval);
    try {
      await graph.apply(config);
    } catch (error) {
      await graph.stop(Promise.resolve());
      await selfTelemetry.shutdown();
      store.close();
      throw error;
    }
    logger.info('healthpipe started', {
      config: config.files,
      pipelines: config.pipelines.map((pipeline) => pipeline.id),
      data_dir: config.service.dataDir,
    });
    return runtime;
  }

  get configuration(): ResolvedConfig {
    return this.config;
  }

  /**
   * Validates the files again; on any problem the running pipeline stays and the problems
   * are logged. Otherwise the graph is reconciled: unchanged components keep their state.
   * Plugins are loaded once, at start: a changed `plugins:` list takes effect at a restart.
   */
  reload(): Promise<ReloadResult> {
    const next = this.work.then(() => this.reloadNow());
    this.work = next;
    return next;
  }

  private async reloadNow(): Promise<ReloadResult> {
    if (this.stopped) return { ok: true };
    const read = await readConfigSources([...this.options.files]);
    if (read.ok) this.warnOfPluginChanges(read.sources);
    const loaded = read.ok ? loadConfigFromSources(read.sources, this.registry, this.options.env) : read;
    const result = loaded.ok ? { ...loaded, config: withDataDir(loaded.config, this.options.dataDir) } : loaded;
    if (!result.ok) {
      for (const problem of result.problems) this.logger.error(`reload rejected: ${formatProblem(problem)}`);
      this.logger.warn('reload failed: the running pipeline is kept', { problems: result.problems.length });
      return { ok: false, problems: result.problems };
    }
    for (const secret of result.config.secrets) this.secrets.add(secret);
    if (result.config.service.dataDir !== this.config.service.dataDir) {
      this.logger.warn('service.data_dir changed: it takes effect at the next restart');
    }
    // The files were read while a stop may have begun: a stopping graph is not reloaded.
    if (this.stopped) return { ok: true };
    this.selfTelemetry.setMetricsInterval(result.config.service.metricsInterval);
    try {
      await this.graph.apply(result.config);
    } catch (error) {
      // What could not be made is not running: the graph keeps what ran before in its place
      // (a changed exporter runs on with its previous config), and the next reload retries.
      this.logger.error('reload failed while applying the new configuration', { error });
      return { ok: false, problems: [{ path: '', message: error instanceof Error ? error.message : String(error) }] };
    }
    if (this.stopped) {
      this.logger.warn('reload cut short: healthpipe is stopping');
      return { ok: false, problems: [{ path: '', message: 'healthpipe is stopping' }] };
    }
    // The plugins running stay those loaded at start, whatever the files name now.
    this.config = { ...result.config, plugins: this.config.plugins };
    this.logger.info('configuration reloaded', { pipelines: result.config.pipelines.map((pipeline) => pipeline.id) });
    return { ok: true };
  }

  /** Says why a plugin added since the start is unknown, or a removed one still loaded. */
  private warnOfPluginChanges(sources: readonly ConfigSource[]): void {
    const named = pluginSpecifiersFromSources(sources, this.options.env);
    const message = named.ok ? pluginChangeMessage(this.config.plugins, named.plugins) : undefined;
    if (message !== undefined) this.logger.warn(message);
  }

  /**
   * Stops receivers, flushes processors and exporters; true when all finished in time. The
   * deadline (`service.shutdown_timeout`) runs from the call and covers a reload under way:
   * its waits end at once, so a reload stuck on a hung exporter never holds the stop back.
   * Reloads asked for after the stop do nothing.
   */
  stop(): Promise<boolean> {
    this.stopping ??= this.stopNow();
    return this.stopping;
  }

  private async stopNow(): Promise<boolean> {
    this.stopped = true;
    const timeout = this.config.service.shutdownTimeout;
    this.logger.info('healthpipe stopping: flushing receivers, processors and exporters', { timeout_ms: timeout });
    let deadline: Subscription | undefined;
    const finished = await this.graph.stop(
      // In steps: a deadline past Node's 24.8-day timer limit would otherwise pass after 1 ms.
      new Promise<void>((resolve) => (deadline = delayInSteps(timeout, this.scheduler).subscribe(() => resolve()))),
    );
    deadline?.unsubscribe();
    if (!finished) this.logger.warn('shutdown deadline passed: some data was not flushed', { timeout_ms: timeout });
    this.discovery.close();
    this.statuses.close();
    await this.selfTelemetry.shutdown();
    this.store.close();
    this.logger.info('healthpipe stopped');
    return finished;
  }

  /** A component a reload removed: its telemetry goes, and a registry's consumers drop its instances. */
  private retire(id: string, kind: FactoryKind, pipeline?: string): void {
    this.selfTelemetry.forget(pipeline === undefined ? id : `${pipeline}/${id}`, kind);
    if (kind === 'receiver') this.discovery.forget(id);
  }

  /** An extension's context: a component's, plus every component's status and the history of this agent's store. */
  private extensionContextFor(id: string): ExtensionContext {
    return { ...this.contextFor(id, 'extension'), components: this.statuses, history: historyReaderOf(this.store) };
  }

  private contextFor(id: string, kind: FactoryKind, pipeline?: string): ComponentContext {
    const scoped = pipeline === undefined ? id : `${pipeline}/${id}`;
    return {
      id,
      ...(pipeline === undefined ? {} : { pipeline }),
      scheduler: this.scheduler,
      logger: this.logger.child(scoped),
      telemetry: this.selfTelemetry.forComponent(scoped, kind),
      storage: this.store.component(scoped),
      discovery: this.discovery.forComponent(id),
      status: this.statuses.reporterFor(scoped, kind, pipeline),
      silences: this.silences,
    };
  }
}

function withDataDir(config: ResolvedConfig, dataDir: string | undefined): ResolvedConfig {
  return dataDir === undefined ? config : { ...config, service: { ...config.service, dataDir } };
}
