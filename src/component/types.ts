import type { Observable, OperatorFunction, SchedulerLike } from 'rxjs';
import type { z } from 'zod';
import type { MetricBatch } from '../model/point.js';
import type { Signal, SignalBatch } from '../model/signal.js';
import type { Logger } from './logger.js';
import type { ComponentTelemetry } from './telemetry.js';
import type { ComponentStorage } from './storage.js';
import type { Discovery, DiscoveryNeeds } from './discovery.js';
import type { ComponentStatusReader, StatusReporter } from './status.js';
import type { SilenceBook } from './silences.js';
import type { HistoryReader } from '../history/reader.js';

/** Every kind a pipeline lists, in the order data flows through it. */
export const KINDS = ['receiver', 'processor', 'exporter'] as const;

export type ComponentKind = (typeof KINDS)[number];

/**
 * Every kind a factory can be: the pipeline kinds plus `extension`, a component outside the
 * pipelines (the `http` API) that `service.extensions` starts.
 */
export const FACTORY_KINDS = [...KINDS, 'extension'] as const;

export type FactoryKind = (typeof FACTORY_KINDS)[number];

/**
 * The plural of each kind: its section in pipeline.yaml, its list in a pipeline, its group
 * in `healthpipe components` and its folder in the repository (`receivers/process/`).
 */
export const KIND_SECTIONS = {
  receiver: 'receivers',
  processor: 'processors',
  exporter: 'exporters',
  extension: 'extensions',
} as const satisfies Record<FactoryKind, string>;

/** What the runtime hands every component. Components never read the clock themselves. */
export interface ComponentContext {
  /** `type` or `type/name`, as written in pipeline.yaml. */
  readonly id: string;
  /** For processors: the pipeline this instance belongs to. */
  readonly pipeline?: string;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  readonly telemetry: ComponentTelemetry;
  readonly storage: ComponentStorage;
  /** Target sets of registries: a consumer reads its sources' sets, a registry publishes its own. */
  readonly discovery: Discovery;
  /**
   * What the component says of its own health beyond what the runtime sees (an exporter whose
   * backend refuses, a receiver whose registry is down): shown by `/healthz` and `status`.
   */
  readonly status: StatusReporter;
  /**
   * Silences made at run time (through the HTTP API), shared by the whole agent and kept in
   * the store: every `cooldown` honours them beside its configured ones.
   */
  readonly silences: SilenceBook;
}

/** What an extension gets beyond a component's context: read access to the running agent. */
export interface ExtensionContext extends ComponentContext {
  /** Every component's state, last error and restarts (the component-status facet). */
  readonly components: ComponentStatusReader;
  /** Queries over what the `history` exporter stored, on the running agent's own store. */
  readonly history: HistoryReader;
}

interface FactoryBase<K extends FactoryKind, S extends z.ZodType> {
  readonly kind: K;
  /** The type id used in pipeline.yaml (`process`, `window`, `console`). */
  readonly type: string;
  /** One line for `healthpipe components` and the README. */
  readonly description: string;
  /** Strict schema: defaults live here, unknown keys are errors. */
  readonly schema: S;
  /**
   * At most one component of this type per configuration (`history`: one store of what
   * happened); `validate` reports a second one at its key.
   */
  readonly single?: boolean;
}

/** A receiver is cold: creating it connects to nothing; subscribing starts it, unsubscribing stops it. */
export interface ReceiverFactory<S extends z.ZodType = z.ZodType> extends FactoryBase<'receiver', S> {
  /** Whether it publishes target sets (a registry) or reads them (`targets_from`): see DiscoveryNeeds. */
  readonly discovery?: DiscoveryNeeds;
  create(config: z.output<S>, context: ComponentContext): Observable<MetricBatch>;
}

export interface ProcessorFactory<
  S extends z.ZodType = z.ZodType,
  In extends Signal = Signal,
  Out extends Signal = Signal,
> extends FactoryBase<'processor', S> {
  readonly input: In;
  readonly output: Out;
  /** A pure operator factory: all state lives inside the subscription; flush on complete. */
  create(config: z.output<S>, context: ComponentContext): OperatorFunction<SignalBatch[In], SignalBatch[Out]>;
}

export interface Exporter<Sig extends Signal = Signal> {
  /**
   * Optional: acquires what the exporter needs before any batch comes (binds a port, opens a
   * connection that must exist). The runtime awaits every new exporter's start before a
   * pipeline or receiver starts; a rejection stops the start (`healthpipe run` exits non-zero)
   * or fails the reload, which keeps the running configuration, with a message naming the
   * component and the rejection's reason (say the address: "cannot listen on 127.0.0.1:9464:
   * address already in use"). `shutdown` is still called after a rejected start and must
   * release whatever the start took. Settle promptly: a start is not a place to wait for a
   * backend that may be down (that is what retries are for). Without it the exporter is ready
   * once created.
   */
  start?(): Promise<void>;
  /** Takes one batch. A returned promise is awaited before the next batch is handed over. */
  consume(batch: SignalBatch[Sig], signal: Sig): void | Promise<void>;
  /** Delivers whatever is buffered. */
  flush(): Promise<void>;
  /** Flushes and releases every resource (timers, sockets, files). */
  shutdown(): Promise<void>;
}

export interface ExporterFactory<S extends z.ZodType = z.ZodType, Sig extends Signal = Signal>
  extends FactoryBase<'exporter', S> {
  /** The signals this exporter accepts; `validate` rejects a pipeline of another signal. */
  readonly signals: readonly Sig[];
  create(config: z.output<S>, context: ComponentContext): Exporter<Sig>;
}

/**
 * A component outside the pipelines (the collector's extensions): it sees no batch, only
 * the agent through its context. Listed in `service.extensions`; started before any pipeline
 * and stopped after them all.
 */
export interface Extension {
  /**
   * Acquires what it needs (binds its port). Awaited before the pipelines start; a rejection
   * stops the start or fails the reload (which keeps the running configuration), with a
   * message naming the component and the reason, as Exporter.start. `shutdown` is still
   * called after a rejected start.
   */
  start(): Promise<void>;
  /** Releases everything (sockets, timers, open streams) promptly. */
  shutdown(): Promise<void>;
}

export interface ExtensionFactory<S extends z.ZodType = z.ZodType> extends FactoryBase<'extension', S> {
  create(config: z.output<S>, context: ExtensionContext): Extension;
}

// Erased types on purpose: the registry holds factories of every schema and signal, and the
// config loader checks each config against the factory's own schema before create().
/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyFactory =
  | ReceiverFactory<any>
  | ProcessorFactory<any, any, any>
  | ExporterFactory<any, any>
  | ExtensionFactory<any>;
/* eslint-enable @typescript-eslint/no-explicit-any */
