import { parseDuration, z, type SilenceInit } from '../../src/index.js';
import { Refusal } from './answer.js';

// The store engineer's `silenceInitSchema` (src/alerts/silence-input.ts) is not on this
// branch yet: this small schema checks a POST /api/silences body until it replaces it.

const MAX_MATCHERS = 16;
/** A run-time silence is for an outage or a deploy, not a standing rule: those belong in the config. */
const MAX_SILENCE_MS = 31 * 24 * 3600 * 1000;

const time = z.iso.datetime({ offset: true }).transform((text) => Date.parse(text));

export const silenceRequestSchema = z
  .strictObject({
    matchers: z
      .record(z.string().min(1).max(128), z.string().max(1024))
      .refine((matchers) => Object.keys(matchers).length >= 1, 'expected at least one matcher, such as {"service": "api"}')
      .refine((matchers) => Object.keys(matchers).length <= MAX_MATCHERS, `expected at most ${MAX_MATCHERS} matchers`),
    comment: z.string().trim().min(1, 'expected why, and by whom').max(1024),
    starts_at: time.optional(),
    ends_at: time.optional(),
    duration: z
      .string()
      .refine((text) => parseDuration(text) !== undefined, 'expected a duration such as 30m or 2h')
      .transform((text) => parseDuration(text)!)
      .optional(),
  })
  .refine((body) => (body.ends_at === undefined) !== (body.duration === undefined), 'expected exactly one of ends_at and duration');

/** The silence a request body asks for, starting now unless it says when: 400 with every problem otherwise. */
export function silenceInitOf(body: unknown, now: number): SilenceInit {
  const parsed = silenceRequestSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.length === 0 ? 'body' : issue.path.join('.')}: ${issue.message}`);
    throw new Refusal(400, `invalid silence: ${problems.join('; ')}`);
  }
  const { matchers, comment, starts_at: startsAt = now, ends_at: endsAt, duration } = parsed.data;
  const end = endsAt ?? startsAt + duration!;
  if (end <= startsAt) throw new Refusal(400, 'invalid silence: it must end after it starts');
  if (end <= now) throw new Refusal(400, 'invalid silence: it would end in the past');
  if (end - startsAt > MAX_SILENCE_MS) throw new Refusal(400, 'invalid silence: at most 31 days long');
  return { matchers, comment, startsAt, endsAt: end };
}
