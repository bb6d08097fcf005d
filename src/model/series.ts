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
  readonly name: string;
  readonly unit: string;
  readonly kind: MetricKind;
  readonly monotonic: boolean;
  readonly description: string;
  private derived: Map<string, Series> | undefined;
  private cachedKey: string | undefined;

  constructor(
    descriptor: SeriesDescriptor,
    readonly attributes: Attributes,
    readonly resource: Resource,
  ) {
    this.name = descriptor.name;
    this.unit = descriptor.unit;
    this.kind = descriptor.kind;
    this.monotonic = descriptor.monotonic ?? false;
    this.description = descriptor.description ?? '';
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
    const memo = `${key}\u0000${String(value)}\u0000${kind}`;
    this.derived ??= new Map();
    let series = this.derived.get(memo);
    if (series === undefined) {
      series = new Series(
        { name: this.name, unit: this.unit, kind, monotonic: this.monotonic, description: this.description },
        { ...this.attributes, [key]: value },
        this.resource,
      );
      this.derived.set(memo, series);
    }
    return series;
  }
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
      series = new Series(descriptor, attributes, this.resource);
      this.byKey.set(key, series);
    }
    return series;
  }

  get size(): number {
    return this.byKey.size;
  }
}
