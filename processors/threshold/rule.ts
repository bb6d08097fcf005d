import type { Attributes, Series } from '../../src/index.js';
import type { RuleConfig } from './config.js';
import { CRITICAL, INFO, LEVEL_NAMES, RULE_LEVELS, UNKNOWN } from './levels.js';
import { breaches, nearestEnd, parseNagiosRange, type NagiosRange } from './nagios-range.js';

const ABOVE = 0;
const BELOW = 1;
const RANGE = 2;

/** A threshold as the user wrote it (`0.5`, `10:20`) and the number it stands for. */
export interface WrittenBound {
  readonly text: string;
  readonly number: (value: number) => number;
}

/** Numbers as people read them: at most 12 significant digits, so `0.8 * 0.9` reads `0.72`. */
export function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(12))) : String(value);
}

/**
 * A rule made ready for the per-point path: bounds in arrays indexed by level (1 warning,
 * 2 error, 3 critical; NaN where the rule has no such level, which no comparison passes),
 * the notified levels as a bit mask.
 */
export class CompiledRule {
  readonly name: string;
  readonly metric: string;
  readonly aggregate: string;
  readonly match: ReadonlyArray<readonly [string, string]>;
  readonly forMs: number;
  readonly keepMs: number;
  /** Bit `1 << level` set for every level whose events are `firing`. */
  readonly notifyMask: number;
  readonly complement: boolean;
  readonly sumOver: readonly string[] | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>> | undefined;
  /** What the rule compares, for generated messages: `healthcheck.duration mean`. */
  readonly subject: string;
  /** `above`, `below`, `outside`, as a message says it. */
  private readonly relation: string;
  private readonly direction: number;
  /** The least severe level the rule defines. */
  private readonly lowest: number;
  private readonly enterAt: number[] = [Number.NaN, Number.NaN, Number.NaN, Number.NaN];
  private readonly exitAt: number[] = [Number.NaN, Number.NaN, Number.NaN, Number.NaN];
  private readonly enterRange: (NagiosRange | undefined)[] = [undefined, undefined, undefined, undefined];
  private readonly exitRange: (NagiosRange | undefined)[] = [undefined, undefined, undefined, undefined];
  private readonly enterText: string[] = ['', '', '', ''];
  private readonly exitText: string[] = ['', '', '', ''];
  private readonly enterNumber: number[] = [Number.NaN, Number.NaN, Number.NaN, Number.NaN];
  private readonly exitNumber: number[] = [Number.NaN, Number.NaN, Number.NaN, Number.NaN];

  constructor(
    readonly index: number,
    config: RuleConfig,
  ) {
    this.name = config.name;
    this.metric = config.metric;
    this.aggregate = config.aggregate;
    this.match = Object.entries(config.match ?? {}).map(([key, value]) => [key, String(value)] as const);
    this.forMs = config.for ?? 0;
    this.keepMs = config.keep_firing_for ?? 0;
    this.complement = config.complement;
    this.sumOver = config.sum_over;
    this.labels = config.labels;
    this.annotations = config.annotations;
    const written = config.above ?? config.below ?? config.range!;
    const defined = RULE_LEVELS.filter((level) => written[level] !== undefined);
    let mask = 0;
    for (const level of config.notify ?? [...defined, 'unknown' as const]) mask |= 1 << LEVEL_NAMES.indexOf(level);
    this.notifyMask = mask;
    this.lowest = LEVEL_NAMES.indexOf(defined[0]!);
    const summed = this.sumOver === undefined ? '' : ` summed over ${this.sumOver.join(', ')}`;
    this.subject = `${this.complement ? '1 − ' : ''}${this.metric} ${this.aggregate}${summed}`;
    if (config.range !== undefined) {
      this.direction = RANGE;
      this.relation = 'outside';
      defined.forEach((level) => {
        const i = LEVEL_NAMES.indexOf(level);
        const enter = parseNagiosRange(config.range![level]!) as NagiosRange;
        const exitWritten = config.recover?.[level];
        const exit = exitWritten === undefined ? enter : (parseNagiosRange(exitWritten) as NagiosRange);
        this.enterRange[i] = enter;
        this.exitRange[i] = exit;
        this.enterText[i] = enter.text;
        this.exitText[i] = exit.text;
      });
      return;
    }
    const above = config.above !== undefined;
    this.relation = above ? 'above' : 'below';
    // 1 − x > T is compared as x < 1 − T: over every error rate f/n with n ≤ 2000 that gives
    // the ancestor's f/n > T exactly, where 1 − x (x = (n − f)/n) is off in the last bit.
    this.direction = above !== this.complement ? ABOVE : BELOW;
    defined.forEach((level) => {
      const i = LEVEL_NAMES.indexOf(level);
      const enter = written[level] as number;
      const exit = (config.recover?.[level] as number | undefined) ?? enter;
      this.enterNumber[i] = enter;
      this.exitNumber[i] = exit;
      this.enterAt[i] = this.complement ? 1 - enter : enter;
      this.exitAt[i] = this.complement ? 1 - exit : exit;
      this.enterText[i] = formatNumber(enter);
      this.exitText[i] = formatNumber(exit);
    });
  }

  /** True when the rule reads this series (the per-Series result is cached by the caller). */
  matches(series: Series): boolean {
    if (series.name !== this.metric || series.attributes['aggregate'] !== this.aggregate) return false;
    for (const [key, expected] of this.match) {
      const value = lookup(series.attributes, key) ?? lookup(series.resource.attributes, key);
      if (value === undefined || String(value) !== expected) return false;
    }
    return true;
  }

  /**
   * The level `value` stands at, given the series' current level: from critical down, the
   * first level the value is past; a level at or below the current one is held up to its
   * recover bound, a higher one needs its own bound. Strict comparisons, as the ancestor's.
   */
  levelOf(value: number, current: number): number {
    const held = current === UNKNOWN ? INFO : current;
    if (this.direction === ABOVE) {
      for (let level = CRITICAL; level > INFO; level--) if (value > (level <= held ? this.exitAt[level]! : this.enterAt[level]!)) return level;
    } else if (this.direction === BELOW) {
      for (let level = CRITICAL; level > INFO; level--) if (value < (level <= held ? this.exitAt[level]! : this.enterAt[level]!)) return level;
    } else {
      for (let level = CRITICAL; level > INFO; level--) {
        const range = level <= held ? this.exitRange[level] : this.enterRange[level];
        if (range !== undefined && breaches(range, value)) return level;
      }
    }
    return INFO;
  }

  /** The value an event reports: for a complement rule, 1 − value, without the last bit's noise. */
  reported(value: number): number {
    return this.complement ? Number((1 - value).toPrecision(15)) : value;
  }

  /**
   * The bound an event of a change `from` → `to` is about: the new level's (its recover bound
   * when the level was held from above, else the one that raised it), or, back at info, the
   * exit bound of the lowest level, which the value is now past.
   */
  boundOf(from: number, to: number, value: number): { number: number; text: string } {
    // Back at info the value is past the lowest level's bound: that comparison decided it.
    const level = to === INFO ? (from === UNKNOWN ? UNKNOWN : this.lowest) : to;
    if (level <= INFO || level > CRITICAL) return { number: Number.NaN, text: '' };
    const exit = to === INFO || to <= from;
    const text = exit ? this.exitText[level]! : this.enterText[level]!;
    if (this.direction === RANGE) {
      const range = exit ? this.exitRange[level]! : this.enterRange[level]!;
      return { number: nearestEnd(range, this.reported(value)), text };
    }
    return { number: exit ? this.exitNumber[level]! : this.enterNumber[level]!, text };
  }

  /** `healthcheck.duration mean 0.62 above 0.5`, or at info `… 0.3 no longer above 0.5`. */
  describe(from: number, to: number, value: number): string {
    const shown = formatNumber(this.reported(value));
    if (from === UNKNOWN && to === INFO) return `${this.subject} ${shown}: data again`;
    const bound = this.boundOf(from, to, value);
    const level = to === INFO ? this.lowest : to;
    const relation = this.direction === RANGE && this.enterRange[level]?.inside === true ? 'inside' : this.relation;
    if (to === INFO) return `${this.subject} ${shown} no longer ${relation} ${bound.text}`;
    return `${this.subject} ${shown} ${relation} ${bound.text}`;
  }
}

function lookup(attributes: Attributes, key: string): Attributes[string] | undefined {
  return Object.hasOwn(attributes, key) ? attributes[key] : undefined;
}
