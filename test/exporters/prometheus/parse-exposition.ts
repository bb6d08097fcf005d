/** A sample read back from the text exposition format 0.0.4. */
export interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface Exposition {
  readonly types: Map<string, string>;
  readonly helps: Map<string, string>;
  readonly samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Parses a scrape as Prometheus' text parser reads it, strictly: every line a comment of a
 * known kind or a sample with valid names, escapes and value, no sample without a `# TYPE`
 * before it, no family split in two, no two samples with the same labels. Throws on anything else.
 */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  const samples: Sample[] = [];
  const seen = new Set<string>();
  let current: string | undefined;
  if (text !== '' && !text.endsWith('\n')) throw new Error('the text does not end with a line feed');
  for (const line of text.split('\n').slice(0, -1)) {
    const comment = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (comment !== null) {
      const [, what, name, rest] = comment;
      if (!NAME.test(name!)) throw new Error(`bad metric name in ${line}`);
      if (what === 'TYPE') {
        if (types.has(name!)) throw new Error(`second TYPE for ${name}`);
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest!)) throw new Error(`bad type in ${line}`);
        types.set(name!, rest!);
      } else {
        helps.set(name!, unescape(rest!, false));
      }
      current = name;
      continue;
    }
    if (line.startsWith('#')) throw new Error(`unexpected comment ${line}`);
    const sample = parseSample(line);
    if (sample.name !== current || !types.has(sample.name)) throw new Error(`sample outside its family: ${line}`);
    const identity = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(identity)) throw new Error(`duplicate sample ${line}`);
    seen.add(identity);
    samples.push(sample);
  }
  return { types, helps, samples };
}

function parseSample(line: string): Sample {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
  if (match === null) throw new Error(`bad sample line ${JSON.stringify(line)}`);
  const labels: Record<string, string> = {};
  const body = match[2]?.slice(1, -1) ?? '';
  let index = 0;
  while (index < body.length) {
    const eq = body.indexOf('=', index);
    const name = body.slice(index, eq);
    if (!LABEL.test(name) || body[eq + 1] !== '"') throw new Error(`bad label in ${line}`);
    let value = '';
    let at = eq + 2;
    for (; at < body.length && body[at] !== '"'; at += 1) {
      if (body[at] === '\\') {
        const next = body[at + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`bad escape in ${line}`);
        at += 1;
      } else value += body[at];
    }
    if (at >= body.length) throw new Error(`unterminated value in ${line}`);
    if (name in labels) throw new Error(`label ${name} twice in ${line}`);
    labels[name] = value;
    index = at + 1;
    if (index < body.length) {
      if (body[index] !== ',') throw new Error(`expected , in ${line}`);
      index += 1;
    }
  }
  return { name: match[1]!, labels, value: parseValue(match[3]!) };
}

function parseValue(text: string): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value ${text}`);
  return Number(text);
}

function unescape(text: string, quotes: boolean): string {
  return text.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char === '\\' || (quotes && char === '"') ? char : `\\${char}`));
}
