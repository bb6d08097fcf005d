import { boundedInt, duration, z } from '../../src/index.js';
import { NOTIFIABLE_LEVELS, RULE_LEVELS, type RuleLevel } from './levels.js';
import { parseNagiosRange } from './nagios-range.js';
import { PROFILES } from './profiles.js';

const attributeValue = z.union([z.string(), z.number(), z.boolean()]);

function levels<T extends z.ZodType>(value: T, what: string) {
  return z
    .strictObject({
      warning: value.optional().describe(`The warning level's ${what}.`),
      error: value.optional().describe(`The error level's ${what}.`),
      critical: value.optional().describe(`The critical level's ${what}.`),
    })
    .refine((set) => RULE_LEVELS.some((level) => set[level] !== undefined), 'name at least one of warning, error, critical');
}

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const nagiosRange = z.union([z.string(), finite]);

const DURATION_REASON = 'a threshold delay of more than a day is a different question: ask the history';

export const ruleSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .max(256)
      .describe("The rule's name: the alert's `rule` (Alertmanager's `alertname`); unique among the rules."),
    metric: z.string().min(1).describe('The metric the rule reads, e.g. `healthcheck.duration`.'),
    aggregate: z
      .string()
      .min(1)
      .default('mean')
      .describe("Which of the window's figures the rule reads: the points whose attribute `aggregate` has this value."),
    match: z
      .record(z.string(), attributeValue)
      .optional()
      .describe('Only series whose attributes or resource attributes have these values (`service.name: api`).'),
    above: levels(finite, 'bound: the level holds while the value is strictly greater')
      .optional()
      .describe('Levels reached when the value is strictly above these numbers; checked from critical down, first match wins.'),
    below: levels(finite, 'bound: the level holds while the value is strictly less')
      .optional()
      .describe('Levels reached when the value is strictly below these numbers; checked from critical down, first match wins.'),
    range: levels(nagiosRange, 'Nagios range')
      .optional()
      .describe('Levels reached when the value is outside these Nagios ranges (`10`, `10:`, `~:10`, `10:20`), or inside one written `@10:20`.'),
    recover: levels(z.union([finite, z.string()]), 'exit bound')
      .optional()
      .describe('Hysteresis: a level is left only when the value is past this bound (at or below it for `above`), not merely back past the one that raised it.'),
    for: duration({ min: '1ms', max: '24h', maxReason: DURATION_REASON })
      .optional()
      .describe('Enter delay: a level is raised only once the value has stayed at it this long, counted from the first sample that reached it; a missing sample does not restart it, a sample below it does.'),
    keep_firing_for: duration({ min: '1ms', max: '24h', maxReason: DURATION_REASON })
      .optional()
      .describe('A level is held this long after the value stops supporting it.'),
    notify: z
      .array(z.enum(NOTIFIABLE_LEVELS))
      .optional()
      .describe('Levels whose events are `firing`; a change to any other level is `resolved`. Default: every level the rule defines, and `unknown` (which only `no_data` raises).'),
    complement: z
      .boolean()
      .default(false)
      .describe('Compare 1 − value: an error rate from the mean of `healthcheck.up`.'),
    sum_over: z
      .array(z.string().min(1))
      .optional()
      .describe("Add up the series that differ only in these attributes, per resource and window, and compare the sum (connections over their states)."),
    labels: z
      .record(z.string(), z.string())
      .default({})
      .describe("Labels added to the rule's alerts (`team: payments`); part of the alert's identity."),
    annotations: z
      .record(z.string(), z.string())
      .optional()
      .describe("Free text for people on the rule's alerts (`runbook_url`); not part of the alert's identity."),
  })
  .describe('A threshold rule.');

export type RuleConfig = z.output<typeof ruleSchema>;
/** A rule as written in pipeline.yaml or a profile, before the schema's defaults. */
export type RuleInput = z.input<typeof ruleSchema>;

export const thresholdConfigSchema = z
  .strictObject({
    profile: z
      .enum(Object.keys(PROFILES) as [keyof typeof PROFILES])
      .optional()
      .describe("Built-in rules: `datapunk` is the ancestor's table over window means (DESIGN §1), notifying error and critical (and unknown, with `no_data`)."),
    rules: z.array(ruleSchema).default([]).describe("Threshold rules, after the profile's if one is named."),
    no_data: duration({ min: '1ms', max: '24h', maxReason: 'a series silent for a day is gone, not late' })
      .optional()
      .describe('A series silent this long becomes `unknown`. Off when not set.'),
    expire_after: duration({ min: '1ms', max: '24d', maxReason: 'one Node timer cannot wait longer' })
      .prefault('24h')
      .describe("A series silent this long is forgotten; if its alert is firing, a last `resolved` event says it is no longer watched."),
    max_series: boundedInt({
      min: 1,
      max: 10_000_000,
      maxReason: 'every series holds its state in memory, and ten million is already gigabytes',
    })
      .default(100_000)
      .describe('Most series × rule states held at once; points of further new series are dropped and counted.'),
    flap_detection: z.boolean().default(true).describe('Nagios-style flap detection over the last 21 results of a series.'),
    flap_high: z
      .number()
      .min(0)
      .max(100)
      .default(50)
      .describe('A series whose weighted fire/resolve change rate reaches this percentage starts flapping.'),
    flap_low: z
      .number()
      .min(0)
      .max(100)
      .default(25)
      .describe('A flapping series whose change rate falls below this percentage has settled.'),
    window: duration({ min: '1ms', max: '24h', maxReason: 'windows are at most a day' })
      .optional()
      .describe("The window length events report; default: the spacing of a series' points (a tumbling window's size)."),
  })
  .superRefine((config, ctx) => {
    if (config.profile === undefined && config.rules.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['rules'], message: 'name a profile (`profile: datapunk`) or at least one rule' });
    }
    const names = new Set(config.profile === undefined ? [] : PROFILES[config.profile].map((rule) => rule.name));
    config.rules.forEach((rule, index) => {
      const path = ['rules', index];
      if (names.has(rule.name)) ctx.addIssue({ code: 'custom', path: [...path, 'name'], message: 'a rule of this name exists already (names must be unique, the profile\'s included)' });
      names.add(rule.name);
      for (const problem of ruleProblems(rule)) ctx.addIssue({ code: 'custom', path: [...path, ...problem.path], message: problem.message });
    });
    if (config.flap_low > config.flap_high) {
      ctx.addIssue({ code: 'custom', path: ['flap_low'], message: 'flap_low must not exceed flap_high' });
    }
    if (config.no_data !== undefined && config.expire_after <= config.no_data) {
      ctx.addIssue({ code: 'custom', path: ['expire_after'], message: 'expire_after must be longer than no_data, or a silent series is forgotten before it is unknown' });
    }
  })
  .describe('Turns window figures into health events: a level per series and rule, an event when it changes.');

export type ThresholdConfig = z.output<typeof thresholdConfigSchema>;

interface RuleProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type Direction = 'above' | 'below' | 'range';
const DIRECTIONS: readonly Direction[] = ['above', 'below', 'range'];

/** Everything wrong with one rule that its field schemas cannot see alone, each at its path. */
export function ruleProblems(rule: RuleConfig): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const given = DIRECTIONS.filter((direction) => rule[direction] !== undefined);
  if (given.length !== 1) {
    const message = given.length === 0 ? 'give the levels as one of above, below or range' : `give the levels once: ${given.join(' and ')} both set`;
    return [{ path: given.length === 0 ? [] : [given[1]!], message }];
  }
  const direction = given[0]!;
  const bounds = rule[direction]!;
  const defined = RULE_LEVELS.filter((level) => bounds[level] !== undefined);
  if (direction === 'range') {
    for (const level of defined) {
      const parsed = parseNagiosRange(bounds[level]!);
      if (typeof parsed === 'string') problems.push({ path: ['range', level], message: parsed });
    }
  } else {
    // Checked from critical down, first match wins: a lower level at or past a higher one could never be reached.
    for (let i = 1; i < defined.length; i++) {
      const lower = defined[i - 1]!;
      const higher = defined[i]!;
      const a = bounds[lower] as number;
      const b = bounds[higher] as number;
      if (direction === 'above' ? !(a < b) : !(a > b)) {
        problems.push({
          path: [direction, higher],
          message: `levels out of order: for ${direction}, ${higher} must be ${direction === 'above' ? 'greater' : 'less'} than ${lower}, or ${lower} can never be reached`,
        });
      }
    }
  }
  for (const level of RULE_LEVELS) {
    const exit = rule.recover?.[level];
    if (exit === undefined) continue;
    const path = ['recover', level];
    if (!defined.includes(level)) {
      problems.push({ path, message: `the rule defines no ${level} level to recover from` });
    } else if (direction === 'range') {
      const parsed = parseNagiosRange(exit);
      if (typeof parsed === 'string') problems.push({ path, message: parsed });
    } else if (typeof exit !== 'number') {
      problems.push({ path, message: `expected a number, as the ${direction} levels are` });
    } else {
      const enter = bounds[level] as number;
      if (direction === 'above' ? exit > enter : exit < enter) {
        problems.push({ path, message: `a recover bound must not be ${direction === 'above' ? 'above' : 'below'} the bound that raises the level` });
      }
    }
  }
  for (const [index, level] of (rule.notify ?? []).entries()) {
    if (level !== 'unknown' && !defined.includes(level as RuleLevel)) {
      problems.push({ path: ['notify', index], message: `the rule defines no ${level} level` });
    }
  }
  if (rule.complement && direction === 'range') problems.push({ path: ['complement'], message: 'complement works with above or below, not range' });
  return problems;
}
