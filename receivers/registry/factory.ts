import { defineReceiver } from '../../src/index.js';
import { registryConfigSchema } from './config.js';
import { registryReceiver$ } from './receiver.js';
import { createSource } from './sources.js';

export const registryReceiver = defineReceiver({
  type: 'registry',
  description: 'Follows a registry (a watched YAML/JSON file, etcd or an http_sd endpoint) and drives the targets of the receivers that name it in targets_from',
  discovery: { publishes: true },
  schema: registryConfigSchema,
  create: (config, context) => registryReceiver$(createSource(config, context), config, context),
});
