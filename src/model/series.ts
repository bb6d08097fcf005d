import { canonicalAttributes, canonicalValue, type AttributeValue, type Attributes } from './attributes.js';
import { Resource } from './resource.js';

export type { AttributeValue, Attributes } from './attributes.js';
export { Resource, type ResourceOptions } from './resource.js';

export type MetricKind = 'gauge' | 'sum' | 'histogram';

/** `"name"{"k":v,…}`: a series' identity within its resource. */
function seriesKey(name: string, attributes: Attributes): string {
  return `${JSON.stringify(name)}${canonicalAttributes(attributes)}`;
}

/** Past this many series derived from one, `with` looks them up in a map instead of a list. */
const DERIVED_LIST_LIMIT = 8;

export interface SeriesDescriptor {
  readonly name: string;
  readonly unit: string;
  readonly kind: MetricKind;
  /** For sums: the counter only grows (OTLP `isMonotonic`). */
  readonly monotonic?: boolean;
  readonly description?: string;
}

/**
 * A series: metric name + attributes + resource. Its identity is its content — `key`, built
 * once per series — never the object: a receiver restarted by its hub, a reload or a new
 * process of the same single-process target makes new Series objects with the same key.
 * Every point of a series carries the same object, so a processor compares objects on its
 * hot path and keys its state by `key` (see `processors/window/window-state.ts`).
 */
export class Series implements SeriesDescriptor {
  private cachedKey: string | undefined;
  /**
   * Series made from this one by `with`: usually a few (a window's aggregates), kept in a
   * list, which is smaller than a map; a map past `DERIVED_LIST_LIMIT`, so deriving many
   * values from one series is not quadratic.
   */
  private derived: Series[] | Map<string, Series> | undefined;
  /** The attribute `with` added to make this series from its parent. */
  private derivedBy: string | undefined;

  constructor(
    /** Name, unit, kind: shared by every series of the metric instead of copied into each. */
    readonly descriptor: Required<SeriesDescriptor>,
    readonly attributes: Attributes,
    readonly resource: Resource,
  ) {}

  get name(): string {
    return this.descriptor.name;
  }
  get unit(): string {
    return this.descriptor.unit;
  }
  get kind(): MetricKind {
    return this.descriptor.kind;
  }
  get monotonic(): boolean {
    return this.descriptor.monotonic;
  }
  get description(): string {
    return this.descriptor.description;
  }

  /**
   * The series' identity as text: name + attributes + the resource's identifying attributes
   * (`resource.identity`), escaped so that different content never gives the same key.
   * Volatile resource attributes (a single-process target's PID) are not part of it, so the
   * key survives restarts. Built on first use and kept.
   *
   * The contract for keyed state (windows, thresholds, cooldowns): key by `series.key`; an
   * alert fingerprint takes `series.attributes` and `series.resource.identifyingAttributes`.
   */
  get key(): string {
    this.cachedKey ??= `${seriesKey(this.name, this.attributes)}@${this.resource.identity}`;
    return this.cachedKey;
  }

  /**
   * The key too; once a number from a counter, which changed on every restart.
   * @deprecated Use `key`.
   */
  get id(): string {
    return this.key;
  }

  /**
   * The series with one more attribute (e.g. `aggregate=mean`), memoised on this series so
   * a processor derives it once, not per point. Bounded by the distinct values asked for.
   */
  with(key: string, value: AttributeValue, kind: MetricKind = this.kind): Series {
    const derived = this.derived;
    if (derived instanceof Map) {
      const name = derivationName(key, value, kind);
      return derived.get(name) ?? this.derive(key, value, kind, (series) => derived.set(name, series));
    }
    if (derived !== undefined) {
      for (const series of derived) {
        if (series.derivedBy === key && series.attributes[key] === value && series.kind === kind) return series;
      }
    }
    return this.derive(key, value, kind, (series) => this.remember(series));
  }

  private derive(key: string, value: AttributeValue, kind: MetricKind, keep: (series: Series) => void): Series {
    // Object.assign keeps a fast-mode object (≈ 64 B); a spread with a computed key makes a
    // dictionary (≈ 250 B), and a window holds one derived series per aggregate and series.
    const attributes: Attributes = Object.assign({}, this.attributes, { [key]: value });
    const series = new Series(descriptorOfKind(this.descriptor, kind), attributes, this.resource);
    series.derivedBy = key;
    keep(series);
    return series;
  }

  private remember(series: Series): void {
    const list = (this.derived ?? []) as Series[];
    if (list.length < DERIVED_LIST_LIMIT) {
      // A copy of exact size, not a push: V8 grows a pushed array to 17 slots for its first
      // entry, ≈ 100 B more per series than the five aggregates of a window need.
      this.derived = [...list, series];
      return;
    }
    const map = new Map<string, Series>();
    for (const kept of [...list, series]) {
      const by = kept.derivedBy!;
      map.set(derivationName(by, kept.attributes[by]!, kept.kind), kept);
    }
    this.derived = map;
  }
}

/** What `with` was asked for as one string: the kind, the quoted attribute name, the value. */
function derivationName(key: string, value: AttributeValue, kind: MetricKind): string {
  return `${kind}${JSON.stringify(key)}${canonicalValue(value)}`;
}

const descriptorsByKind = new WeakMap<Required<SeriesDescriptor>, Map<MetricKind, Required<SeriesDescriptor>>>();

/** The same metric as another kind (a window's gauge of a counter, not monotonic), made once per descriptor and kind. */
function descriptorOfKind(descriptor: Required<SeriesDescriptor>, kind: MetricKind): Required<SeriesDescriptor> {
  if (descriptor.kind === kind) return descriptor;
  let byKind = descriptorsByKind.get(descriptor);
  if (byKind === undefined) {
    byKind = new Map();
    descriptorsByKind.set(descriptor, byKind);
  }
  let other = byKind.get(kind);
  if (other === undefined) {
    // Only a sum can be monotonic (OTLP's isMonotonic): a window's gauge of a counter is not.
    other = { ...descriptor, kind, monotonic: kind === 'sum' && descriptor.monotonic };
    byKind.set(kind, other);
  }
  return other;
}

const completedDescriptors = new WeakMap<SeriesDescriptor, Required<SeriesDescriptor>>();

/**
 * The descriptor with its optional fields filled, made once per descriptor object, so every
 * series of a metric (receivers keep their descriptors as constants) shares one.
 */
function completeDescriptor(descriptor: SeriesDescriptor): Required<SeriesDescriptor> {
  let complete = completedDescriptors.get(descriptor);
  if (complete === undefined) {
    complete = {
      name: descriptor.name,
      unit: descriptor.unit,
      kind: descriptor.kind,
      monotonic: descriptor.monotonic ?? false,
      description: descriptor.description ?? '',
    };
    completedDescriptors.set(descriptor, complete);
  }
  return complete;
}

/**
 * A family of series that a receiver keeps for one target: asking twice for the same
 * descriptor and attributes returns the same Series. Dropped with the target.
 */
export class SeriesSet {
  private readonly byKey = new Map<string, Series>();

  constructor(readonly resource: Resource) {}

  get(descriptor: SeriesDescriptor, attributes: Attributes = {}): Series {
    const key = seriesKey(descriptor.name, attributes);
    let series = this.byKey.get(key);
    if (series === undefined) {
      series = new Series(completeDescriptor(descriptor), attributes, this.resource);
      this.byKey.set(key, series);
    }
    return series;
  }

  get size(): number {
    return this.byKey.size;
  }
}
