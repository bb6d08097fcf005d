/**
 * OpenTelemetry names and units as Prometheus names, following prometheus/otlptranslator
 * (`MetricNamer` with `UnderscoreEscapingWithSuffixes`, `LabelNamer`), the code Prometheus'
 * OTLP endpoint and the collector's prometheus exporter share.
 */

/** UCUM units to Prometheus base-unit words (otlptranslator's `unitMap`). */
const UNITS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '1': '',
  '%': 'percent',
};

/** The unit after `/`, singular (otlptranslator's `perUnitMap`). */
const PER_UNITS: Readonly<Record<string, string>> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

/** How a series is exposed: a monotonic sum is a counter, a gauge a gauge, a non-monotonic sum a gauge without `_ratio`. */
export type ExposedKind = 'counter' | 'gauge' | 'updown';

/**
 * `http.server.request.duration` in `s` → `http_server_request_duration_seconds`. Tokens of
 * `[a-zA-Z0-9:]`; the unit's word appended unless a token already is it (`{…}` annotations
 * give none); `_total` moved to the end of a counter, `_ratio` to the end of a gauge in `1`;
 * a leading digit gets `_`. Empty when nothing is left (the series cannot be exposed).
 */
export function metricName(name: string, unit: string, kind: ExposedKind, namespace?: string): string {
  let tokens = name.split(/[^a-zA-Z0-9:]+/).filter((token) => token !== '');
  const [main, per] = unitSuffixes(unit);
  tokens = withUnitTokens(tokens, cleanUnit(main), cleanUnit(per));
  if (kind === 'counter') tokens = [...tokens.filter((token) => token !== 'total'), 'total'];
  if (unit === '1' && kind === 'gauge') tokens = [...tokens.filter((token) => token !== 'ratio'), 'ratio'];
  if (namespace !== undefined) tokens.unshift(namespace);
  const joined = tokens.join('_');
  const named = /^[0-9]/.test(joined) ? `_${joined}` : joined;
  return /^_*$/.test(named) ? '' : named;
}

function unitSuffixes(unit: string): [string, string] {
  const slash = unit.indexOf('/');
  const mainUnit = (slash < 0 ? unit : unit.slice(0, slash)).trim();
  const perUnit = slash < 0 ? '' : unit.slice(slash + 1).trim();
  const main = mainUnit !== '' && !/[{}]/.test(mainUnit) ? (UNITS[mainUnit] ?? mainUnit) : '';
  const perWord = perUnit !== '' && !/[{}]/.test(perUnit) ? (PER_UNITS[perUnit] ?? perUnit) : '';
  return [main, perWord === '' ? '' : `per_${perWord}`];
}

/** Invalid characters to `_`, runs of `_` to one, no leading `_`. */
function cleanUnit(unit: string): string {
  return unit.replace(/[^a-zA-Z0-9:]/g, '_').replace(/_+/g, '_').replace(/^_/, '');
}

function withUnitTokens(tokens: string[], mainUnit: string, perUnit: string): string[] {
  let main = tokens.includes(mainUnit) ? '' : mainUnit;
  let per = perUnit === 'per_' ? '' : perUnit.replace(/_$/, '');
  if (tokens.includes(per)) per = '';
  if (per !== '') main = main.replace(/_$/, '');
  const out = [...tokens];
  if (main !== '') out.push(main);
  if (per !== '') out.push(per);
  return out;
}

/**
 * An attribute name as a label name: characters outside `[a-zA-Z0-9]` become `_` (a run of
 * them one `_`), a leading digit gets `key_`, `__name__`-style reserved names keep their
 * underscores. Empty when only underscores are left (the attribute is not exposed).
 */
export function labelName(name: string): string {
  const reserved = name.length >= 4 && name.startsWith('__') && name.endsWith('__');
  const inner = reserved ? name.slice(2, -2) : name;
  let label = inner.replace(/[^a-zA-Z0-9]+/g, '_');
  if (reserved) label = `__${label}__`;
  if (/^[0-9]/.test(label)) label = `key_${label}`;
  return /^_*$/.test(label) ? '' : label;
}
