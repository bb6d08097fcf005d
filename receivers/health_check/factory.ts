import { defineReceiver } from '../../src/index.js';
import { healthCheckConfigSchema } from './config.js';
import { createHealthCheckReceiver } from './receiver.js';

export const healthCheckReceiver = defineReceiver({
  type: 'health_check',
  description: 'Checks services over HTTP, TCP or any Nagios plugin: up, duration, error type and a debounced state on every check',
  discovery: { sourcesKey: 'targets_from' },
  schema: healthCheckConfigSchema,
  create: (config, context) => createHealthCheckReceiver(config, context),
});
