import { describe, expect, it } from 'vitest';
import { healthCheckConfigSchema } from '../../../receivers/health_check/config.js';

function issues(input: unknown): string[] {
  const result = healthCheckConfigSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('health_check receiver config', () => {
  it('fills every default from the schema: 15s, 5s, thresholds 3 and 2', () => {
    expect(healthCheckConfigSchema.parse({})).toEqual({
      collection_interval: 15_000,
      timeout: 5_000,
      concurrency: 100,
      failure_threshold: 3,
      success_threshold: 2,
      targets: [],
      targets_from: [],
    });
  });

  it("parses DESIGN.md's example, with per-target interval and timeout, and a timeout longer than the interval", () => {
    const config = healthCheckConfigSchema.parse({
      collection_interval: '100ms',
      timeout: '5s',
      targets: [
        { service: 'api', http: { url: 'http://127.0.0.1:8080/health' } },
        { service: 'postgres', tcp: { host: '127.0.0.1', port: 5432 }, labels: { team: 'data' }, timeout: '1s' },
        {
          service: 'disk',
          collection_interval: '1m',
          exec: { command: ['/usr/lib/nagios/plugins/check_disk', '-w', '20%', '-c', '10%', '-p', '/'], env: { LANG: 'C' }, cwd: '/' },
        },
      ],
      targets_from: ['registry'],
    });
    expect(config.collection_interval).toBe(100);
    expect(config.targets[0]).toMatchObject({ service: 'api', labels: {}, http: { url: 'http://127.0.0.1:8080/health', method: 'GET' } });
    expect(config.targets[1]).toMatchObject({ tcp: { host: '127.0.0.1', port: 5432 }, labels: { team: 'data' }, timeout: 1000 });
    expect(config.targets[2]).toMatchObject({ collection_interval: 60_000, exec: { env: { LANG: 'C' }, cwd: '/' } });
  });

  it('wants exactly one of http, tcp or exec per target, and says so at the target', () => {
    expect(issues({ targets: [{ service: 'a' }] })).toEqual(['targets.0: a health check target needs one of http, tcp or exec']);
    expect(
      issues({ targets: [{ service: 'ok', tcp: { host: 'h', port: 1 } }, { service: 'a', tcp: { host: 'h', port: 1 }, exec: { command: ['x'] } }] }),
    ).toEqual(['targets.1: a health check target needs exactly one of http, tcp or exec, not tcp and exec']);
  });

  it('refuses an interval under 100ms, an empty command, a bad port, unknown keys and zero thresholds', () => {
    expect(issues({ collection_interval: '50ms' })).toEqual(['collection_interval: expected a duration of at least 100ms']);
    expect(issues({ targets: [{ service: 'a', exec: { command: [] } }] })).toHaveLength(1);
    expect(issues({ targets: [{ service: 'a', exec: { command: [''] } }] })).toEqual([
      'targets.0.exec.command: the program (the first word) must not be empty',
    ]);
    expect(issues({ targets: [{ service: 'a', tcp: { host: 'h', port: 70_000 } }] })[0]).toMatch(/^targets\.0\.tcp\.port: /);
    expect(issues({ targets: [{ service: 'a', exec: { command: ['x'], shell: true } }] })[0]).toMatch(/^targets\.0\.exec: /);
    expect(issues({ failure_threshold: 0, success_threshold: 0, concurrency: 0 })).toHaveLength(3);
  });

  it('accepts an http target in the http check schema', () => {
    expect(issues({ targets: [{ service: 'a', http: { url: 'https://example.test/health' } }] })).toEqual([]);
  });
});
