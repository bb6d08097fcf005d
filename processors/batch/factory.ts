import { defineProcessor } from '../../src/index.js';
import { batchPoints } from './batch-points.js';
import { batchConfigSchema } from './config.js';

export const batchProcessor = defineProcessor({
  type: 'batch',
  description: 'Gathers metric points into batches by size and timeout, and splits batches larger than a maximum.',
  schema: batchConfigSchema,
  input: 'metrics',
  output: 'metrics',
  create: (config, ctx) =>
    batchPoints({
      sendBatchSize: config.send_batch_size,
      sendBatchMaxSize: config.send_batch_max_size,
      timeout: config.timeout,
      scheduler: ctx.scheduler,
    }),
});
