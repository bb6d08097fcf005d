import { z } from 'zod';
import { duration } from '../../src/config/units.js';

/**
 * `prefault` is zod 4's default on the input side: the '15s' text goes through `duration()`
 * like a written value, and the generated docs show it as written.
 */
export const internalReceiverSchema = z.strictObject({
  collection_interval: duration({ min: 100 })
    .prefault('15s')
    .describe("How often the agent's own counters are read and emitted."),
});

export type InternalReceiverConfig = z.output<typeof internalReceiverSchema>;
