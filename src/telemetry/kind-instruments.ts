import type { Attributes, Counter, Meter, ObservableGauge } from '@opentelemetry/api';
import type { FactoryKind } from '../component/types.js';
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
  /**
   * Last reported size per component and queue name; read by the gauge's callback at
   * collect. Keyed by both, so two queues of one component are two series.
   */
  private readonly queueSizes = new Map<string, Map<string | undefined, { size: number; attributes: Attributes }>>();

  constructor(
    private readonly meter: Meter,
    private readonly kind: FactoryKind,
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

  setQueueSize(component: string, queue: string | undefined, size: number, attributes: Attributes): void {
    this.ensureQueueGauge();
    let queues = this.queueSizes.get(component);
    if (queues === undefined) {
      queues = new Map();
      this.queueSizes.set(component, queues);
    }
    const entry = queues.get(queue);
    if (entry === undefined) queues.set(queue, { size, attributes });
    else entry.size = size;
  }

  /** A component that is gone stops reporting the last sizes of all its queues. */
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
      for (const queues of this.queueSizes.values()) {
        for (const { size, attributes } of queues.values()) result.observe(size, attributes);
      }
    });
  }
}
