import type { Attributes } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import type { ComponentTelemetry, TelemetryDetail } from '../component/telemetry.js';
import type { FactoryKind } from '../component/types.js';
import type { MetricBatch } from '../model/point.js';
import { Resource, SeriesSet } from '../model/series.js';
import { MetricPointConverter } from './convert.js';
import { detailKey, type CounterName } from './counters.js';
import { KindInstruments } from './kind-instruments.js';
import { INITIAL_COUNTERS } from './metric-names.js';
import { PullMetricReader } from './pull-reader.js';

/** `service.telemetry.metrics.interval`'s default, until a configuration says otherwise. */
const DEFAULT_METRICS_INTERVAL_MS = 15_000;

/** Records one component's counts through the OpenTelemetry metrics API. */
class OtelComponentTelemetry implements ComponentTelemetry {
  private readonly attributes: Attributes;
  /** One attributes object per detail seen: reasons are a small fixed vocabulary. */
  private readonly detailed = new Map<string, Attributes>();

  constructor(
    private readonly instruments: KindInstruments,
    private readonly id: string,
  ) {
    this.attributes = { component: id };
  }

  accepted(count: number, detail?: TelemetryDetail): void {
    this.add('accepted', count, detail);
  }
  refused(count: number, detail?: TelemetryDetail): void {
    this.add('refused', count, detail);
  }
  sent(count: number, detail?: TelemetryDetail): void {
    this.add('sent', count, detail);
  }
  failed(count: number, detail?: TelemetryDetail): void {
    this.add('failed', count, detail);
  }
  dropped(count: number, detail?: TelemetryDetail): void {
    this.add('dropped', count, detail);
  }
  skipped(count: number, detail?: TelemetryDetail): void {
    this.add('skipped', count, detail);
  }
  timedOut(count: number, detail?: TelemetryDetail): void {
    this.add('timedOut', count, detail);
  }
  queueSize(size: number, queue?: string): void {
    this.instruments.setQueueSize(this.id, queue, size, queue === undefined ? this.attributes : { ...this.attributes, queue });
  }

  /** Starts a counter's series at 0 so a quiet component reports zeros, not nothing. */
  touch(name: CounterName): void {
    this.instruments.counter(name).add(0, this.attributes);
  }

  private add(name: CounterName, count: number, detail: TelemetryDetail | undefined): void {
    // Zero, negative or NaN counts are no news; the SDK would only log a warning for them.
    if (!(count > 0)) return;
    this.instruments.counter(name).add(count, this.attributesOf(detail));
  }

  private attributesOf(detail: TelemetryDetail | undefined): Attributes {
    if (detail === undefined || (detail.reason === undefined && detail.signal === undefined)) return this.attributes;
    const key = detailKey(detail);
    let attributes = this.detailed.get(key);
    if (attributes === undefined) {
      attributes = { ...this.attributes };
      if (detail.reason !== undefined) attributes.reason = detail.reason;
      if (detail.signal !== undefined) attributes.signal = detail.signal;
      this.detailed.set(key, attributes);
    }
    return attributes;
  }
}

/**
 * The agent's own telemetry, in the collector's style: components record counts with the
 * OpenTelemetry metrics API, and `collect` reads them back as our points so the `internal`
 * receiver exports them like any other metrics. One per runtime; the runtime hands
 * `forComponent(...)` to each component's context.
 */
export class SelfTelemetry {
  private readonly reader = new PullMetricReader();
  private readonly provider = new MeterProvider({ readers: [this.reader] });
  private readonly meter = this.provider.getMeter('healthpipe');
  private readonly converter: MetricPointConverter;
  private readonly kinds = new Map<FactoryKind, KindInstruments>();
  private readonly components = new Map<string, OtelComponentTelemetry>();
  private readonly metricsInterval = new BehaviorSubject<number>(DEFAULT_METRICS_INTERVAL_MS);
  private stopped = false;

  constructor(readonly instanceId: string) {
    // The PID describes the points but does not identify the agent: its own series (and
    // alerts on them) stay the same series across a restart.
    const resource = new Resource(
      { 'service.name': 'healthpipe', 'service.instance.id': instanceId, 'process.pid': process.pid },
      { volatile: ['process.pid'] },
    );
    this.converter = new MetricPointConverter(new SeriesSet(resource));
  }

  /** The resource of every self-telemetry point. */
  get resource(): Resource {
    return this.converter.series.resource;
  }

  /**
   * How often the agent's own metrics are read (`service.telemetry.metrics.interval`): the
   * `internal` receiver follows it unless its own `collection_interval` is written. Emits the
   * current value at once, then each change a reload makes.
   */
  get metricsInterval$(): Observable<number> {
    return this.metricsInterval.pipe(distinctUntilChanged());
  }

  /** Set by the runtime at start and on every reload. */
  setMetricsInterval(ms: number): void {
    this.metricsInterval.next(ms);
  }

  /** The same id and kind always get the same object, so their counts add to one series. */
  forComponent(id: string, kind: FactoryKind): ComponentTelemetry {
    const key = `${kind}\u0000${id}`;
    let telemetry = this.components.get(key);
    if (telemetry === undefined) {
      telemetry = new OtelComponentTelemetry(this.instrumentsOf(kind), id);
      for (const name of INITIAL_COUNTERS[kind]) telemetry.touch(name);
      this.components.set(key, telemetry);
    }
    return telemetry;
  }

  /**
   * Lets go of a component a reload removed: its queue gauge stops reporting. Its counters'
   * totals stay in the SDK (cumulative, bounded by its cardinality limit) and go on if the
   * same id comes back.
   */
  forget(id: string, kind: FactoryKind): void {
    this.components.delete(`${kind}\u0000${id}`);
    this.kinds.get(kind)?.forget(id);
  }

  /**
   * Reads every instrument and returns one point per series, stamped `now` (the caller's
   * scheduler time). Cumulative: counters carry their running total and start time.
   * Rejects after `shutdown()`.
   */
  async collect(now: number): Promise<MetricBatch> {
    // `errors` only holds exceptions thrown by observable callbacks; ours only read a map,
    // and the points that were collected are still worth returning.
    const { resourceMetrics } = await this.reader.collect();
    return this.converter.convert(resourceMetrics, now);
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.metricsInterval.complete();
    await this.provider.shutdown();
  }

  private instrumentsOf(kind: FactoryKind): KindInstruments {
    let instruments = this.kinds.get(kind);
    if (instruments === undefined) {
      instruments = new KindInstruments(this.meter, kind);
      this.kinds.set(kind, instruments);
    }
    return instruments;
  }
}
