import type { Attributes } from '../../src/index.js';

/** The figure of a series whose source left (a staleness marker), in place of its value. */
export const LEFT = 'left';

/** Between the figures of one attribute set (`mean 12.3%, max 50.0%`). */
const FIGURE_SEPARATOR = ', ';
/** Between attribute sets (`used 1.5 GiB | free 22.1 GiB`). */
const SET_SEPARATOR = ' | ';

/** One attribute set of a metric (a CPU and state, a direction) and its figures by aggregate. */
export interface AttributeSet {
  readonly attributes: Attributes;
  /** Aggregate (`mean`, `max`, …) or `''` for a raw value → the formatted figure. */
  readonly figures: Map<string, string>;
}

function figuresText(set: AttributeSet): string {
  const raw = set.figures.get('');
  if (set.figures.size === 1 && raw !== undefined) return raw;
  // One figure when all say the same (`left`, or a window holding one reading, where mean,
  // max and last agree): the row then reads `used 6.9%`, not the same number three times.
  const texts = [...set.figures.values()];
  if (texts.length > 1 && texts.every((text) => text === texts[0])) return texts[0]!;
  return [...set.figures].map(([aggregate, text]) => (aggregate === '' ? text : `${aggregate} ${text}`)).join(FIGURE_SEPARATOR);
}

/** Attributes every set has with the same value: said once, before the sets. */
function sharedAttributes(sets: readonly AttributeSet[]): [string, string][] {
  const [first, ...others] = sets;
  if (first === undefined) return [];
  return Object.entries(first.attributes)
    .filter(([key, value]) => others.every((set) => set.attributes[key] === value))
    .map(([key, value]) => [key, String(value)]);
}

/** The keys whose values tell the sets apart, in the order they first appear. */
function varyingKeys(sets: readonly AttributeSet[], shared: ReadonlySet<string>): string[] {
  const keys = new Set<string>();
  for (const set of sets) for (const key of Object.keys(set.attributes)) if (!shared.has(key)) keys.add(key);
  return [...keys];
}

/**
 * Each key by its last dotted part (`system.cpu.state` → `state`) when no other key of the
 * row ends the same way: the metric's name already says `system.cpu`, and the long keys
 * would fill an 80-column line before a single figure. The JSON format keeps them whole.
 */
function shortKeys(keys: readonly string[]): Map<string, string> {
  const lastPart = (key: string) => key.slice(key.lastIndexOf('.') + 1);
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(lastPart(key), (counts.get(lastPart(key)) ?? 0) + 1);
  return new Map(keys.map((key) => [key, counts.get(lastPart(key)) === 1 ? lastPart(key) : key]));
}

/**
 * Every series of one metric and service on one line, as a person reads it: the attributes
 * they share once (`device=eth0`), then the keys that tell them apart (`direction:`), then
 * each set's values and figures (`receive 1.1 GiB | transmit 4.2 MiB`). Stops once the text is past `width`: the row is
 * cut there anyway, and a metric of 300,000 series must not build a line of megabytes.
 */
export function foldedValues(sets: readonly AttributeSet[], width: number): string {
  const shared = sharedAttributes(sets);
  const varying = varyingKeys(sets, new Set(shared.map(([key]) => key)));
  const short = shortKeys([...shared.map(([key]) => key), ...varying]);
  let text = shared.map(([key, value]) => `${short.get(key)}=${value}`).join(',');
  if (varying.length === 0) return text === '' ? figuresText(sets[0]!) : `${text}  ${figuresText(sets[0]!)}`;
  text += `${text === '' ? '' : '  '}${varying.map((key) => short.get(key)).join(',')}: `;
  sets.every((set, index) => {
    const values = varying.map((key) => String(set.attributes[key] ?? '-')).join(',');
    text += `${index === 0 ? '' : SET_SEPARATOR}${values} ${figuresText(set)}`;
    return text.length <= width;
  });
  return text;
}
