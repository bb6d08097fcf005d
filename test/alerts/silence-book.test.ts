import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeSilence, SilenceInit } from '../../src/component/silences.js';
import { HealthpipeError } from '../../src/errors.js';
import { MAX_SILENCES, StoredSilenceBook } from '../../src/alerts/silence-book.js';
import { openStore, type Store } from '../../src/storage/index.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';

const init = (overrides: Partial<SilenceInit> = {}): SilenceInit => ({
  matchers: { service: 'api' },
  startsAt: 0,
  endsAt: 100,
  comment: 'deploy, alice',
  ...overrides,
});

describe('StoredSilenceBook', () => {
  let store: Store;
  let now = 0;
  const keyed = () => store.component('healthpipe').keyed('silences');
  const book = (options = {}) => new StoredSilenceBook(keyed(), () => now, options);
  afterEach(() => {
    store.close();
    now = 0;
  });

  function refusal(make: () => unknown): string {
    try {
      make();
    } catch (error) {
      expect(error).toBeInstanceOf(HealthpipeError);
      expect((error as HealthpipeError).code).toBe('SILENCE_REFUSED');
      return (error as Error).message;
    }
    throw new Error('not refused');
  }

  it('refuses a malformed silence with the reason, and stores nothing', () => {
    store = openStore(':memory:');
    const silences = book();
    expect(refusal(() => silences.create(init({ matchers: {} })))).toMatch(/at least one matcher/);
    expect(refusal(() => silences.create(init({ matchers: { '': 'x' } })))).toMatch(/matchers/);
    expect(refusal(() => silences.create(init({ comment: '   ' })))).toMatch(/say why/);
    expect(refusal(() => silences.create(init({ comment: 'x'.repeat(1025) })))).toMatch(/comment/);
    expect(refusal(() => silences.create(init({ endsAt: Number.NaN })))).toMatch(/endsAt/);
    expect(refusal(() => silences.create(init({ startsAt: 100, endsAt: 100 })))).toMatch(/later than startsAt/);
    now = 200;
    expect(refusal(() => silences.create(init({ endsAt: 150 })))).toMatch(/already ended/);
    expect(refusal(() => silences.create({ ...init(), extra: 1 } as SilenceInit))).toMatch(/extra/);
    expect(keyed().entries()).toEqual([]);
    expect(silences.list()).toEqual([]);
  });

  it('holds at most its bound of silences not yet ended; an expiry or an end makes room', () => {
    store = openStore(':memory:');
    expect(MAX_SILENCES).toBe(1000);
    const silences = book({ maxSilences: 2 });
    const first = silences.create(init({ endsAt: 10 }));
    silences.create(init());
    expect(refusal(() => silences.create(init()))).toMatch(/at most 2/);
    now = 10;
    silences.create(init({ startsAt: 10 }));
    expect(refusal(() => silences.create(init()))).toMatch(/at most 2/);
    expect(silences.list().map((silence) => silence.id)).not.toContain(first.id);
    silences.expire(silences.list()[0]!.id);
    expect(silences.create(init()).id).toBeTypeOf('string');
  });

  it('gives each silence its own id, even when the id maker repeats itself', () => {
    store = openStore(':memory:');
    const ids = ['a', 'a', 'b'];
    const silences = book({ newId: () => ids.shift() ?? 'c' });
    expect([silences.create(init()).id, silences.create(init()).id]).toEqual(['a', 'b']);
  });

  it('keeps silences in the store across a restart, in start order; drops ended ones and rows that are not silences', () => {
    store = openStore(':memory:');
    const first = book();
    const late = first.create(init({ startsAt: 50, comment: 'later' }));
    now = 5;
    const early = first.create(init({ startsAt: 5, comment: 'sooner' }));
    first.create(init({ endsAt: 20 }));
    keyed().set('junk', { matchers: 'nope' });
    now = 30;
    const second = book();
    expect(second.list().map((silence: RuntimeSilence) => silence.comment)).toEqual(['sooner', 'later']);
    expect(second.list()).toEqual([early, late]);
    expect(keyed().entries().map(([key]) => key).sort()).toEqual([early.id, late.id].sort());
  });

  it('expires a silence now and announces it; an unknown id is undefined', () => {
    store = openStore(':memory:');
    const silences = book();
    const seen: number[] = [];
    silences.changes$.subscribe((list) => seen.push(list.length));
    const made = silences.create(init());
    now = 40;
    expect(silences.expire(made.id)).toEqual({ ...made, endsAt: 40 });
    expect(silences.expire(made.id)).toBeUndefined();
    expect(silences.expire('nobody')).toBeUndefined();
    expect(seen).toEqual([0, 1, 0]);
    expect(keyed().entries()).toEqual([]);
  });

  it('announces each end on changes$ when it has a scheduler, and stops its timer on close', () => {
    store = openStore(':memory:');
    const scheduler = new SteppingScheduler();
    const silences = new StoredSilenceBook(keyed(), scheduler);
    const seen: string[][] = [];
    silences.changes$.subscribe((list) => seen.push(list.map((silence) => silence.comment)));
    silences.create(init({ endsAt: 30, comment: 'short' }));
    silences.create(init({ endsAt: 60, comment: 'long' }));
    scheduler.advanceTo(30);
    scheduler.advanceTo(60);
    expect(seen).toEqual([[], ['short'], ['short', 'long'], ['long'], []]);
    expect(keyed().entries()).toEqual([]);

    silences.create(init({ startsAt: 60, endsAt: 90 }));
    silences.close();
    scheduler.advanceTo(100);
    expect(seen).toHaveLength(6);
  });
});
