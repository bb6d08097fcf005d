// Prometheus' text exposition format (version 0.0.4), the one every /metrics endpoint
// speaks: https://prometheus.io/docs/instrumenting/exposition_formats/
//
//   # HELP http_requests_total Requests served.
//   # TYPE http_requests_total counter
//   http_requests_total{method="post",code="200"} 1027 1395066363000
//
// Like Prometheus, a line that cannot be read fails the whole scrape: half an exposition
// would look like series that stopped.

/**
 * @typedef {'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped'} FamilyType
 * @typedef {object} Sample
 * @property {string} name the sample's own name (`rpc_seconds_bucket`)
 * @property {string} family the metric family it belongs to (`rpc_seconds`)
 * @property {FamilyType} type the family's type, from its `# TYPE` line (`untyped` without one)
 * @property {Record<string, string>} labels
 * @property {number} value
 */

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/** The samples a histogram or summary family writes beside its own name. */
const SUFFIXES = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };

export class ExpositionError extends Error {
  /** @param {number} line @param {string} problem */
  constructor(line, problem) {
    super(`line ${line}: ${problem}`);
    this.name = 'ExpositionError';
  }
}

/**
 * A sample value as Go's ParseFloat reads it: decimal or exponent notation, `NaN`, `+Inf`,
 * `-Inf` (any case). Number('') and Number('0x10') would say 0 and 16; this does not.
 * @param {string} text
 */
export function parseValue(text) {
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === '+inf' || lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/**
 * `{a="x",b="y\"z"}` from `start` (at the `{`): the labels and where the set ends. Escapes
 * in a value: `\\`, `\"` and `\n`; any other backslash is kept as written, as Prometheus does.
 * @param {string} line @param {number} start @param {number} lineNumber
 * @returns {{ labels: Record<string, string>, end: number }}
 */
function parseLabels(line, start, lineNumber) {
  /** @type {Record<string, string>} */
  const labels = {};
  let at = start + 1;
  for (;;) {
    while (line[at] === ' ' || line[at] === '\t') at += 1;
    if (line[at] === '}') return { labels, end: at + 1 };
    const name = LABEL_NAME.exec(line.slice(at))?.[0];
    if (name === undefined) throw new ExpositionError(lineNumber, `expected a label name at column ${at + 1}`);
    at += name.length;
    while (line[at] === ' ' || line[at] === '\t') at += 1;
    if (line[at] !== '=' ) throw new ExpositionError(lineNumber, `expected = after label ${name}`);
    at += 1;
    while (line[at] === ' ' || line[at] === '\t') at += 1;
    if (line[at] !== '"') throw new ExpositionError(lineNumber, `expected a quoted value for label ${name}`);
    at += 1;
    let value = '';
    for (;;) {
      const char = line[at];
      if (char === undefined) throw new ExpositionError(lineNumber, `the value of label ${name} is not closed`);
      at += 1;
      if (char === '"') break;
      if (char !== '\\') {
        value += char;
        continue;
      }
      const escaped = line[at];
      at += 1;
      value += escaped === 'n' ? '\n' : escaped === '\\' || escaped === '"' ? escaped : `\\${escaped ?? ''}`;
    }
    if (Object.hasOwn(labels, name)) throw new ExpositionError(lineNumber, `label ${name} is given twice`);
    labels[name] = value;
    while (line[at] === ' ' || line[at] === '\t') at += 1;
    if (line[at] === ',') at += 1;
    else if (line[at] !== '}') throw new ExpositionError(lineNumber, `expected , or } after label ${name}`);
  }
}

/**
 * The family a sample belongs to: `x_bucket` of a histogram `x` is `x`; anything else is its own.
 * @param {string} name @param {Map<string, FamilyType>} types
 * @returns {{ family: string, type: FamilyType }}
 */
function familyOf(name, types) {
  const own = types.get(name);
  if (own !== undefined) return { family: name, type: own };
  for (const [type, suffixes] of Object.entries(SUFFIXES)) {
    for (const suffix of suffixes) {
      if (!name.endsWith(suffix)) continue;
      const family = name.slice(0, -suffix.length);
      if (types.get(family) === type) return { family, type: /** @type {FamilyType} */ (type) };
    }
  }
  return { family: name, type: 'untyped' };
}

/**
 * Every sample of an exposition, in order. Timestamps written after a value are read and
 * dropped: a point is stamped with the time of the scrape, on the agent's clock.
 * @param {string} text
 * @returns {Sample[]}
 */
export function parseExposition(text) {
  /** @type {Map<string, FamilyType>} */
  const types = new Map();
  /** @type {Sample[]} */
  const samples = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const lineNumber = index + 1;
    const line = lines[index].replace(/\r$/, '').trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      // `# TYPE name type` gives a family its type; `# HELP` and any other comment say nothing we keep.
      const type = /^#\s+TYPE\s+(\S+)\s+(\S+)\s*$/.exec(line);
      if (type !== null) {
        if (!TYPES.has(type[2])) throw new ExpositionError(lineNumber, `unknown metric type ${type[2]}`);
        types.set(type[1], /** @type {FamilyType} */ (type[2]));
      }
      continue;
    }
    const name = NAME.exec(line)?.[0];
    if (name === undefined) throw new ExpositionError(lineNumber, 'expected a metric name');
    let at = name.length;
    /** @type {Record<string, string>} */
    let labels = {};
    if (line[at] === '{') ({ labels, end: at } = parseLabels(line, at, lineNumber));
    const rest = line.slice(at).trim().split(/[ \t]+/);
    if (rest.length < 1 || rest.length > 2 || rest[0] === '') throw new ExpositionError(lineNumber, `expected a value (and an optional timestamp) after ${name}`);
    const value = parseValue(rest[0]);
    if (value === undefined) throw new ExpositionError(lineNumber, `${JSON.stringify(rest[0])} is not a number`);
    if (rest.length === 2 && !/^-?\d+$/.test(rest[1])) throw new ExpositionError(lineNumber, `${JSON.stringify(rest[1])} is not a timestamp`);
    samples.push({ name, ...familyOf(name, types), labels, value });
  }
  return samples;
}
