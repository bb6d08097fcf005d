import { Subject, type Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricBatch } from '../../../../src/model/point.js';
import { scrapeOnSchedule, type Scrape } from '../../../../receivers/process/polling.js';
import { ProcessScraper } from '../../../../receivers/process/scraper.js';
import { staticTargets, type ProcessTarget } from '../../../../receivers/process/targets.js';
import { createTestContext } from '../../../helpers/context.js';
import { SteppingScheduler } from '../../../helpers/virtual-time.js';
import { FakeBackend } from '../fake-backend.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

function targetsOf(...services: string[]): ProcessTarget[] {
  return staticTargets(services.map((service) => ({ service, executable: service, labels: {} })));
}

let subscription: Subscription | undefined;
afterEach(() => subscription?.unsubscribe());

function setUp(interval = 15_000) {
  const scheduler = new SteppingScheduler();
  const context = createTestContext({ scheduler });
  const sets$ = new Subject<readonly ProcessTarget[]>();
  const scrapes: Array<{ at: number; services: string[] }> = [];
  const scrape: Scrape = (targets) => {
    scrapes.push({ at: scheduler.now(), services: targets.map((target) => target.service) });
    return Promise.resolve<MetricBatch>([]);
  };
  subscription = scrapeOnSchedule(sets$, scrape, { collection_interval: interval, timeout: 5_000 }, context).subscribe();
  const at = async (time: number) => {
    // The virtual clock only moves to a time something is scheduled at.
    scheduler.schedule(() => {}, time - scheduler.now());
    scheduler.advanceTo(time);
    await settle();
  };
  return { sets$, scrapes, at, context };
}

describe('scrapes of a changed target set', () => {
  it('scrapes a new set at once, not at the next interval, and keeps the regular phase', async () => {
    const { sets$, scrapes, at } = setUp();
    sets$.next(targetsOf('api'));
    await at(0);
    await at(4_000);
    sets$.next(targetsOf('api', 'worker'));
    await at(4_000);
    await at(15_000);
    expect(scrapes).toEqual([
      { at: 0, services: ['api'] },
      { at: 4_000, services: ['api', 'worker'] },
      { at: 15_000, services: ['api', 'worker'] },
    ]);
  });

  it('makes at most one extra scrape a second however often the set flaps, the last one with the newest set', async () => {
    const { sets$, scrapes, at, context } = setUp();
    sets$.next(targetsOf('api'));
    await at(0);
    for (let time = 2_000; time < 3_000; time += 100) {
      await at(time);
      sets$.next(time % 200 === 0 ? targetsOf('api', `w${time}`) : targetsOf('api'));
    }
    await at(5_000);
    // One at once (2,000), one for all the changes of the following second (3,000); 2,900's change is in that one.
    expect(scrapes.map((scrape) => scrape.at)).toEqual([0, 2_000, 3_000]);
    // 2,900 put the set back to api alone: the trailing scrape at 3,000 reads the newest set.
    expect(scrapes[2]!.services).toEqual(['api']);
    expect(context.telemetry.counts.skipped).toBe(0);
  });

  it('adds no extra scrape when the set only changes its objects, or before the first scrape ran', async () => {
    const { sets$, scrapes, at } = setUp();
    sets$.next(targetsOf('api'));
    sets$.next(targetsOf('api', 'worker'));
    await at(0);
    sets$.next(targetsOf('api', 'worker'));
    await at(14_999);
    expect(scrapes).toEqual([{ at: 0, services: ['api', 'worker'] }]);
  });

  it('still makes the extra scrape that was due when the source of the sets ends', async () => {
    const { sets$, scrapes, at } = setUp();
    sets$.next(targetsOf('api'));
    await at(0);
    await at(2_000);
    sets$.next(targetsOf('api', 'worker'));
    await at(2_500);
    sets$.next(targetsOf('api'));
    sets$.complete();
    await at(3_000);
    expect(scrapes).toEqual([
      { at: 0, services: ['api'] },
      { at: 2_000, services: ['api', 'worker'] },
      { at: 3_000, services: ['api'] },
    ]);
  });

  it('needs no extra scrape when the interval is a second or less', async () => {
    const { sets$, scrapes, at } = setUp(500);
    sets$.next(targetsOf('api'));
    await at(0);
    await at(200);
    sets$.next(targetsOf('api', 'worker'));
    await at(500);
    await at(1_000);
    expect(scrapes).toEqual([
      { at: 0, services: ['api'] },
      { at: 500, services: ['api', 'worker'] },
      { at: 1_000, services: ['api', 'worker'] },
    ]);
  });
});

describe('a scrape overtaken by a later one', () => {
  it('is dropped when it comes back after the later one was applied', async () => {
    const context = createTestContext();
    const backend = new FakeBackend();
    backend.set({ pid: 100 });
    let release: () => void = () => {};
    let hold = true;
    const read = backend.read.bind(backend);
    backend.read = (pids) => (hold ? new Promise((resolve) => (release = () => resolve(read(pids)))) : read(pids));
    const scraper = new ProcessScraper(backend, context, { hostname: 'h', cores: 1, totalMemory: () => 1 });
    const old = staticTargets([{ service: 'old', pid: 100, labels: {} }]);
    const slow = scraper.scrape(old);
    await settle();
    hold = false;
    const fresh = await scraper.scrape(staticTargets([{ service: 'new', pid: 100, labels: {} }]));
    expect(fresh.length).toBeGreaterThan(0);
    release();
    // Applied, it would have made `old` a target again and `new` one that left (stale markers).
    expect(await slow).toEqual([]);
  });
});
