import { describe, expect, it } from 'vitest';
import { cooldownConfigSchema } from '../../../processors/cooldown/config.js';

function problems(config: unknown): Array<{ path: string; message: string }> {
  const result = cooldownConfigSchema.safeParse(config);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

const silence = { matchers: { service: 'api' }, ends_at: '2026-12-01T18:00:00Z', comment: 'deploy' };

describe('cooldown config', () => {
  it('defaults to the ancestor’s 300 s period, resolves sent, no repeat, no silences', () => {
    expect(cooldownConfigSchema.parse({})).toEqual({ period: 300_000, send_resolved: true, silences: [], max_alerts: 100_000 });
  });

  it('parses silence times with a zone into ms since the epoch', () => {
    const config = cooldownConfigSchema.parse({ silences: [{ ...silence, starts_at: '2026-12-01T17:00:00+01:00' }] });
    expect(config.silences[0]).toEqual({
      matchers: { service: 'api' },
      starts_at: Date.parse('2026-12-01T16:00:00Z'),
      ends_at: Date.parse('2026-12-01T18:00:00Z'),
      comment: 'deploy',
    });
  });

  it('reports every problem of the silences with its path', () => {
    const found = problems({
      silences: [
        { ...silence, ends_at: '2026-12-01T18:00:00' },
        { ...silence, starts_at: '2026-12-01T19:00:00Z' },
        { ...silence, matchers: {} },
        { matchers: { service: 'api' }, ends_at: '2026-12-01T18:00:00Z' },
        { ...silence, matchers: { service: 'api', level: 'error' }, until: 'tomorrow' },
      ],
    });
    expect(found.map((problem) => problem.path)).toEqual([
      'silences.0.ends_at',
      'silences.1.ends_at',
      'silences.2.matchers',
      'silences.3.comment',
      'silences.4',
    ]);
    expect(found[0]!.message).toContain('with a zone');
    expect(found[1]!.message).toContain('later than starts_at');
    expect(found[2]!.message).toContain('every alert');
  });

  it('refuses a repeat_interval shorter than the period, and unknown keys', () => {
    expect(problems({ period: '5m', repeat_interval: '1m' })).toEqual([{ path: 'repeat_interval', message: expect.stringContaining('at least period') }]);
    expect(problems({ repeat_interval: '4h' })).toEqual([]);
    expect(problems({ cooldown: '5m' }).map((problem) => problem.path)).toEqual(['']);
  });
});
