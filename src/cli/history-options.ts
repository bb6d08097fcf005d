import { formatDuration, parseDuration } from '../config/units.js';
import { closestMatch, unknownName } from '../config/suggest.js';
import { HISTORY_AGGREGATES, type HistoryAggregate, type HistoryReader, type RangeQuery } from '../history/reader.js';
import { MAX_ANSWER_STEPS, attributeFilter } from '../history/query-words.js';

/** What `healthpipe history` takes besides the configuration, as written on the command line. */
export interface HistoryOptions {
  readonly since: string;
  readonly step: string;
  readonly agg: string;
  /** `key=value`, repeatable: only series whose attributes hold these values. */
  readonly attribute?: readonly string[];
}

export const HISTORY_DEFAULTS = { since: '1h', step: '1m', agg: 'p95' } as const;


/** A mistake on the command line: printed as it is, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function durationOption(option: string, written: string): number {
  const ms = parseDuration(written);
  if (ms === undefined || ms <= 0) {
    throw new UsageError(`${option} "${written}" is not a duration: write digits and a unit, such as 90s, 15m, 1h or 7d (units: ms, s, m, h, d)`);
  }
  return ms;
}

function aggregateOption(written: string): HistoryAggregate {
  const known: readonly string[] = HISTORY_AGGREGATES;
  if (known.includes(written)) return written as HistoryAggregate;
  throw new UsageError(unknownName(`--agg "${written}" is not an aggregate`, written, HISTORY_AGGREGATES, { label: 'valid aggregates' }));
}

function attributeOptions(written: readonly string[]): Record<string, string> | undefined {
  if (written.length === 0) return undefined;
  const attributes: Record<string, string> = {};
  for (const pair of written) {
    const filter = attributeFilter(pair);
    if (filter === undefined) throw new UsageError(`--attribute "${pair}" must be key=value, such as network.connection.state=established`);
    attributes[filter[0]] = filter[1];
  }
  return attributes;
}

/** The query the options ask for, its last step holding `now`; a UsageError says what is wrong and what would do. */
export function historyQuery(service: string, metric: string, options: HistoryOptions, now: number): RangeQuery {
  const since = durationOption('--since', options.since);
  const step = durationOption('--step', options.step);
  const steps = Math.ceil(since / step);
  if (steps > MAX_ANSWER_STEPS) {
    const smallest = formatDuration(Math.ceil(since / MAX_ANSWER_STEPS / 1000) * 1000);
    throw new UsageError(
      `--since ${options.since} at --step ${options.step} is ${steps} steps, more than ${MAX_ANSWER_STEPS}: take a --step of at least ${smallest}, or a shorter --since`,
    );
  }
  const aggregate = aggregateOption(options.agg);
  const attributes = attributeOptions(options.attribute ?? []);
  // Steps on the step's own grid, the last one holding now: times read as 12:05:00, not
  // 12:04:37.412, and a step of a minute or an hour is exactly one rollup of the store.
  const until = Math.ceil((now + 1) / step) * step;
  const query = { service, metric, since: until - steps * step, until, step, aggregate };
  return attributes === undefined ? query : { ...query, attributes };
}

/** Past this many known names, the message lists the first ones and says how many more there are. */
const LISTED_NAMES = 40;

/**
 * What a mistyped name most likely meant: the one known name it begins (`healthcheck.dur` →
 * `healthcheck.duration`, which an edit distance would not find), else the closest.
 */
function likelyMeant(name: string, known: readonly string[]): string | undefined {
  const extended = known.filter((candidate) => candidate.startsWith(name));
  return extended.length === 1 ? extended[0] : closestMatch(name, known);
}

/** `no service "apx" in the store; did you mean "api"? Services in the store: api, db, …`, the list bounded. */
function unknownIn(problem: string, name: string, known: readonly string[], label: string, empty: string): string {
  if (known.length === 0) return `${problem}; ${empty}`;
  const suggestion = likelyMeant(name, known);
  const more = known.length > LISTED_NAMES ? [`… (${known.length - LISTED_NAMES} more)`] : [];
  const list = `${label}: ${[...known.slice(0, LISTED_NAMES), ...more].join(', ')}`;
  if (suggestion === undefined) return `${problem}; ${list}`;
  return `${problem}; did you mean "${suggestion}"? ${list.charAt(0).toUpperCase()}${list.slice(1)}`;
}

/**
 * Refuses a service or metric the store has never seen, suggesting the nearest known name and
 * listing the known ones: a typo must not read as "no data".
 */
export function checkKnown(history: HistoryReader, service: string, metric: string): void {
  const services = history.services().map((overview) => overview.service);
  if (!services.includes(service)) {
    throw new UsageError(unknownIn(`no service "${service}" in the store`, service, services, 'services in the store', 'the store holds no service yet'));
  }
  const metrics = [...new Set(history.latest(service).map((value) => value.metric))].sort();
  if (!metrics.includes(metric)) {
    throw new UsageError(unknownIn(`service "${service}" has no metric "${metric}"`, metric, metrics, `metrics of ${service}`, 'it has no points'));
  }
}
