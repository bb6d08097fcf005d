import type { SchedulerLike } from 'rxjs';
import { MAX_ANSWER_STEPS, attributeFilter, type HistoryReader } from '../../src/index.js';
import { Refusal, quoted, sendJson } from './answer.js';
import { QueryParameters } from './query.js';
import { alertRecord, rangeRecord, serviceRecord } from './records.js';
import type { Handler } from './routes.js';

const HOUR = 3_600_000;
const MAX_RANGE = 400 * 24 * HOUR;
const MAX_ATTRIBUTE_FILTERS = 8;
/**
 * Steps under a minute are read from raw points, every point of every series in the range:
 * on the agent's own connection, for ranges of a few hours only (the status page asks for one).
 */
const RAW_STEP_BELOW = 60_000;
const MAX_RAW_RANGE = 6 * HOUR;
/** Series one answer holds at most; the rest are left out and the answer says `truncated`. */
const MAX_SERIES = 100;

export function servicesApi(history: HistoryReader): Handler {
  return ({ response, url }) => {
    new QueryParameters(url.searchParams, []);
    sendJson(response, 200, { available: history.available(), services: history.services().map(serviceRecord) });
  };
}

/** `/api/history?service=&metric=&since=1h&step=1m&agg=avg[&attribute=key=value…]`. */
export function historyApi(history: HistoryReader, scheduler: SchedulerLike): Handler {
  return ({ response, url }) => {
    const query = new QueryParameters(url.searchParams, ['service', 'metric', 'since', 'step', 'agg', 'attribute'], ['attribute']);
    const service = query.required('service');
    const metric = query.required('metric');
    const since = query.duration('since', HOUR, { min: 1000, max: MAX_RANGE });
    const step = query.duration('step', Math.max(1000, Math.round(since / 60)), { min: 1000, max: MAX_RANGE });
    if (since / step > MAX_ANSWER_STEPS) throw new Refusal(400, `since/step asks for more than ${MAX_ANSWER_STEPS} steps: use a larger step`);
    if (step < RAW_STEP_BELOW && since > MAX_RAW_RANGE) {
      throw new Refusal(400, 'steps under 1m read every raw point: ask for at most 6h with them, or a step of 1m or more');
    }
    const aggregate = query.aggregate('agg', 'avg');
    const attributes = attributeFilters(query.all('attribute'));
    const until = scheduler.now();
    const series = history.range({ service, metric, since: until - since, until, step, aggregate, ...(attributes === undefined ? {} : { attributes }) });
    sendJson(response, 200, {
      service,
      metric,
      aggregate,
      step_ms: step,
      since: new Date(until - since).toISOString(),
      until: new Date(until).toISOString(),
      series: series.slice(0, MAX_SERIES).map(rangeRecord),
      ...(series.length > MAX_SERIES ? { truncated: true, series_total: series.length } : {}),
    });
  };
}

function attributeFilters(written: string[]): Record<string, string> | undefined {
  if (written.length === 0) return undefined;
  if (written.length > MAX_ATTRIBUTE_FILTERS) throw new Refusal(400, `at most ${MAX_ATTRIBUTE_FILTERS} attribute filters`);
  const filters: Record<string, string> = {};
  for (const text of written) {
    const filter = attributeFilter(text);
    if (filter === undefined) throw new Refusal(400, `parameter attribute: expected key=value, got ${quoted(text)}`);
    filters[filter[0]] = filter[1];
  }
  return filters;
}

/** `/api/alerts?firing=true&service=&limit=100&since=24h`. */
export function alertsApi(history: HistoryReader, scheduler: SchedulerLike): Handler {
  return ({ response, url }) => {
    const query = new QueryParameters(url.searchParams, ['firing', 'service', 'limit', 'since']);
    const firing = query.boolean('firing');
    const service = query.text('service');
    const limit = query.integer('limit', 100, { min: 1, max: 1000 });
    const since = query.text('since') === undefined ? undefined : scheduler.now() - query.duration('since', 0, { min: 1000, max: MAX_RANGE });
    const alerts = history.alerts({
      ...(firing === undefined ? {} : { firing }),
      ...(service === undefined ? {} : { service }),
      ...(limit === undefined ? {} : { limit }),
      ...(since === undefined ? {} : { since }),
    });
    sendJson(response, 200, { alerts: alerts.map(alertRecord) });
  };
}
