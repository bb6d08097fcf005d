import type { FactoryKind } from '../component/types.js';
import type { CounterName } from './counters.js';

interface InstrumentSpec {
  readonly suffix: string;
  readonly unit: string;
  readonly description: string;
}

/**
 * ComponentTelemetry method → metric, named `healthpipe.<kind>.<suffix>` as the collector
 * names `otelcol_<kind>_<suffix>`:
 *
 *   accepted   → healthpipe.<kind>.accepted_points   (counter)
 *   refused    → healthpipe.<kind>.refused_points    (counter)
 *   sent       → healthpipe.<kind>.sent              (counter)
 *   failed     → healthpipe.<kind>.send_failed       (counter)
 *   dropped    → healthpipe.<kind>.dropped           (counter)
 *   skipped    → healthpipe.<kind>.skipped_checks    (counter)
 *   timedOut   → healthpipe.<kind>.timed_out_checks  (counter)
 *   queueSize  → healthpipe.<kind>.queue_size        (observable gauge, last reported size,
 *                                                    one series per queue name: attribute `queue`)
 *
 * so a receiver writes healthpipe.receiver.accepted_points, an exporter
 * healthpipe.exporter.send_failed, a processor healthpipe.processor.dropped, a polling
 * receiver healthpipe.receiver.skipped_checks and healthpipe.receiver.timed_out_checks. Every series
 * has the attribute `component` = the component id, and a count given a `TelemetryDetail`
 * also `reason` (why it was dropped or failed) and `signal` (`metrics` or `alerts`). Exporters and processors may carry
 * alerts as well as points, hence `{items}`.
 */
export const COUNTER_SPECS: Readonly<Record<CounterName, InstrumentSpec>> = {
  accepted: { suffix: 'accepted_points', unit: '{points}', description: 'Points the component produced and handed on.' },
  refused: { suffix: 'refused_points', unit: '{points}', description: 'Points the component could not produce or accept.' },
  sent: { suffix: 'sent', unit: '{items}', description: 'Items delivered to the destination.' },
  failed: { suffix: 'send_failed', unit: '{items}', description: 'Items whose delivery failed.' },
  dropped: { suffix: 'dropped', unit: '{items}', description: 'Items dropped at a bound (queue full, too many series).' },
  skipped: {
    suffix: 'skipped_checks',
    unit: '{checks}',
    description: "Scheduled checks that did not run because the target's previous check was still running or waiting for a slot.",
  },
  timedOut: { suffix: 'timed_out_checks', unit: '{checks}', description: 'Checks cut by their timeout.' },
};

export const QUEUE_SIZE_SPEC: InstrumentSpec = {
  suffix: 'queue_size',
  unit: '{items}',
  description: 'Items waiting in the component queue, as last reported.',
};

/**
 * The counters that exist from the moment a component of this kind is created, at 0, so a
 * quiet component shows zeros rather than no data. The others appear when first used
 * (`skipped` and `timedOut` only concern receivers that poll through the target scheduler).
 */
export const INITIAL_COUNTERS: Readonly<Record<FactoryKind, readonly CounterName[]>> = {
  receiver: ['accepted', 'refused'],
  processor: ['dropped'],
  exporter: ['sent', 'failed', 'dropped'],
  // An extension handles no points: it counts only what it chooses to.
  extension: [],
};

export function metricName(kind: FactoryKind, spec: InstrumentSpec): string {
  return `healthpipe.${kind}.${spec.suffix}`;
}
