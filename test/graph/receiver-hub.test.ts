import { defer, NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ReceiverHub } from '../../src/graph/receiver-hub.js';
import { JsonLogger, MemoryLogSink } from '../../src/telemetry/logger.js';
import { SteppingScheduler } from '../helpers/virtual-time.js';

describe('ReceiverHub', () => {
  it('starts no receiver once closed: a reload cut short by a stop may attach one late', () => {
    const scheduler = new SteppingScheduler();
    const hub = new ReceiverHub('r', new JsonLogger({ level: 'debug', sink: new MemoryLogSink(), now: () => 0 }), scheduler);
    let subscriptions = 0;
    const receiver$ = defer(() => {
      subscriptions += 1;
      return NEVER;
    });
    hub.attach(receiver$, 'a');
    hub.close();
    hub.attach(receiver$, 'b');
    expect(subscriptions).toBe(1);
  });
});
