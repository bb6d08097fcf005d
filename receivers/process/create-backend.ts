import type { ProcessBackend } from './backend.js';
import type { ProcessConfig } from './config.js';
import { PidusageBackend } from './pidusage-backend.js';
import { ProcfsBackend } from './procfs-backend.js';

export function createBackend(config: ProcessConfig, now: () => number): ProcessBackend {
  if (config.backend === 'pidusage') return new PidusageBackend(now, config.collection_interval);
  return new ProcfsBackend({ fileDescriptors: config.metrics['process.unix.file_descriptor.count'].enabled });
}
