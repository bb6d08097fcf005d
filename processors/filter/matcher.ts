import type { AttributeValue, Attributes, Series } from '../../src/index.js';
import type { MatchProperties } from './config.js';
import { anchored } from './pattern.js';

/** Tells whether a series matches one `include` or `exclude` block; compiled once from its config. */
export type SeriesMatcher = (series: Series) => boolean;

type TextTest = (text: string) => boolean;
type ValueTest = (value: AttributeValue) => boolean;

/** A pattern the schema has already accepted. */
function compiled(pattern: string): RegExp {
  const result = anchored(pattern);
  if (!(result instanceof RegExp)) throw new TypeError(`filter: ${result.problem}`);
  return result;
}

function nameTest(names: readonly string[], regexp: boolean): TextTest {
  if (!regexp) {
    const set = new Set(names);
    return (name) => set.has(name);
  }
  const patterns = names.map(compiled);
  return (name) => patterns.some((pattern) => pattern.test(name));
}

function valueTest(value: AttributeValue | undefined, regexp: boolean): ValueTest {
  if (value === undefined) return () => true;
  if (!regexp) return (actual) => actual === value;
  const pattern = compiled(String(value));
  return (actual) => pattern.test(String(actual));
}

function attributesTest(matchers: NonNullable<MatchProperties['attributes']>, regexp: boolean): (attributes: Attributes) => boolean {
  const tests = matchers.map((matcher) => ({ key: matcher.key, test: valueTest(matcher.value, regexp) }));
  return (attributes) =>
    tests.every(({ key, test }) => {
      const actual = attributes[key];
      return actual !== undefined && test(actual);
    });
}

/** Every field given must match: the name any of `metric_names`, the attributes all of their matchers. */
export function compileMatcher(match: MatchProperties): SeriesMatcher {
  const regexp = match.match_type === 'regexp';
  const name = match.metric_names === undefined ? undefined : nameTest(match.metric_names, regexp);
  const attributes = match.attributes === undefined ? undefined : attributesTest(match.attributes, regexp);
  const resource = match.resource_attributes === undefined ? undefined : attributesTest(match.resource_attributes, regexp);
  return (series) =>
    (name === undefined || name(series.name)) &&
    (attributes === undefined || attributes(series.attributes)) &&
    (resource === undefined || resource(series.resource.attributes));
}
