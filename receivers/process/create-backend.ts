import type { ProcessBackend } from './backend.js';
import type { ProcessBackendName, ProcessConfig } from './config.js';
import { PidusageBackend } from './pidusage-backend.js';
import { ProcfsBackend } from './procfs-backend.js';

/** The backend `auto` stands for: /proc where there is one, pidusage elsewhere. */
export function resolveBackend(
  name: ProcessBackendName,
  platform: NodeJS.Platform = process.platform,
): Exclude<ProcessBackendName, 'auto'> {
  if (name !== 'auto') return name;
  return platform === 'linux' ? 'procfs' : 'pidusage';
}

export function createBackend(config: ProcessConfig, now: () => number): ProcessBackend {
  if (resolveBackend(config.backend) === 'pidusage') return new PidusageBackend(now, config.collection_interval);
  return new ProcfsBackend({
    fileDescriptors: config.metrics['process.unix.file_descriptor.count'].enabled,
    diskIo: config.metrics['process.disk.io'].enabled,
    connections: config.metrics['process.network.connection.count'].enabled,
    commandLine: config.resource_attributes['process.command_line'].enabled,
  });
}
