import { staleMarker, type MetricPoint } from '../../src/index.js';
import { SeriesSet, type Resource, type Series } from '../../src/model/series.js';
import { CHECK_STATES, type CheckErrorType, type CheckResult, type CheckState, type HttpPhase, type Perfdata } from './check-result.js';
import { HEALTH_CHECK_METRICS as M, perfdataDescriptor } from './metrics.js';

/** Past this many perfdata series a target starts over: a plugin whose labels never repeat must not grow memory. */
export const MAX_PERFDATA_SERIES = 256;

const STATE_CODES: Readonly<Record<CheckState, number>> = Object.fromEntries(CHECK_STATES.map((state, code) => [state, code])) as Record<
  CheckState,
  number
>;

/** Per kind of point, the series made on first use and reused on every check; bounded by the fixed vocabularies, perfdata by its cap. */
export class TargetSeries {
  private readonly set: SeriesSet;
  private readonly up: Series;
  private readonly duration: Series;
  private readonly noError: Series;
  private readonly state: Series;
  private readonly errors = new Map<CheckErrorType, Series>();
  private readonly phases = new Map<HttpPhase, Series>();
  private httpStatus: Series | undefined;
  private certRemaining: Series | undefined;
  private perfdata = new Map<string, Series>();
  /** Its own set, so that starting over drops the series it made. */
  private perfdataSet: SeriesSet;
  /** Whether a check was recorded: up, duration and state have points. */
  private checked = false;
  /** Whether `healthcheck.error` without `error.type` has had a point (the others are made on use). */
  private noErrorUsed = false;

  constructor(readonly resource: Resource) {
    this.set = new SeriesSet(resource);
    this.up = this.set.get(M.up);
    this.duration = this.set.get(M.duration);
    this.noError = this.set.get(M.error);
    this.state = this.set.get(M.state);
    this.perfdataSet = new SeriesSet(resource);
  }

  /** Appends the points of one check to `out`; returns how many. `message` is already clean. */
  append(result: CheckResult, hardState: CheckState, message: string | undefined, time: number, out: MetricPoint[]): number {
    const before = out.length;
    this.checked = true;
    const up = result.state === 'ok' || result.state === 'warning' ? 1 : 0;
    out.push(message === undefined ? { series: this.up, value: up, time } : { series: this.up, value: up, time, message });
    out.push({ series: this.duration, value: result.duration, time });
    out.push(
      result.errorType === undefined
        ? { series: this.noError, value: 0, time }
        : { series: this.errorSeries(result.errorType), value: 1, time },
    );
    if (result.errorType === undefined) this.noErrorUsed = true;
    const code = STATE_CODES[hardState];
    out.push(message === undefined ? { series: this.state, value: code, time } : { series: this.state, value: code, time, message });
    if (result.httpStatus !== undefined) {
      this.httpStatus ??= this.set.get(M.httpStatus);
      out.push({ series: this.httpStatus, value: result.httpStatus, time });
    }
    if (result.phases !== undefined) {
      for (const [phase, seconds] of Object.entries(result.phases) as Array<[HttpPhase, number | undefined]>) {
        if (seconds !== undefined) out.push({ series: this.phaseSeries(phase), value: seconds, time });
      }
    }
    if (result.certRemaining !== undefined) {
      this.certRemaining ??= this.set.get(M.certRemaining);
      out.push({ series: this.certRemaining, value: result.certRemaining, time });
    }
    if (result.perfdata !== undefined) {
      for (const item of result.perfdata) out.push({ series: this.perfdataSeries(item), value: item.value, time });
    }
    return out.length - before;
  }

  /**
   * The target left: one staleness marker for every series it has given a point (perfdata
   * since its last start over), appended to `out`, so what downstream keeps for them is
   * freed instead of going `unknown`. Returns how many.
   */
  appendStaleMarkers(time: number, out: MetricPoint[]): number {
    if (!this.checked) return 0;
    const before = out.length;
    const series = [this.up, this.duration, this.state];
    if (this.noErrorUsed) series.push(this.noError);
    series.push(...this.errors.values(), ...this.phases.values(), ...this.perfdata.values());
    if (this.httpStatus !== undefined) series.push(this.httpStatus);
    if (this.certRemaining !== undefined) series.push(this.certRemaining);
    for (const each of series) out.push(staleMarker(each, time));
    return out.length - before;
  }

  private errorSeries(errorType: CheckErrorType): Series {
    let series = this.errors.get(errorType);
    if (series === undefined) {
      series = this.set.get(M.error, { 'error.type': errorType });
      this.errors.set(errorType, series);
    }
    return series;
  }

  private phaseSeries(phase: HttpPhase): Series {
    let series = this.phases.get(phase);
    if (series === undefined) {
      series = this.set.get(M.httpPhase, { phase });
      this.phases.set(phase, series);
    }
    return series;
  }

  private perfdataSeries(item: Perfdata): Series {
    const key = `${item.unit}\u0000${item.label}`;
    let series = this.perfdata.get(key);
    if (series === undefined) {
      if (this.perfdata.size >= MAX_PERFDATA_SERIES) {
        this.perfdata = new Map();
        this.perfdataSet = new SeriesSet(this.resource);
      }
      series = this.perfdataSet.get(perfdataDescriptor(item.unit), { label: item.label });
      this.perfdata.set(key, series);
    }
    return series;
  }
}
