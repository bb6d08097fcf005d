import { boundedInt, duration, z } from '../../src/index.js';

const MAX_BATCH = 1_000_000;
const MAX_REASON = 'a batch is held in memory whole; a million points is already over 100 MB';

export const batchConfigSchema = z
  .strictObject({
    send_batch_size: boundedInt({ min: 1, max: MAX_BATCH, maxReason: MAX_REASON })
      .default(8192)
      .describe('A batch leaves as soon as this many points are held, without waiting for the timeout.'),
    send_batch_max_size: boundedInt({ min: 0, max: MAX_BATCH, maxReason: MAX_REASON })
      .default(0)
      .describe('Largest batch sent: larger ones are split. 0: no limit. When set, at least `send_batch_size`.'),
    timeout: duration({ min: '0ms', max: '1h', maxReason: 'points held longer than an hour are stale before they are sent' })
      .prefault('200ms')
      .describe('Longest a point waits for its batch to fill: the batch leaves this long after its first point came. 0: batches leave as they come (only split).'),
  })
  .superRefine((config, ctx) => {
    if (config.send_batch_max_size !== 0 && config.send_batch_max_size < config.send_batch_size) {
      ctx.addIssue({ code: 'custom', message: 'expected 0 or at least send_batch_size', path: ['send_batch_max_size'] });
    }
  })
  .describe('Gathers metric points into batches by size and time, and splits batches that are too large.');

export type BatchConfig = z.output<typeof batchConfigSchema>;
