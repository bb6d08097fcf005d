import { canonicalAttributes } from '../../src/index.js';
import type { Resource, Series } from '../../src/index.js';
import type { RollupCell } from './rollup-cell.js';

/**
 * The service a point is kept under: its resource's `service.name`; a resource without one
 * is kept under its identity (its identifying attributes as canonical JSON), so two such
 * instances stay apart; a resource without attributes is `unknown_service`, as OpenTelemetry names it.
 */
export function serviceOf(resource: Resource): string {
  const name = resource.attributes['service.name'];
  if (name !== undefined) return String(name);
  return resource.identity === '{}' ? 'unknown_service' : resource.identity;
}

/** A series as the history identifies it: service, metric, unit, point attributes. */
export interface HistorySeriesIdentity {
  readonly service: string;
  readonly metric: string;
  readonly unit: string;
  /** Canonical JSON of the point's attributes. */
  readonly attributes: string;
}

export function identityOf(series: Series): HistorySeriesIdentity {
  return {
    service: serviceOf(series.resource),
    metric: series.name,
    unit: series.unit,
    attributes: canonicalAttributes(series.attributes),
  };
}

/** The key of a history series in memory, from its identity's four parts. */
export function historyKey(identity: HistorySeriesIdentity): string {
  return JSON.stringify([identity.service, identity.metric, identity.unit, identity.attributes]);
}

/** What the writer holds per series between writes: its row id, newest time, open rollups. */
export class SeriesState {
  /** The points of the write being made, oldest first once sorted. */
  times: number[] = [];
  values: number[] = [];
  /** The write that last took points of this series. */
  mark = -1;
  minute: RollupCell | undefined;
  hour: RollupCell | undefined;
  /** The minute at whose write the hour cell was last written out. */
  hourWrittenAt = Number.NaN;
  /** Forgotten by the writer (bounded memory, or the series' rows removed): resolve again. */
  evicted = false;

  constructor(
    readonly key: string,
    readonly id: number,
    public lastTime: number,
  ) {}
}
