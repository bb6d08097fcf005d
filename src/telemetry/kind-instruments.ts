import type { Attributes, Counter, Meter, ObservableGauge } from '@opentelemetry/api';
import type { ComponentKind } from '../component/types.js';
import type { CounterName } from './counters.js';
import { COUNTER_SPECS, metricName, QUEUE_SIZE_SPEC } from './metric-names.js';

/**
 * The instruments of one component kind, created on first use so that a metric nobody
 * records never shows up as an empty series. Shared by every component of the kind: the
 * `component` attribute tells them apart.
 */
export class KindInstruments {
  private readonly counters = new Map<CounterName, Counter>();
  private queueGauge: ObservableGauge | undefined;
  /** Last reported queue size per component; read by the gauge's callback at collect. */
  private readonly queueSizes = new Map<string, { size: number; attributes: Attributes }>();

  constructor(
    private readonly meter: Meter,
    private readonly kind: ComponentKind,
  ) {}

  counter(name: CounterName): Counter {
    let counter = this.counters.get(name);
    if (counter === undefined) {
      const spec = COUNTER_SPECS[name];
      counter = this.meter.createCounter(metricName(this.kind, spec), { unit: spec.unit, description: spec.description });
      this.counters.set(name, counter);
    }
    return counter;
  }

  setQueueSize(component: string, size: number, attributes: Attributes): void {
    this.ensureQueueGauge();
    const entry = this.queueSizes.get(component);
    if (entry === undefined) this.queueSizes.set(component, { size, attributes });
    else entry.size = size;
  }

  /** A component that is gone stops reporting its last queue size. */
  forget(component: string): void {
    this.queueSizes.delete(component);
  }

  private ensureQueueGauge(): void {
    if (this.queueGauge !== undefined) return;
    this.queueGauge = this.meter.createObservableGauge(metricName(this.kind, QUEUE_SIZE_SPEC), {
      unit: QUEUE_SIZE_SPEC.unit,
      description: QUEUE_SIZE_SPEC.description,
    });
    this.queueGauge.addCallback((result) => {
      for (const { size, attributes } of this.queueSizes.values()) result.observe(size, attributes);
    });
  }
}
