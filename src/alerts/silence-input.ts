import { z } from 'zod';
import { duration } from '../config/units.js';
import type { SilenceInit } from '../component/silences.js';

/** Bounds of one silence's text, the same for configured and run-time silences. */
export const SILENCE_LIMITS = { matchers: 64, name: 256, value: 1024, comment: 1024 } as const;

/** Longest `duration` of a run-time silence: a year; longer is a `filter`, not a silence. */
const MAX_SILENCE_DURATION = '366d';

/**
 * A point in time as ISO-8601 with a zone (`2026-12-01T18:00:00Z`, `…+01:00`); the parsed
 * value is milliseconds since the epoch. A time without a zone is refused: whose clock it
 * meant is a guess (the ancestor's naive timestamps were one of its bugs).
 */
export function instant() {
  return z.iso
    .datetime({ offset: true, error: 'expected an ISO-8601 time with a zone, such as 2026-12-01T18:00:00Z' })
    .transform((text) => Date.parse(text));
}

/** Equality matchers, all of which must hold: at least one (an empty silence would mute every alert). */
export function silenceMatchers() {
  return z
    .record(z.string().min(1).max(SILENCE_LIMITS.name), z.string().max(SILENCE_LIMITS.value))
    .refine((matchers) => Object.keys(matchers).length > 0, 'name at least one matcher: an empty silence would mute every alert')
    .refine((matchers) => Object.keys(matchers).length <= SILENCE_LIMITS.matchers, `at most ${SILENCE_LIMITS.matchers} matchers`);
}

/** Why, and by whom: required, so a silence is never a mystery to the next person on call. */
export function silenceComment() {
  return z.string().trim().min(1, 'say why the alerts are silenced').max(SILENCE_LIMITS.comment);
}

/**
 * What the HTTP API accepts to create a run-time silence (Alertmanager's fields, snake_case):
 * matchers, an optional start, and either an end or a duration from the start.
 *
 *   { "matchers": { "service": "api" }, "duration": "2h", "comment": "deploy, alice" }
 */
export const silenceInitSchema = z
  .strictObject({
    matchers: silenceMatchers().describe(
      'Equality matchers, all of which must hold: `service`, `rule` and `level` match those fields of the alert, any other name one of its labels (a label the alert lacks matches only ""). Values are compared exactly.',
    ),
    starts_at: instant().optional().describe('When the silence begins (ISO-8601 with a zone); absent: now.'),
    ends_at: instant().optional().describe('When the silence ends (ISO-8601 with a zone), later than starts_at. Give this or `duration`.'),
    duration: duration({ min: '1s', max: MAX_SILENCE_DURATION, maxReason: 'a silence of more than a year is a filter' })
      .optional()
      .describe('How long the silence lasts from its start (`2h`, `30m`), in place of ends_at.'),
    comment: silenceComment().describe('Why the alerts are silenced, and by whom.'),
  })
  .superRefine((input, ctx) => {
    if ((input.ends_at === undefined) === (input.duration === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'give either ends_at or duration (one of them, not both)' });
    } else if (input.starts_at !== undefined && input.ends_at !== undefined && input.ends_at <= input.starts_at) {
      ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'ends_at must be later than starts_at' });
    }
  });

export type SilenceInput = z.output<typeof silenceInitSchema>;

/**
 * The silence a valid input asks for, its times resolved against `now`: an absent start is
 * now, a duration counts from the start. Whether it has already ended is the book's to say.
 */
export function silenceInitFrom(input: SilenceInput, now: number): SilenceInit {
  const startsAt = input.starts_at ?? now;
  return {
    matchers: { ...input.matchers },
    startsAt,
    endsAt: input.ends_at ?? startsAt + input.duration!,
    comment: input.comment,
  };
}
