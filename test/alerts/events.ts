import { healthEvent, type HealthEventInit } from '../../src/model/event-text.js';
import type { HealthEvent } from '../../src/model/event.js';

/** A health event of the `api` service's `latency` rule, firing at `warning` unless told otherwise. */
export function latencyEvent(overrides: Partial<HealthEventInit> = {}): HealthEvent {
  const time = overrides.time ?? 1_000;
  return healthEvent({
    fingerprint: 'api-latency',
    service: 'api',
    rule: 'latency',
    level: 'warning',
    previousLevel: 'info',
    value: 0.3,
    threshold: 0.2,
    window: 60_000,
    startsAt: time,
    state: 'firing',
    labels: { team: 'payments' },
    time,
    ...overrides,
  });
}

/** The event of the same series resolving, from `previousLevel`. */
export function resolvedEvent(previousLevel: HealthEvent['level'], overrides: Partial<HealthEventInit> = {}): HealthEvent {
  return latencyEvent({ level: 'info', previousLevel, state: 'resolved', value: 0.1, ...overrides });
}
