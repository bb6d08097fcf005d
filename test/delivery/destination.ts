import { DeliveryQueue, type DeliveryQueueOptions } from '../../src/delivery/index.js';
import type { ComponentStorage } from '../../src/component/storage.js';
import { CountingTelemetry } from '../../src/telemetry/counters.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';

export interface Alert {
  readonly key: string;
  readonly n: number;
}

/** A fake destination: records each attempt with its virtual time; `answer` decides its fate. */
export class Destination {
  readonly attempts: Array<{ time: number; items: Alert[] }> = [];
  readonly accepted: Alert[] = [];
  answer: (items: readonly Alert[], attempt: number) => void = () => undefined;

  constructor(private readonly scheduler: SteppingScheduler) {}

  send = async (items: readonly Alert[]): Promise<void> => {
    this.attempts.push({ time: this.scheduler.now(), items: [...items] });
    this.answer(items, this.attempts.length);
    this.accepted.push(...items);
  };

  acceptedNames(): string[] {
    return this.accepted.map((item) => `${item.key}${item.n}`);
  }
}

/** Lets the promises of sends settle (no timing: one turn of the event loop). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Advances virtual time in steps, letting sends settle after each. */
export async function advance(scheduler: SteppingScheduler, ms: number, step = 1): Promise<void> {
  const end = scheduler.now() + ms;
  // What is due now runs (and its sends settle) before the clock moves on.
  for (let time = scheduler.now(); ; time = Math.min(end, time + step)) {
    scheduler.advanceTo(time);
    // The clock stands still when nothing was due: move it to where the test is.
    scheduler.frame = time;
    await settle();
    if (time >= end) return;
  }
}

export function queueFor(
  storage: ComponentStorage,
  scheduler: SteppingScheduler,
  destination: Destination,
  options: Partial<DeliveryQueueOptions<Alert>> = {},
) {
  const telemetry = new CountingTelemetry();
  const logs = new MemoryLogSink();
  const queue = new DeliveryQueue<Alert>({
    storage,
    scheduler,
    logger: new JsonLogger({ level: 'debug', sink: logs, now: () => scheduler.now() }),
    telemetry,
    send: destination.send,
    keyOf: (item) => item.key,
    retry: { randomization: 0 },
    ...options,
  });
  return { queue, telemetry, logs };
}

export const alerts = (...names: string[]): Alert[] => names.map((name) => ({ key: name[0]!, n: Number(name.slice(1)) }));
