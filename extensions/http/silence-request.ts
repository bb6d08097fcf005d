import { HealthpipeError, silenceInitFrom, silenceInitSchema, type SilenceBook, type SilenceInit } from '../../src/index.js';
import { Refusal } from './answer.js';

/** The silence a POST /api/silences body asks for, starting now unless it says when: 400 with every problem otherwise. */
export function silenceInitOf(body: unknown, now: number): SilenceInit {
  const parsed = silenceInitSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.length === 0 ? 'body' : issue.path.join('.')}: ${issue.message}`);
    throw new Refusal(400, `invalid silence: ${problems.join('; ')}`);
  }
  return silenceInitFrom(parsed.data, now);
}

/** Makes the silence; what the book refuses (one already ended, too many active) is the client's to fix: 400. */
export function createdSilence(silences: SilenceBook, init: SilenceInit) {
  try {
    return silences.create(init);
  } catch (error) {
    if (error instanceof HealthpipeError && error.code === 'SILENCE_REFUSED') throw new Refusal(400, error.message);
    throw error;
  }
}
