import { z } from 'zod';
import { duration } from '../../src/config/units.js';

/**
 * `prefault` is zod 4's default on the input side: the '15s' text goes through `duration()`
 * like a written value, and the generated docs show it as written.
 */
export const internalReceiverSchema = z.strictObject({
  collection_interval: duration({
    min: '100ms',
    max: '24h',
    maxReason: 'counters read less than once a day tell nothing about a running agent',
  })
    .prefault('15s')
    .describe("How often the agent's own counters are read and emitted."),
});

export type InternalReceiverConfig = z.output<typeof internalReceiverSchema>;
