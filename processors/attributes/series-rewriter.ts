import { Resource, Series, canonicalAttributes, type Attributes } from '../../src/index.js';
import type { AttributesRewrite } from './actions.js';

/**
 * How many rewritten series are interned by content at most. Past it the oldest is forgotten:
 * a series seen again is then rewritten again into a new object of the same content (and
 * key), which downstream state, keyed by `series.key`, still recognises.
 */
export const MAX_INTERNED_SERIES = 100_000;

function volatileNames(resource: Resource): string[] {
  return Object.keys(resource.attributes).filter((name) => resource.isVolatile(name));
}

/**
 * Gives each input series its rewritten series, memoised on the input object so that after
 * the first sight a point costs one lookup. Outputs are interned by content: two input series
 * that become the same content (an attribute that told them apart was deleted) share one
 * output object, as a receiver's series of one content do.
 */
export class SeriesRewriter {
  /** Weak: an entry lives as long as the receiver keeps the input object. */
  private readonly bySeries = new WeakMap<Series, Series>();
  private readonly byResource = new WeakMap<Resource, Resource>();
  /** Output series by their whole content (resource attributes with the volatile ones); oldest first. */
  private readonly interned = new Map<string, Series>();

  constructor(
    private readonly pointRewrite: AttributesRewrite | undefined,
    private readonly resourceRewrite: AttributesRewrite | undefined,
    private readonly maxInterned = MAX_INTERNED_SERIES,
  ) {}

  get internedCount(): number {
    return this.interned.size;
  }

  rewrite(series: Series): Series {
    return this.bySeries.get(series) ?? this.firstSight(series);
  }

  /** A staleness marker passed: its series' source left, so its output is no longer interned. */
  forget(input: Series, output: Series): void {
    this.bySeries.delete(input);
    if (output !== input) this.interned.delete(contentOf(output));
  }

  private firstSight(series: Series): Series {
    const resource = this.resourceOf(series.resource);
    const attributes = this.pointRewrite?.(series.attributes)?.attributes ?? series.attributes;
    let output = series;
    if (resource !== series.resource || attributes !== series.attributes) {
      output = new Series(series.descriptor, attributes, resource);
      output = this.intern(output);
    }
    this.bySeries.set(series, output);
    return output;
  }

  private intern(series: Series): Series {
    const content = contentOf(series);
    const known = this.interned.get(content);
    if (known !== undefined) return known;
    if (this.interned.size >= this.maxInterned) this.interned.delete(this.interned.keys().next().value!);
    this.interned.set(content, series);
    return series;
  }

  private resourceOf(resource: Resource): Resource {
    if (this.resourceRewrite === undefined) return resource;
    let rewritten = this.byResource.get(resource);
    if (rewritten === undefined) {
      const draft = this.resourceRewrite(resource.attributes, volatileNames(resource));
      rewritten = draft === undefined ? resource : new Resource(draft.attributes, { volatile: [...draft.volatile] });
      this.byResource.set(resource, rewritten);
    }
    return rewritten;
  }
}

/** Name, unit, kind, attributes, resource identity and resource attributes as one text. */
function contentOf(series: Series): string {
  const resource: Attributes = series.resource.attributes;
  return `${series.kind}|${JSON.stringify(series.unit)}|${series.key}|${canonicalAttributes(resource)}`;
}
