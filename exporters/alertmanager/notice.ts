import { rfc3339 } from '../../src/index.js';
import type { AlertmanagerAlert, AppendLog } from '../../src/index.js';

/** What the outbox holds: one alert to fire or resolve, as plain JSON. */
export interface Notice {
  /** The event's fingerprint: the outbox keeps order per fingerprint. */
  readonly fingerprint: string;
  readonly alert: AlertmanagerAlert;
  /**
   * Set on a resolve: when the alert ended. A firing alert's `endsAt` is set as it is sent,
   * so one delivered after Alertmanager was down for a while still lands active.
   */
  readonly endsAt?: number;
  /** A re-send by the timer, not an event's: at most one per fingerprint waits in the outbox. */
  readonly resend?: true;
}

/** Alertmanager's postableAlert. */
export interface PostableAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
}

/** The notice as Alertmanager takes it at `now`: firing until `ahead` ms from now, or resolved when it ended. */
export function postable(notice: Notice, now: number, ahead: number): PostableAlert {
  const { labels, annotations, startsAt } = notice.alert;
  // Alertmanager refuses an endsAt before startsAt (the whole POST, with a 400).
  const endsAt = Math.max(notice.endsAt ?? now + ahead, startsAt);
  return { labels, annotations, startsAt: rfc3339(startsAt), endsAt: rfc3339(endsAt) };
}

/** Records read per query when looking through the outbox at start. */
const PAGE = 1_000;

/** The fingerprints whose re-send already waits in the outbox (from before a restart). */
export function queuedResends(log: AppendLog): Set<string> {
  const found = new Set<string>();
  for (let after = 0; ; ) {
    const records = log.read<Notice>(after, PAGE);
    for (const record of records) if (record.value.resend === true) found.add(record.value.fingerprint);
    if (records.length < PAGE) return found;
    after = records[records.length - 1]!.seq;
  }
}
