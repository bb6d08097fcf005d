import { defineReceiver } from '../../src/index.js';
import { hostConfigSchema } from './config.js';
import { hostMetrics$ } from './receiver.js';

export const hostReceiver = defineReceiver({
  type: 'host',
  description: 'CPU, memory and network of the machine the agent runs on (@opentelemetry/host-metrics), on the host resource',
  schema: hostConfigSchema,
  create: hostMetrics$,
});
