import { Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { ProcessTarget } from './targets.js';

/**
 * A new target set is scraped at once rather than at the next interval (a service that
 * registers is watched within a second), but such extra scrapes come at most this often, so
 * a registry that flaps cannot make the receiver scrape in a loop.
 */
export const CHANGE_SCRAPE_GAP_MS = 1_000;

/** One scheduled scrape of the whole set: the regular one, or the extra one of a changed set. */
export interface ScrapeRound {
  readonly key: string;
  readonly targets: readonly ProcessTarget[];
  /** Counts the changes of the set's keys: an extra round is not needed once a scrape of its version has started. */
  readonly version: number;
  readonly extra: boolean;
}

function keysOf(targets: readonly ProcessTarget[]): string {
  return targets.map((target) => target.key).join('\n');
}

/**
 * Target sets in, scheduled rounds out: always the regular round (key `scrape`, which keeps
 * its phase), plus, after the set's keys change, an extra round under a new key, which the
 * scheduler starts at once. The first extra of a burst of changes comes at once, the next
 * ones at most every `gap` with the newest set (leading and trailing, like throttleTime).
 * With an interval no longer than `gap` there is no extra round: the next regular scrape is as close.
 */
export function scrapeRounds(interval: number, scheduler: SchedulerLike, gap = CHANGE_SCRAPE_GAP_MS): OperatorFunction<readonly ProcessTarget[], ScrapeRound[]> {
  return (targets$) =>
    new Observable<ScrapeRound[]>((subscriber) => {
      let latest: readonly ProcessTarget[] = [];
      let keys: string | undefined;
      let version = 0;
      let extra: { readonly key: string; readonly version: number } | undefined;
      let extras = 0;
      let lastExtraAt = -Infinity;
      let pending: Subscription | undefined;
      let sourceDone = false;

      const emit = () => {
        const rounds: ScrapeRound[] = [{ key: 'scrape', targets: latest, version, extra: false }];
        if (extra !== undefined) rounds.push({ key: extra.key, targets: latest, version: extra.version, extra: true });
        subscriber.next(rounds);
      };
      const addExtra = () => {
        pending = undefined;
        lastExtraAt = scheduler.now();
        extra = { key: `changed ${++extras}`, version };
      };

      const source = targets$.subscribe({
        next: (targets) => {
          latest = targets;
          const next = keysOf(targets);
          const changed = keys !== undefined && next !== keys;
          keys = next;
          if (changed) version++;
          if (changed && interval > gap && pending === undefined) {
            const wait = lastExtraAt + gap - scheduler.now();
            if (wait <= 0) addExtra();
            else
              pending = scheduler.schedule(() => {
                addExtra();
                emit();
                // A source that ended with a change still due completes once it is out.
                if (sourceDone) subscriber.complete();
              }, wait);
          }
          emit();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          if (pending === undefined) subscriber.complete();
        },
      });
      return () => {
        source.unsubscribe();
        pending?.unsubscribe();
      };
    });
}
