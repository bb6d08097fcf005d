import type { SchedulerLike } from 'rxjs';
import { isoTime, type RuntimeSilence, type SilenceBook } from '../../src/index.js';
import { Refusal, quoted, sendJson } from './answer.js';
import { readJsonBody } from './body.js';
import { QueryParameters } from './query.js';
import type { Handler } from './routes.js';
import { createdSilence, silenceInitOf } from './silence-request.js';
import type { BearerToken } from './token.js';

function silenceRecord(silence: RuntimeSilence) {
  return {
    id: silence.id,
    matchers: silence.matchers,
    starts_at: isoTime(silence.startsAt),
    ends_at: isoTime(silence.endsAt),
    comment: silence.comment,
    created_at: isoTime(silence.createdAt),
  };
}

export function listSilences(silences: SilenceBook): Handler {
  return ({ response, url }) => {
    new QueryParameters(url.searchParams, []);
    sendJson(response, 200, { silences: silences.list().map(silenceRecord) });
  };
}

/** POST: the token first, so a client without it learns nothing from the body's checks. */
export function createSilence(silences: SilenceBook, token: BearerToken, scheduler: SchedulerLike): Handler {
  return async ({ request, response }) => {
    token.require(request);
    const init = silenceInitOf(await readJsonBody(request), scheduler.now());
    sendJson(response, 201, { silence: silenceRecord(createdSilence(silences, init)) });
  };
}

export function expireSilence(silences: SilenceBook, token: BearerToken): Handler {
  return ({ request, response, captures }) => {
    token.require(request);
    const id = captures[0]!;
    const expired = silences.expire(id);
    if (expired === undefined) throw new Refusal(404, `no active silence ${quoted(id)}`);
    sendJson(response, 200, { silence: silenceRecord(expired) });
  };
}
