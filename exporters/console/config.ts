import { z } from 'zod';
import { boundedInt } from '../../src/index.js';
import { MIN_WIDTH } from './fit.js';

export const consoleConfigSchema = z
  .strictObject({
    format: z
      .enum(['table', 'json'])
      .default('table')
      .describe('`table`: one aligned table per batch, for people; `json`: one JSON object per line, for tools.'),
    output: z.enum(['stdout', 'stderr']).default('stdout').describe('The stream written to. Logs go to stderr.'),
    width: boundedInt({ min: MIN_WIDTH, max: 1000, maxReason: 'no terminal is wider' })
      .optional()
      .describe("Characters per table line; a longer line ends in `…`, never wraps. Unset: the terminal's width when the output is one, else 120."),
  })
  .describe('Prints metric points and alerts.');

export type ConsoleConfig = z.output<typeof consoleConfigSchema>;
