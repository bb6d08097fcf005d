import { expect } from 'vitest';
import { Subject, map, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { EventBatch, EventState, HealthEvent, Level } from '../../../src/model/event.js';
import { healthEvent } from '../../../src/model/event-text.js';
import type { Store } from '../../../src/storage/index.js';
import { RECORDS_NAMESPACE } from '../../../processors/cooldown/cooldown-state.js';
import { cooldown, type CooldownOptions, type CooldownStateView } from '../../../processors/cooldown/cooldown.js';
import { cooldownProcessor } from '../../../processors/cooldown/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { SteppingScheduler } from '../../helpers/virtual-time.js';

export function newTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/**
 * Virtual time stepped by the test, whose clock reaches the time it is advanced to even when
 * nothing was scheduled there (SteppingScheduler's stays at the last action it ran).
 */
export class Clock extends SteppingScheduler {
  override advanceTo(time: number): void {
    super.advanceTo(time);
    this.frame = time;
  }
}

interface AlertOptions {
  readonly service?: string;
  readonly state?: EventState;
  readonly previousLevel?: Level;
  readonly flapping?: true;
  /** The resolve of a series whose source left (HealthEvent.left). */
  readonly left?: true;
  readonly labels?: Record<string, string>;
  readonly time?: number;
}

/** A health event as `threshold` makes one: the alert `<service>/latency`, fingerprinted without its level. */
export function alert(level: Level, options: AlertOptions = {}): HealthEvent {
  const service = options.service ?? 'api';
  return healthEvent({
    fingerprint: `${service}/latency`,
    service,
    rule: 'latency',
    level,
    previousLevel: options.previousLevel ?? 'info',
    value: level === 'critical' ? 3 : level === 'error' ? 2 : 1,
    threshold: 1,
    startsAt: 0,
    state: options.state ?? 'firing',
    labels: options.labels ?? { team: 'payments' },
    time: options.time ?? 0,
    ...(options.flapping === undefined ? {} : { flapping: true }),
    ...(options.left === undefined ? {} : { left: true }),
  });
}

/** The same alert resolved: `threshold` sets the level it fell back to. */
export function resolved(options: AlertOptions = {}): HealthEvent {
  return alert('info', { ...options, state: 'resolved' });
}

/** `api error firing`, `api info resolved`, `api error firing @200 (was critical)`: a readable diff. */
export function describeEvent(event: HealthEvent): string {
  let text = `${event.service} ${event.level} ${event.state}`;
  if (event.time !== 0) text += ` @${event.time}`;
  if (event.previousLevel !== 'info') text += ` (was ${event.previousLevel})`;
  if (event.flapping === true) text += ' flapping';
  if (event.left === true) text += ' left';
  return text;
}

export const describeBatch = map((batch: EventBatch) => batch.map(describeEvent));

export interface CooldownUnderTest {
  readonly operator: OperatorFunction<EventBatch, EventBatch>;
  readonly ctx: TestContext;
}

/** The cooldown as the runtime makes it: config parsed by its schema, a context with a real (in-memory) store. */
export function cooldownOperator(config: Record<string, unknown>, scheduler: SchedulerLike, store?: Store): CooldownUnderTest {
  const ctx = createTestContext({ id: 'alerts/cooldown', scheduler, ...(store === undefined ? {} : { store }) });
  return { operator: cooldownProcessor.create(cooldownProcessor.schema.parse(config), ctx), ctx };
}

/** A cooldown subscribed to a subject: what a test feeds it and what came out, batch by batch. */
export function subscribedCooldown(config: Record<string, unknown>, scheduler: SchedulerLike, store?: Store) {
  const { operator, ctx } = cooldownOperator(config, scheduler, store);
  const input = new Subject<EventBatch>();
  const out: string[][] = [];
  const subscription = input.pipe(operator, describeBatch).subscribe((batch) => out.push(batch));
  return { input, out, subscription, ctx };
}

/** What the cooldown keeps in the store, by fingerprint. */
export function storedAlerts(ctx: TestContext): string[] {
  return ctx.storage
    .keyed(RECORDS_NAMESPACE)
    .entries()
    .map(([key]) => key)
    .sort();
}

/** The cooldown operator with a probe on its state. */
export function probed(period: number, scheduler: Clock, overrides: Partial<CooldownOptions> = {}) {
  const ctx = createTestContext({ id: 'alerts/cooldown', scheduler });
  let latest: CooldownStateView | undefined;
  const operator = cooldown({
    component: ctx.id,
    period,
    repeatInterval: undefined,
    sendResolved: true,
    silences: [],
    maxAlerts: 10,
    storage: ctx.storage,
    scheduler,
    onRepeat: undefined,
    onOverflow: undefined,
    onMuted: undefined,
    probe: (state) => (latest = state),
    ...overrides,
  });
  return { operator, ctx, view: (): CooldownStateView => latest! };
}
