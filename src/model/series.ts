/** Attribute values follow OpenTelemetry: strings, numbers and booleans only. */
export type AttributeValue = string | number | boolean;
export type Attributes = Readonly<Record<string, AttributeValue>>;

export type MetricKind = 'gauge' | 'sum' | 'histogram';

let nextId = 1;

function canonical(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  let out = '';
  for (const key of keys) out += `${key}=${String(attributes[key])};`;
  return out;
}

/** `name{k=v;…}`: a series' identity within its resource. */
function seriesKey(name: string, attributes: Attributes): string {
  return `${name}{${canonical(attributes)}}`;
}

/**
 * The resource a point belongs to: the monitored service instance (OpenTelemetry's
 * resource). Created once per target and shared by all of its series.
 */
export class Resource {
  readonly id = nextId++;
  readonly key: string;

  constructor(readonly attributes: Attributes) {
    this.key = canonical(attributes);
  }

  get serviceName(): string {
    return String(this.attributes['service.name'] ?? 'unknown_service');
  }
}

export interface SeriesDescriptor {
  readonly name: string;
  readonly unit: string;
  readonly kind: MetricKind;
  /** For sums: the counter only grows (OTLP `isMonotonic`). */
  readonly monotonic?: boolean;
  readonly description?: string;
}

/**
 * A series: metric name + attributes + resource. Its identity is computed once, when the
 * series is created, and every point of it carries the same object, so processors key their
 * state by `series.id` without hashing per point.
 */
export class Series implements SeriesDescriptor {
  readonly id = nextId++;
  private cachedKey: string | undefined;
  /** Series made from this one by `with`, few per series: a list is smaller than a map. */
  private derived: Series[] | undefined;
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

  /** The series' identity as text, built on first use: most series are only ever keyed by `id`. */
  get key(): string {
    this.cachedKey ??= `${seriesKey(this.name, this.attributes)}@${this.resource.key}`;
    return this.cachedKey;
  }

  /**
   * The series with one more attribute (e.g. `aggregate=mean`), memoised on this series so
   * a processor derives it once, not per point. Bounded by the distinct values asked for.
   */
  with(key: string, value: AttributeValue, kind: MetricKind = this.kind): Series {
    this.derived ??= [];
    for (const series of this.derived) {
      if (series.derivedBy === key && series.attributes[key] === value && series.kind === kind) return series;
    }
    // Object.assign keeps a fast-mode object (≈ 64 B); a spread with a computed key makes a
    // dictionary (≈ 250 B), and a window holds one derived series per aggregate and series.
    const attributes: Attributes = Object.assign({}, this.attributes, { [key]: value });
    const series = new Series(descriptorOfKind(this.descriptor, kind), attributes, this.resource);
    series.derivedBy = key;
    this.derived.push(series);
    return series;
  }
}

const descriptorsByKind = new WeakMap<Required<SeriesDescriptor>, Map<MetricKind, Required<SeriesDescriptor>>>();

/** The same metric as another kind (a window's gauge of a counter), made once per descriptor and kind. */
function descriptorOfKind(descriptor: Required<SeriesDescriptor>, kind: MetricKind): Required<SeriesDescriptor> {
  if (descriptor.kind === kind) return descriptor;
  let byKind = descriptorsByKind.get(descriptor);
  if (byKind === undefined) {
    byKind = new Map();
    descriptorsByKind.set(descriptor, byKind);
  }
  let other = byKind.get(kind);
  if (other === undefined) {
    other = { ...descriptor, kind };
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
