import { VirtualTimeScheduler, of, type Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricBatch } from '../../../src/model/point.js';
import type { SampleResult } from '../../../receivers/process/backend.js';
import { scrapeOnSchedule, type Scrape } from '../../../receivers/process/polling.js';
import { ProcessScraper } from '../../../receivers/process/scraper.js';
import { staticTargets } from '../../../receivers/process/targets.js';
import { createTestContext } from '../../helpers/context.js';
import { SteppingScheduler } from '../../helpers/virtual-time.js';
import { FakeBackend } from './fake-backend.js';

const HOST = { hostname: 'host-a', cores: 2, totalMemory: () => 1000 };
const targets = staticTargets([{ service: 'api', pid: 100, labels: {} }]);

/** Lets the promises that settled run their callbacks. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

let subscription: Subscription | undefined;
afterEach(() => subscription?.unsubscribe());

describe('process receiver polling', () => {
  it('cuts a scrape that hangs at the timeout, counts and logs it, and scrapes again on time (today it stalls for good)', async () => {
    const scheduler = new SteppingScheduler();
    const context = createTestContext({ scheduler });
    const signals: AbortSignal[] = [];
    const scraped: number[] = [];
    let calls = 0;
    const scrape: Scrape = (_targets, signal) => {
      signals.push(signal);
      scraped.push(scheduler.now());
      // The first scrape never answers (a PID file on a stuck mount); the others do.
      return calls++ === 0 ? new Promise<MetricBatch>(() => {}) : Promise.resolve([]);
    };
    subscription = scrapeOnSchedule(of(targets), scrape, { collection_interval: 100, timeout: 250 }, context).subscribe();

    scheduler.advanceTo(249);
    await settle();
    // Still hanging: the ticks at 100 and 200 found it busy.
    expect(scraped).toEqual([0]);
    expect(context.telemetry.counts).toMatchObject({ skipped: 2, timedOut: 0 });

    scheduler.advanceTo(250);
    expect(signals[0]!.aborted).toBe(true);
    expect(context.telemetry.counts.timedOut).toBe(1);
    scheduler.advanceTo(300);
    await settle();
    scheduler.advanceTo(400);
    await settle();
    expect(scraped).toEqual([0, 300, 400]);
    const warnings = context.logs.records().filter((record) => record.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('took longer than 250 ms');
  });

  it('leaves the state of the targets alone when a scrape that was cut comes back late', async () => {
    const scheduler = new VirtualTimeScheduler();
    scheduler.frame = Date.UTC(2024, 0, 1, 0, 10);
    const context = createTestContext({ scheduler });
    const backend = new HeldBackend();
    backend.set({ pid: 100 });
    const scraper = new ProcessScraper(backend, context, HOST);
    const utilization = (batch: MetricBatch) => batch.some((point) => point.series.name === 'process.cpu.utilization');

    await scraper.scrape(targets, new AbortController().signal);
    // A scrape of another set is cut while its read hangs; a later scrape takes over.
    const cut = new AbortController();
    backend.hold = true;
    const late = scraper.scrape(staticTargets([{ service: 'other', pid: 200, labels: {} }]), cut.signal);
    cut.abort();
    backend.hold = false;
    scheduler.frame += 1000;
    expect(utilization(await scraper.scrape(targets, new AbortController().signal))).toBe(true);

    backend.release();
    expect(await late).toEqual([]);
    scheduler.frame += 1000;
    // Had the late scrape forgotten `api` (it was not in its set), the CPU history would be gone.
    expect(utilization(await scraper.scrape(targets, new AbortController().signal))).toBe(true);
  });
});

/** A fake backend whose reads can be held until `release()`. */
class HeldBackend extends FakeBackend {
  hold = false;
  private held: Array<() => void> = [];

  override read(pids: readonly number[]): Promise<readonly SampleResult[]> {
    const answer = super.read(pids);
    if (!this.hold) return answer;
    return new Promise((resolve) => this.held.push(() => resolve(answer)));
  }

  release(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }
}
