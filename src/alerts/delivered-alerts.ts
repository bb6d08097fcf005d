import type { KeyValueStore } from '../component/storage.js';
import type { HealthEvent, Level } from '../model/event.js';
import { alertAnnotations, alertLabels, type AlertmanagerAlert } from './alertmanager-alert.js';

/** An alert a sink delivered as firing and has not resolved: what it re-sends, and what a level change resolves. */
export interface DeliveredAlert extends AlertmanagerAlert {
  readonly severity: Level;
  /** When an event last spoke of it (ms): what expiry is measured from. */
  readonly renewedAt: number;
}

/** What one event asks of a sink: resolve an alert, fire one, or both (a level change). */
export interface AlertChange {
  /** The alert to resolve, with its labels as they were delivered; `endsAt` is when it ended. */
  readonly resolve?: AlertmanagerAlert & { readonly endsAt: number };
  readonly fire?: AlertmanagerAlert;
}

/**
 * Per fingerprint, the alert a sink last delivered as firing (its severity, labels and
 * start), kept in the sink's store so that it survives a restart. Towards Alertmanager
 * `severity` is a label, so a level change is two alerts: the one carrying the old
 * severity resolved, the new one fired. Writes join the caller's transaction, so with the
 * sink's outbox they commit together with whatever decided to notify.
 */
export class DeliveredAlerts {
  constructor(private readonly store: KeyValueStore) {}

  /** Records what `event` changes and says what to send. `now` is when a resolve takes effect. */
  apply(event: HealthEvent, now: number): AlertChange {
    const current = this.store.get<DeliveredAlert>(event.fingerprint);
    if (event.state === 'resolved') {
      this.store.delete(event.fingerprint);
      // Not known (never delivered here, or forgotten): resolve the level the event left.
      const severity = current?.severity ?? event.previousLevel;
      const labels = current?.labels ?? alertLabels(event, severity);
      return { resolve: { labels, annotations: alertAnnotations(event), startsAt: current?.startsAt ?? event.startsAt, endsAt: now } };
    }
    const sameAlert = current !== undefined && current.severity === event.level;
    const fire: DeliveredAlert = {
      labels: alertLabels(event, event.level),
      annotations: alertAnnotations(event),
      startsAt: sameAlert ? current.startsAt : event.startsAt,
      severity: event.level,
      renewedAt: now,
    };
    this.store.set(event.fingerprint, fire);
    const alert = alertOf(fire);
    if (current === undefined || sameAlert) return { fire: alert };
    return { resolve: { labels: current.labels, annotations: current.annotations, startsAt: current.startsAt, endsAt: now }, fire: alert };
  }

  /** Every alert delivered as firing and not resolved, by fingerprint. */
  active(): Array<[string, DeliveredAlert]> {
    return this.store.entries<DeliveredAlert>();
  }

  /**
   * Forgets alerts no event has renewed for `maxAge` ms, then the least recently renewed
   * beyond `maxCount`; returns the fingerprints forgotten. The bound on state left by a
   * series that went away without a resolve.
   */
  prune(now: number, maxAge: number, maxCount: number): string[] {
    const entries = this.active().sort(([, a], [, b]) => a.renewedAt - b.renewedAt);
    const forgotten: string[] = [];
    for (const [index, [fingerprint, alert]] of entries.entries()) {
      if (now - alert.renewedAt < maxAge && entries.length - index <= maxCount) break;
      this.store.delete(fingerprint);
      forgotten.push(fingerprint);
    }
    return forgotten;
  }
}

/** The alert part of a delivered one: what is sent. */
export function alertOf(delivered: DeliveredAlert): AlertmanagerAlert {
  return { labels: delivered.labels, annotations: delivered.annotations, startsAt: delivered.startsAt };
}
