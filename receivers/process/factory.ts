import { defineReceiver } from '../../src/component/define.js';
import { processConfigSchema } from './config.js';
import { createProcessReceiver } from './receiver.js';

export const processReceiver = defineReceiver({
  type: 'process',
  description: 'CPU, memory, threads, file descriptors and uptime of processes found by PID, PID file, name, command line, port, cgroup, systemd unit or discovery',
  discovery: { sourcesKey: 'targets_from' },
  schema: processConfigSchema,
  create: createProcessReceiver,
});
