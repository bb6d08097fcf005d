import { defineReceiver } from '../../src/index.js';
import { hostConfigSchema } from './config.js';
import { hostMetrics$ } from './receiver.js';

export const hostReceiver = defineReceiver({
  type: 'host',
  description: 'CPU, memory (@opentelemetry/host-metrics) and network (/proc/net/dev) of the machine the agent runs on, on the host resource',
  schema: hostConfigSchema,
  create: (config, context) => hostMetrics$(config, context),
});
