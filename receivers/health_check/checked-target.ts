import type { MetricPoint } from '../../src/model/point.js';
import { EVENT_TEXT_LIMITS, eventText } from '../../src/model/event-text.js';
import { SecretMatcher } from '../../src/config/secrets.js';
import type { Check, CheckResult } from './check-result.js';
import { StateDebounce, type DebounceThresholds } from './debounce.js';
import { targetResource } from './resource.js';
import { targetSecrets } from './secrets.js';
import { TargetSeries } from './target-series.js';
import type { HealthTarget } from './targets.js';

/** Makes the check of a target; the seam through which tests see which check a target gets. */
export type CheckFactory = (target: HealthTarget, secrets: readonly string[], now: () => number) => Check;

/**
 * Everything the receiver keeps for one target while it is in the set: its check (made
 * once, so an HTTP check keeps its connections), its secrets matcher, series and debounce
 * state. Dropped, and its check closed, when the target leaves or the receiver stops.
 */
export class CheckedTarget {
  readonly check: Check;
  private readonly secrets: SecretMatcher;
  private series: TargetSeries;
  private labels: Readonly<Record<string, string>>;
  private readonly debounce: StateDebounce;
  /** The last message as the check said it and as it travels: plugins repeat theirs, so it is cleaned once. */
  private lastRaw: string | undefined;
  private lastClean: string | undefined;
  /** Staleness markers of the series a relabelling left behind, sent with the next points. */
  private departed: MetricPoint[] = [];

  constructor(
    target: HealthTarget,
    createCheck: CheckFactory,
    thresholds: DebounceThresholds,
    private readonly now: () => number,
  ) {
    const secrets = targetSecrets(target.spec);
    this.secrets = new SecretMatcher(secrets);
    this.labels = target.labels;
    this.series = this.seriesOf(target);
    this.debounce = new StateDebounce(thresholds);
    this.check = createCheck(target, secrets, now);
  }

  /**
   * The same target again, perhaps with other labels (a discovered instance relabelled):
   * new labels make a new resource and series; the check and the debounce state stay. The
   * old series will have no more points: their staleness markers go out with the next check's.
   */
  follow(target: HealthTarget): void {
    if (target.labels === this.labels || sameLabels(target.labels, this.labels)) return;
    this.labels = target.labels;
    this.series.appendStaleMarkers(this.now(), this.departed);
    this.series = this.seriesOf(target);
  }

  /** The points of one result, appended to `out`; moves the debounced state on. Returns how many. */
  record(result: CheckResult, time: number, out: MetricPoint[]): number {
    const hard = this.debounce.next(result.state);
    const before = out.length;
    this.takeDeparted(out);
    this.series.append(result, hard, this.clean(result.message), time, out);
    return out.length - before;
  }

  close(): void {
    this.check.close();
  }

  /** The target left: its check closed and a staleness marker for each series it produced. */
  leave(time: number): MetricPoint[] {
    this.close();
    const out: MetricPoint[] = [];
    this.takeDeparted(out);
    this.series.appendStaleMarkers(time, out);
    return out;
  }

  private takeDeparted(out: MetricPoint[]): void {
    if (this.departed.length === 0) return;
    out.push(...this.departed);
    this.departed = [];
  }

  private seriesOf(target: HealthTarget): TargetSeries {
    return new TargetSeries(targetResource(target, (text) => this.secrets.redact(text)));
  }

  private clean(message: string | undefined): string | undefined {
    if (message === undefined) return undefined;
    if (message !== this.lastRaw) {
      this.lastRaw = message;
      const clean = eventText(message, EVENT_TEXT_LIMITS.message, this.secrets);
      this.lastClean = clean === '' ? undefined : clean;
    }
    return this.lastClean;
  }
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}
