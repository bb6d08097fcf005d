import type { Perfdata } from '../check-result.js';

/** What a UOM means: the unit it becomes, and value × multiply ÷ divide in it (dividing keeps 20us exactly 2e-5 s). */
interface UnitOfMeasure {
  readonly unit: string;
  readonly multiply: number;
  readonly divide: number;
}

/**
 * The UOMs of the Nagios plugin guidelines, converted to base units. Bytes count in 1024s,
 * as check_disk computes them and PNP4Nagios reads them (the guidelines say nothing);
 * `GB` is not in the guidelines but plugins print it. A UOM outside this table makes the
 * item unreadable: a number whose unit is a guess would be wrong on every chart.
 */
const UOMS: Readonly<Record<string, UnitOfMeasure>> = {
  '': { unit: '', multiply: 1, divide: 1 },
  s: { unit: 's', multiply: 1, divide: 1 },
  ms: { unit: 's', multiply: 1, divide: 1e3 },
  us: { unit: 's', multiply: 1, divide: 1e6 },
  '%': { unit: '%', multiply: 1, divide: 1 },
  B: { unit: 'By', multiply: 1, divide: 1 },
  KB: { unit: 'By', multiply: 1024, divide: 1 },
  MB: { unit: 'By', multiply: 1024 ** 2, divide: 1 },
  GB: { unit: 'By', multiply: 1024 ** 3, divide: 1 },
  TB: { unit: 'By', multiply: 1024 ** 4, divide: 1 },
  c: { unit: '{count}', multiply: 1, divide: 1 },
};

/** A number as the guidelines write it (`[-0-9.]`), with the UOM after it. */
const VALUE_WITH_UOM = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)([^\d;]*)$/;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** The most items kept from one output: a plugin printing thousands would make thousands of series. */
export const MAX_PERFDATA_ITEMS = 64;
/** Labels are attributes; the guidelines keep them short (19 characters are significant). */
export const MAX_LABEL_LENGTH = 128;

function inBaseUnit(number: string, uom: UnitOfMeasure): number {
  return (Number(number) * uom.multiply) / uom.divide;
}

/** One `label=value[UOM];warn;crit;min;max` read into a value, or undefined when it cannot be read. */
function readItem(label: string, data: string): Perfdata | undefined {
  if (label === '' || label.length > MAX_LABEL_LENGTH) return undefined;
  const [valuePart = '', warn, crit, min, max] = data.split(';');
  const match = VALUE_WITH_UOM.exec(valuePart);
  // `U` (the value could not be determined) is well-formed, but there is no number to record.
  if (match === null) return undefined;
  const uom = UOMS[match[2]!];
  if (uom === undefined) return undefined;
  const value = inBaseUnit(match[1]!, uom);
  if (!Number.isFinite(value)) return undefined;
  const item: { -readonly [K in keyof Perfdata]: Perfdata[K] } = { label, value, unit: uom.unit };
  if (warn !== undefined && warn !== '') item.warn = warn;
  if (crit !== undefined && crit !== '') item.crit = crit;
  const minimum = bound(min, uom);
  if (minimum !== undefined) item.min = minimum;
  const maximum = bound(max, uom);
  if (maximum !== undefined) item.max = maximum;
  return item;
}

/** min and max are numbers in the value's UOM; anything else is left out (the item stays). */
function bound(text: string | undefined, uom: UnitOfMeasure): number | undefined {
  if (text === undefined || !NUMBER.test(text)) return undefined;
  const value = inBaseUnit(text, uom);
  return Number.isFinite(value) ? value : undefined;
}

function isSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

/**
 * Parses performance data: space-separated `'quoted label'=value[UOM];[warn];[crit];[min];[max]`
 * (`''` inside quotes is one quote). An item that cannot be read is skipped, never fatal:
 * the rest of the line still counts. At most `MAX_PERFDATA_ITEMS` are kept.
 */
export function parsePerfdata(text: string): Perfdata[] {
  const items: Perfdata[] = [];
  let at = 0;
  const length = text.length;
  while (at < length && items.length < MAX_PERFDATA_ITEMS) {
    while (at < length && isSpace(text[at])) at += 1;
    if (at >= length) break;
    let label = '';
    let readable = true;
    if (text[at] === "'") {
      at += 1;
      for (;;) {
        const quote = text.indexOf("'", at);
        if (quote === -1) {
          // An unclosed quote: nothing after it can be told apart.
          return items;
        }
        label += text.slice(at, quote);
        if (text[quote + 1] === "'") {
          label += "'";
          at = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      if (text[at] !== '=') readable = false;
    } else {
      const start = at;
      while (at < length && text[at] !== '=' && !isSpace(text[at])) at += 1;
      label = text.slice(start, at);
      if (text[at] !== '=') readable = false;
    }
    const start = at + 1;
    while (at < length && !isSpace(text[at])) at += 1;
    if (!readable) continue;
    const item = readItem(label, text.slice(start, at));
    if (item !== undefined) items.push(item);
  }
  return items;
}
