import { boundedInt, size, z } from '../../src/index.js';

export const fileConfigSchema = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .describe('The file written, one JSON object per line (the console exporter\'s `json` format). Its directory is created when missing.'),
    max_size: size({ min: 1024 })
      .prefault('64MiB')
      .describe('Size past which the file is rotated: it becomes `<path>.1`, the older ones move up (`.2`, `.3`, …).'),
    max_files: boundedInt({ min: 1, max: 1000, maxReason: 'each rotation renames every kept file' })
      .default(5)
      .describe('Files kept, the one written included: `<path>` and `<path>.1` … `<path>.<max_files − 1>`; the oldest beyond goes. 1 starts the file anew.'),
  })
  .describe('Writes metric points and alerts as JSON lines to a file rotated by size; alerts are never dropped.');

export type FileConfig = z.output<typeof fileConfigSchema>;
