import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/runtime/runtime.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'healthpipe-runtime-deadline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Node's largest timer delay; a longer one fires after 1 ms. */
const NODE_TIMER_LIMIT = 2 ** 31 - 1;

describe('Runtime.stop', () => {
  it('schedules a 30-day shutdown deadline in steps that each fit a Node timer', async () => {
    const file = join(dir, 'pipeline.yaml');
    writeFileSync(
      file,
      `receivers:
  process:
    collection_interval: 1h
    targets: [{ service: me, self: true }]
exporters:
  console: { format: json }
service:
  data_dir: ./data
  shutdown_timeout: 30d
  pipelines:
    metrics:
      receivers: [process]
      exporters: [console]
`,
    );
    const delays: number[] = [];
    const scheduler: SchedulerLike = {
      now: () => asyncScheduler.now(),
      schedule: (work: never, delay?: number, state?: never) => {
        delays.push(delay ?? 0);
        return asyncScheduler.schedule(work, delay, state);
      },
    } as SchedulerLike;
    const runtime = await Runtime.start({ files: [file], scheduler, logger: new JsonLogger({ level: 'error', sink: new MemoryLogSink(), now: () => scheduler.now() }) });
    expect(await runtime.stop()).toBe(true);
    // Today the whole 30 days go to one timer, which Node fires after 1 ms.
    expect(delays.filter((delay) => delay > NODE_TIMER_LIMIT)).toEqual([]);
    expect(delays).toContain(24 * 24 * 60 * 60 * 1000);
  });
});
