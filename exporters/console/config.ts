import { z } from '../../src/index.js';

export const consoleConfigSchema = z
  .strictObject({
    format: z
      .enum(['table', 'json'])
      .default('table')
      .describe('`table`: one aligned table per batch, for people; `json`: one JSON object per line, for tools.'),
    output: z.enum(['stdout', 'stderr']).default('stdout').describe('The stream written to. Logs go to stderr.'),
  })
  .describe('Prints metric points and alerts.');

export type ConsoleConfig = z.output<typeof consoleConfigSchema>;
