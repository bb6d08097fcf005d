import type { AlertQuery, AlertRecord, HistoryReader, LatestValue, RangeQuery, RangeSeries, ServiceOverview } from '../../../src/index.js';

/**
 * A reader whose answers a test sets, and which keeps the queries it was asked: for the API's
 * own behaviour (routing, parameters, refusals, framing). What the store answers is tested
 * with the real `history` exporter in the end-to-end tests.
 */
export class ScriptedHistory implements HistoryReader {
  servicesList: ServiceOverview[] = [];
  alertList: AlertRecord[] = [];
  latestValues: LatestValue[] = [];
  rangeAnswer: RangeSeries[] = [];
  readonly rangeQueries: RangeQuery[] = [];
  readonly alertQueries: AlertQuery[] = [];
  reads = 0;
  isAvailable = true;

  available(): boolean {
    return this.isAvailable;
  }

  services(): ServiceOverview[] {
    this.reads += 1;
    return this.servicesList;
  }

  latest(service: string): LatestValue[] {
    return this.latestValues.filter((value) => value.service === service);
  }

  range(query: RangeQuery): RangeSeries[] {
    this.rangeQueries.push(query);
    return this.rangeAnswer.filter((series) => series.service === query.service && series.metric === query.metric);
  }

  alerts(query: AlertQuery = {}): AlertRecord[] {
    this.alertQueries.push(query);
    return this.alertList.filter(
      (alert) => (query.service === undefined || alert.service === query.service) && (query.firing !== true || alert.state === 'firing'),
    );
  }
}

export function firingAlert(service: string, level: AlertRecord['level'], time: number, rule = 'response_time'): AlertRecord {
  return {
    fingerprint: `${service}-${rule}`,
    service,
    rule,
    level,
    previousLevel: 'info',
    state: 'firing',
    value: 2.5,
    threshold: 1,
    thresholdText: '> 1',
    message: `${rule} of ${service} is ${level}`,
    startsAt: time,
    labels: { team: 'payments' },
    time,
  };
}
