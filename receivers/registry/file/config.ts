import { duration, size, z } from '../../../src/index.js';

const MiB = 1024 * 1024;

const fileOptionsSchema = z.strictObject({
  path: z.string().min(1).describe("The registry file, YAML or JSON; relative to the agent's working directory"),
  poll_interval: duration({ min: '100ms', max: '1h', maxReason: 'a file checked less than hourly is not followed' })
    .prefault('5s')
    .describe(
      "How often the file is checked besides the directory watch (for editors and tools that swap a symlink or rename over it, and file systems without change events); each check that finds the file unchanged confirms its instances' heartbeats",
    ),
  debounce: duration({ max: '10s', maxReason: 'a change held back longer is not followed' })
    .prefault('100ms')
    .describe('A burst of change events (an editor writing in steps) is read once, this long after its last event'),
  max_size: size({ min: 1, max: 256 * MiB, maxReason: 'a registry file is read whole on every change' })
    .prefault('4MiB')
    .describe('A larger file is refused (the registry is down, its last set stands) rather than read'),
});

export type FileSourceConfig = z.output<typeof fileOptionsSchema>;

/** `file: ./services.yaml`, or `file: { path: ./services.yaml, poll_interval: 5s }`. */
export const fileSourceSchema = z
  .union([z.string().min(1).transform((path): FileSourceConfig => fileOptionsSchema.parse({ path })), fileOptionsSchema])
  .describe('A YAML or JSON file of instances, watched: a path, or the path with options');
