import { describe, expect, it } from 'vitest';
import { DEFAULT_ENABLED_METRICS, enabledMetrics, processConfigSchema } from '../../../receivers/process/config.js';
import { resolveBackend } from '../../../receivers/process/create-backend.js';
import { processReceiver } from '../../../receivers/process/factory.js';

function issues(input: unknown): string[] {
  const result = processConfigSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('process receiver config', () => {
  it('fills every default from the schema', () => {
    expect(processConfigSchema.parse({})).toEqual({
      collection_interval: 15_000,
      timeout: 5_000,
      targets: [],
      targets_from: [],
      backend: 'auto',
      metrics: {
        'process.cpu.time': { enabled: true },
        'process.cpu.utilization': { enabled: true },
        'process.memory.usage': { enabled: true },
        'process.memory.utilization': { enabled: true },
        'process.memory.virtual': { enabled: true },
        'process.thread.count': { enabled: true },
        'process.uptime': { enabled: true },
        'process.unix.file_descriptor.count': { enabled: false },
        'process.disk.io': { enabled: false },
        'process.network.connection.count': { enabled: false },
      },
      resource_attributes: { 'process.command_line': { enabled: false } },
    });
  });

  it('switches each metric on or off the way the collector does, and keeps the defaults of the others', () => {
    const config = processConfigSchema.parse({
      metrics: { 'process.cpu.utilization': { enabled: false }, 'process.disk.io': { enabled: true } },
      resource_attributes: { 'process.command_line': { enabled: true } },
    });
    expect(enabledMetrics(config.metrics)).toEqual({
      ...DEFAULT_ENABLED_METRICS,
      'process.cpu.utilization': false,
      'process.disk.io': true,
    });
    expect(config.resource_attributes['process.command_line'].enabled).toBe(true);
    expect(DEFAULT_ENABLED_METRICS['process.network.connection.count']).toBe(false);
    expect(DEFAULT_ENABLED_METRICS['process.cpu.time']).toBe(true);
  });

  it('resolves the auto backend when the receiver starts: procfs on Linux, pidusage elsewhere', () => {
    expect(resolveBackend('auto', 'linux')).toBe('procfs');
    expect(resolveBackend('auto', 'darwin')).toBe('pidusage');
    expect(resolveBackend('auto', 'win32')).toBe('pidusage');
    expect(resolveBackend('pidusage', 'linux')).toBe('pidusage');
    expect(resolveBackend('procfs', 'darwin')).toBe('procfs');
  });

  it('parses targets with each selector and labels', () => {
    const config = processConfigSchema.parse({
      collection_interval: '5s',
      targets: [
        { service: 'healthpipe', self: true },
        { service: 'api', pid_file: '/run/api.pid', labels: { team: 'payments' } },
        { service: 'worker', pid: 4242 },
      ],
      targets_from: ['registry'],
      backend: 'pidusage',
      metrics: { 'process.unix.file_descriptor.count': { enabled: true } },
    });
    expect(config.collection_interval).toBe(5000);
    expect(config.targets).toEqual([
      { service: 'healthpipe', self: true, labels: {}, exclude_self: true },
      { service: 'api', pid_file: '/run/api.pid', labels: { team: 'payments' }, exclude_self: true },
      { service: 'worker', pid: 4242, labels: {}, exclude_self: true },
    ]);
  });

  it('wants exactly one selector per target', () => {
    const message = 'a process target needs exactly one of self: true, pid, pid_file, executable, command_line, port, cgroup, unit';
    expect(issues({ targets: [{ service: 'a' }] })).toEqual([`targets.0: ${message}`]);
    expect(issues({ targets: [{ service: 'a', pid: 1, pid_file: '/run/a.pid' }] })).toEqual([`targets.0: ${message} (it has pid, pid_file)`]);
    expect(issues({ targets: [{ service: 'a', self: true, pid: 1 }] })).toEqual([`targets.0: ${message} (it has self, pid)`]);
    expect(issues({ targets: [{ service: 'a', executable: 'nginx', command_line: 'nginx' }] })).toEqual([
      `targets.0: ${message} (it has executable, command_line)`,
    ]);
  });

  it('parses the matching selectors; exclude_self is on unless turned off', () => {
    const config = processConfigSchema.parse({
      targets: [
        { service: 'web', executable: 'nginx' },
        { service: 'worker', command_line: 'node .*worker\\.js', exclude_self: false },
        { service: 'db', port: 5432 },
        { service: 'cache', cgroup: '/system.slice/redis.service' },
        { service: 'proxy', unit: 'haproxy.service' },
      ],
    });
    expect(config.targets.map((target) => target.exclude_self)).toEqual([true, false, true, true, true]);
    expect(config.targets[1]!.command_line).toBe('node .*worker\\.js');
  });

  it('reports a command line that is not a regular expression, and other bad selectors, at their path', () => {
    expect(issues({ targets: [{ service: 'a', pid: 1 }, { service: 'w', command_line: 'node (worker' }] })).toEqual([
      expect.stringMatching(/^targets\.1\.command_line: expected a JavaScript regular expression: .*Unterminated group/),
    ]);
    expect(issues({ targets: [{ service: 'a', executable: '/usr/bin/nginx' }] })).toEqual([
      'targets.0.executable: expected a process name without a directory, as ps -o comm shows it',
    ]);
    expect(issues({ targets: [{ service: 'a', port: 70000 }] })).toHaveLength(1);
    expect(issues({ targets: [{ service: 'a', cgroup: '/system.slice/../../etc' }] })).toEqual([
      'targets.0.cgroup: expected a cgroup path without . or .. segments, as /proc/PID/cgroup shows it',
    ]);
    expect(issues({ targets: [{ service: 'a', unit: 'nginx' }] })).toEqual(['targets.0.unit: expected a systemd unit name such as nginx.service']);
  });

  it('rejects unknown keys, bad values and a bad duration', () => {
    expect(issues({ interval: '15s' })).toHaveLength(1);
    expect(issues({ targets: [{ service: 'a', pid: 1, name: 'x' }] })).toHaveLength(1);
    expect(issues({ targets: [{ service: 'a', pid: 1.5 }] })).toHaveLength(1);
    expect(issues({ targets: [{ service: 'a', pid: -3 }] })).toHaveLength(1);
    expect(issues({ targets: [{ service: 'a', self: false }] }).length).toBeGreaterThan(0);
    expect(issues({ targets: [{ service: '', self: true }] })).toHaveLength(1);
    expect(issues({ backend: 'ps' })).toHaveLength(1);
    expect(issues({ collection_interval: 'often' })).toEqual(['collection_interval: expected a duration such as 500ms, 15s, 5m or 1h']);
    expect(issues({ metrics: { 'process.disk.reads': { enabled: true } } })).toHaveLength(1);
    expect(issues({ metrics: { 'process.scrape.error': { enabled: false } } })).toHaveLength(1);
    expect(issues({ resource_attributes: { 'process.command_line': { enabled: 'yes' } } })).toHaveLength(1);
  });

  it('is registered as the `process` receiver', () => {
    expect(processReceiver.kind).toBe('receiver');
    expect(processReceiver.type).toBe('process');
    expect(processReceiver.schema).toBe(processConfigSchema);
  });
});
