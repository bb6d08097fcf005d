import type { SourcePosition } from './located.js';
import type { AnyFactory, FactoryKind } from '../component/types.js';
import type { LogLevel } from '../component/logger.js';
import type { Signal } from '../model/signal.js';
import type { ConfigProblem } from './problem.js';

/** One configured component instance, checked by its factory's schema. */
export interface ComponentConfig {
  /** `type` or `type/name`. */
  id: string;
  kind: FactoryKind;
  type: string;
  name?: string;
  factory: AnyFactory;
  /** The output of `factory.schema`: defaults applied, durations in ms, sizes in bytes. */
  config: unknown;
  /**
   * Key-sorted JSON of this component's merged raw input (after env expansion), for reload
   * change detection. It holds secrets as written: compare it, never log it.
   */
  fingerprint: string;
}

export interface PipelineConfig {
  /** `metrics`, `metrics/x`, `alerts` or `alerts/x`. */
  id: string;
  signal: Signal;
  receivers: string[];
  processors: string[];
  exporters: string[];
}

export interface ServiceConfig {
  /** Absolute; a relative `data_dir` resolves against the directory of the first config file. */
  dataDir: string;
  /** Where `service.data_dir` was written (or, when defaulted, the `service` section): a problem with it points there. */
  dataDirPosition?: SourcePosition;
  extensions: string[];
  /** `service.telemetry.logs.level`, default info. */
  logLevel: LogLevel;
  /** `service.telemetry.metrics.interval` in ms, default 15 000. */
  metricsInterval: number;
  /** `service.shutdown_timeout` in ms, default 10 000. */
  shutdownTimeout: number;
  /**
   * `service.exporter_queue_size`, default 100 000: metric points that may wait for one busy
   * exporter before the oldest are dropped and counted. Alerts are never dropped.
   */
  exporterQueueSize: number;
}

export interface ResolvedConfig {
  files: string[];
  /** Paths starting with `.` or `/` resolved against the directory of the file that lists them; package names as written. */
  plugins: string[];
  receivers: Map<string, ComponentConfig>;
  processors: Map<string, ComponentConfig>;
  exporters: Map<string, ComponentConfig>;
  /** The extensions `service.extensions` starts, in the order it lists them (every one defined is listed). */
  extensions: Map<string, ComponentConfig>;
  pipelines: PipelineConfig[];
  service: ServiceConfig;
  /**
   * Values written under secret-looking keys (token, password, headers, …) and credentials
   * in URLs: the runtime's logger blanks them out of every line it writes.
   */
  secrets: ReadonlySet<string>;
}

export type LoadResult = { ok: true; config: ResolvedConfig } | { ok: false; problems: ConfigProblem[] };

/** A configuration file's name (as shown in problems) and its text. */
export interface ConfigSource {
  name: string;
  text: string;
}
