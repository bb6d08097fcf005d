import { describe, expect, it } from 'vitest';
import { silenceInitFrom, silenceInitSchema } from '../../src/index.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');

function problems(input: unknown): string[] {
  const parsed = silenceInitSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('silenceInitSchema: what the HTTP API accepts to make a silence', () => {
  it('takes matchers, a comment and a duration from now', () => {
    const input = silenceInitSchema.parse({ matchers: { service: 'api', team: '' }, duration: '2h', comment: '  deploy, alice ' });
    expect(silenceInitFrom(input, NOW)).toEqual({
      matchers: { service: 'api', team: '' },
      startsAt: NOW,
      endsAt: NOW + 2 * 3_600_000,
      comment: 'deploy, alice',
    });
  });

  it('takes a start and an end with zones, or a duration from the start', () => {
    const ends = silenceInitSchema.parse({
      matchers: { rule: 'latency' },
      starts_at: '2026-12-01T13:00:00+01:00',
      ends_at: '2026-12-01T12:30:00Z',
      comment: 'night',
    });
    expect(silenceInitFrom(ends, NOW)).toMatchObject({ startsAt: NOW, endsAt: NOW + 30 * 60_000 });
    const lasts = silenceInitSchema.parse({ matchers: { rule: 'latency' }, starts_at: '2026-12-01T18:00:00Z', duration: '30m', comment: 'night' });
    expect(silenceInitFrom(lasts, NOW)).toMatchObject({ startsAt: NOW + 6 * 3_600_000, endsAt: NOW + 6.5 * 3_600_000 });
  });

  it('refuses what a silence cannot be, saying where', () => {
    const ok = { matchers: { service: 'api' }, duration: '1h', comment: 'why' };
    expect(problems({ ...ok, matchers: {} })).toEqual(['matchers: name at least one matcher: an empty silence would mute every alert']);
    expect(problems({ ...ok, matchers: { service: 3 } })[0]).toMatch(/^matchers\.service: /);
    expect(problems({ ...ok, matchers: [] })[0]).toMatch(/^matchers: /);
    expect(problems({ ...ok, comment: '' })).toEqual(['comment: say why the alerts are silenced']);
    expect(problems({ ...ok, comment: 'x'.repeat(1025) })[0]).toMatch(/^comment: /);
    expect(problems({ ...ok, duration: '2 hours' })[0]).toMatch(/^duration: /);
    expect(problems({ ...ok, duration: '500ms' })[0]).toMatch(/^duration: .*at least 1s/);
    expect(problems({ ...ok, duration: undefined })).toEqual(['ends_at: give either ends_at or duration (one of them, not both)']);
    expect(problems({ ...ok, ends_at: '2026-12-01T13:00:00Z' })).toEqual(['ends_at: give either ends_at or duration (one of them, not both)']);
    expect(problems({ ...ok, duration: undefined, ends_at: '2026-12-01T13:00:00' })[0]).toMatch(/^ends_at: expected an ISO-8601 time with a zone/);
    expect(problems({ ...ok, duration: undefined, starts_at: '2026-12-01T13:00:00Z', ends_at: '2026-12-01T13:00:00Z' })).toEqual([
      'ends_at: ends_at must be later than starts_at',
    ]);
    expect(problems({ ...ok, id: 'mine' })[0]).toMatch(/id/);
  });
});
