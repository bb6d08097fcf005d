import { defineReceiver } from '../../src/index.js';
import type { ReceiverFactory } from '../../src/index.js';
import { internalReceiverSchema } from './config.js';
import { internalMetrics$, type MetricSource } from './receiver.js';

/**
 * The factory needs the runtime's SelfTelemetry (or any MetricSource) passed in, rather
 * than found through module state, so two runtimes in one process (reload, tests) never
 * read each other's counters. The runtime registers what this returns.
 */
export function createInternalReceiverFactory(selfTelemetry: MetricSource): ReceiverFactory<typeof internalReceiverSchema> {
  return defineReceiver({
    type: 'internal',
    description: "The agent's own telemetry: points accepted, refused, sent, failed, dropped and queue sizes per component.",
    schema: internalReceiverSchema,
    create: (config, context) => internalMetrics$(selfTelemetry, config, context),
  });
}
