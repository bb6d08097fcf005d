import { duration, z } from '../../src/index.js';

/**
 * No default of its own: unset, the receiver follows `service.telemetry.metrics.interval`,
 * the agent-wide setting for how often its own metrics are read.
 */
export const internalReceiverSchema = z.strictObject({
  collection_interval: duration({
    min: '100ms',
    max: '24h',
    maxReason: 'counters read less than once a day tell nothing about a running agent',
  })
    .optional()
    .describe("How often the agent's own counters are read and emitted. Unset: `service.telemetry.metrics.interval` (15s by default), followed across reloads."),
});

export type InternalReceiverConfig = z.output<typeof internalReceiverSchema>;
