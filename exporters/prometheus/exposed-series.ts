import type { MetricPoint, Series } from '../../src/index.js';
import { escapeHelp, formatLabels, formatValue, labelsOf } from './exposition.js';
import { metricName, type ExposedKind } from './names.js';
import { targetInfoAttributes, targetLabels } from './target.js';

export interface ExposureOptions {
  readonly namespace?: string;
  /** Every resource attribute as a label too. */
  readonly resourceLabels: boolean;
  readonly targetInfo: boolean;
  /** Milliseconds without an update after which a series is no longer served. */
  readonly expiration: number;
  readonly maxSeries: number;
}

/** Why a point was not taken; the exporter counts each as `dropped` with this reason. */
export type Refusal = 'max_series' | 'unsupported_kind' | 'invalid_name';

/** One series as it is served: its sample's text is made when the series is first seen, not per scrape. */
interface Exposed {
  series: Series;
  readonly family: string;
  readonly type: 'counter' | 'gauge';
  readonly help: string;
  /** `name{labels}`, ready to be followed by the value. */
  sample: string;
  /** `{job=…,instance=…}`: which target_info this series belongs to, and that target_info's line. */
  target: string;
  targetInfo: string | undefined;
  value: number;
  updatedAt: number;
}

/**
 * The latest value of every series, as a scrape serves it: bounded by `maxSeries`, each
 * series gone `expiration` after its last update or at once on a staleness marker.
 */
export class ExposedSeries {
  private readonly entries = new Map<string, Exposed>();

  constructor(private readonly options: ExposureOptions) {}

  get size(): number {
    return this.entries.size;
  }

  /** Takes a point at time `now` (the scheduler's); what it could not take comes back as the reason. */
  update(point: MetricPoint, now: number): Refusal | undefined {
    const { series } = point;
    if (point.stale) {
      this.entries.delete(series.key);
      return undefined;
    }
    let entry = this.entries.get(series.key);
    if (entry === undefined) {
      if (series.kind === 'histogram') return 'unsupported_kind';
      if (this.entries.size >= this.options.maxSeries) {
        this.expire(now);
        if (this.entries.size >= this.options.maxSeries) return 'max_series';
      }
      entry = this.expose(series);
      if (entry === undefined) return 'invalid_name';
      this.entries.set(series.key, entry);
    } else if (entry.series !== series) {
      // The same series from a new object (a restarted receiver): its volatile resource attributes may differ.
      this.relabel(entry, series);
    }
    entry.value = point.value;
    entry.updatedAt = now;
    return undefined;
  }

  /** The text a scrape at `now` serves; expired series go first. */
  render(now: number): string {
    this.expire(now);
    const families = new Map<string, Exposed[]>();
    for (const entry of this.entries.values()) {
      const family = families.get(entry.family);
      if (family === undefined) families.set(entry.family, [entry]);
      else family.push(entry);
    }
    const targets = this.options.targetInfo ? this.targetInfos() : [];
    if (targets.length > 0 && !families.has('target_info')) families.set('target_info', []);
    let out = '';
    for (const name of [...families.keys()].sort()) {
      if (name === 'target_info' && targets.length > 0) {
        out += `# HELP target_info Target metadata\n# TYPE target_info gauge\n${targets.join('')}`;
        continue;
      }
      out += renderFamily(name, families.get(name)!);
    }
    return out;
  }

  private expire(now: number): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.updatedAt > this.options.expiration) this.entries.delete(key);
    }
  }

  private expose(series: Series): Exposed | undefined {
    const kind: ExposedKind = series.kind === 'sum' ? (series.monotonic ? 'counter' : 'updown') : 'gauge';
    const family = metricName(series.name, series.unit, kind, this.options.namespace);
    if (family === '') return undefined;
    const entry: Exposed = {
      series,
      family,
      type: kind === 'counter' ? 'counter' : 'gauge',
      help: series.description,
      sample: '',
      target: '',
      targetInfo: undefined,
      value: 0,
      updatedAt: 0,
    };
    this.relabel(entry, series);
    return entry;
  }

  private relabel(entry: Exposed, series: Series): void {
    const { resource } = series;
    const labels = labelsOf(series.attributes);
    if (this.options.resourceLabels) labelsOf(resource.attributes, labels);
    const target = targetLabels(resource);
    // job and instance say which target the series came from: they win over attributes of those names.
    for (const [name, value] of target) labels.set(name, value);
    entry.series = series;
    entry.sample = `${entry.family}${formatLabels(labels)}`;
    entry.target = formatLabels(target);
    const info = labelsOf(targetInfoAttributes(resource));
    if (info.size === 0) {
      entry.targetInfo = undefined;
      return;
    }
    for (const [name, value] of target) info.set(name, value);
    entry.targetInfo = `target_info${formatLabels(info)} 1\n`;
  }

  /** One target_info line per target (job and instance), from its most recently updated series. */
  private targetInfos(): string[] {
    const latest = new Map<string, Exposed>();
    for (const entry of this.entries.values()) {
      if (entry.targetInfo === undefined) continue;
      const seen = latest.get(entry.target);
      if (seen === undefined || seen.updatedAt <= entry.updatedAt) latest.set(entry.target, entry);
    }
    return [...latest.keys()].sort().map((target) => latest.get(target)!.targetInfo!);
  }
}

/**
 * One family: `# HELP` when the metric has a description, `# TYPE`, then its samples sorted.
 * A family holds one type: series of another type that translate to the same name are left
 * out, and of two series with the same labels (they differ only in what is not exposed) the
 * one updated last is served, since Prometheus refuses a scrape with duplicates.
 */
function renderFamily(name: string, entries: readonly Exposed[]): string {
  const type = entries[0]!.type;
  const help = entries.find((entry) => entry.help !== '')?.help;
  const samples = new Map<string, Exposed>();
  for (const entry of entries) {
    if (entry.type !== type) continue;
    const seen = samples.get(entry.sample);
    if (seen === undefined || seen.updatedAt <= entry.updatedAt) samples.set(entry.sample, entry);
  }
  let out = help === undefined ? '' : `# HELP ${name} ${escapeHelp(help)}\n`;
  out += `# TYPE ${name} ${type}\n`;
  for (const sample of [...samples.keys()].sort()) out += `${sample} ${formatValue(samples.get(sample)!.value)}\n`;
  return out;
}
