import { z } from '../../src/index.js';
import { anchored } from './pattern.js';

/** `strict`: equal text (or value); `regexp`: a JavaScript regular expression matching the whole text. */
export const MATCH_TYPES = ['strict', 'regexp'] as const;
export type MatchType = (typeof MATCH_TYPES)[number];

/** The pattern compiled as the matcher will use it, or why it cannot be. */
function regexProblem(text: string): string | undefined {
  const compiled = anchored(text);
  return compiled instanceof RegExp ? undefined : `expected a JavaScript regular expression: ${compiled.problem}`;
}

const attributeMatcher = z
  .strictObject({
    key: z.string().min(1).describe('The attribute name, e.g. `route` or `service.name`.'),
    value: z
      .union([z.string(), z.number(), z.boolean()])
      .optional()
      .describe('The value it must have (with `match_type: regexp`, a pattern for its text); absent: the attribute need only be present.'),
  })
  .describe('An attribute that must be present, with this value if one is given.');

export const matchPropertiesSchema = z
  .strictObject({
    match_type: z
      .enum(MATCH_TYPES)
      .default('strict')
      .describe('How names and values are compared: `strict` (equal) or `regexp` (a JavaScript regular expression that must match the whole text).'),
    metric_names: z
      .array(z.string().min(1))
      .optional()
      .describe('The series matches when its metric name matches any of these.'),
    attributes: z
      .array(attributeMatcher)
      .optional()
      .describe("The series matches when every one of these matches the point's attributes."),
    resource_attributes: z
      .array(attributeMatcher)
      .optional()
      .describe("The series matches when every one of these matches its resource's attributes."),
  })
  .superRefine((match, ctx) => {
    if (match.metric_names === undefined && match.attributes === undefined && match.resource_attributes === undefined) {
      ctx.addIssue({ code: 'custom', message: 'name at least one of metric_names, attributes, resource_attributes' });
    }
    if (match.match_type !== 'regexp') return;
    match.metric_names?.forEach((name, index) => {
      const problem = regexProblem(name);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, path: ['metric_names', index] });
    });
    for (const field of ['attributes', 'resource_attributes'] as const) {
      match[field]?.forEach((matcher, index) => {
        if (matcher.value === undefined) return;
        const problem = typeof matcher.value === 'string' ? regexProblem(matcher.value) : 'expected a string: with match_type regexp a value is a pattern';
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, path: [field, index, 'value'] });
      });
    }
  })
  .describe('What a series must have to match: every field given must match (names: any of them; attributes: all of them).');

export type MatchProperties = z.output<typeof matchPropertiesSchema>;

export const filterConfigSchema = z
  .strictObject({
    include: matchPropertiesSchema
      .optional()
      .describe('Keep only the series that match; absent: every series is kept unless excluded.'),
    exclude: matchPropertiesSchema.optional().describe('Drop the series that match, even if included.'),
  })
  .describe('Keeps or drops metric points by metric name, attributes and resource attributes.');

export type FilterConfig = z.output<typeof filterConfigSchema>;
