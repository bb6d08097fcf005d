import { describe, expect, it } from 'vitest';
import { parsePidFile } from '../../../receivers/process/pid-file.js';
import { discoveredTargets, staticTargets } from '../../../receivers/process/targets.js';

describe('targets', () => {
  it('keeps two identical configured targets apart', () => {
    const targets = staticTargets([
      { service: 'api', pid: 7, labels: {} },
      { service: 'api', pid: 7, labels: {} },
      { service: 'me', self: true, labels: { team: 'ops' } },
      { service: 'db', pid_file: '/run/db.pid', labels: {} },
    ]);
    expect(new Set(targets.map((target) => target.key)).size).toBe(4);
    expect(targets.map((target) => target.selector)).toEqual([
      { kind: 'pid', pid: 7 },
      { kind: 'pid', pid: 7 },
      { kind: 'self' },
      { kind: 'pid_file', path: '/run/db.pid' },
    ]);
    expect(targets[2]).toMatchObject({ service: 'me', instanceId: undefined, labels: { team: 'ops' } });
  });

  it('maps discovered instances with a PID or PID file, and skips the others', () => {
    const targets = discoveredTargets([
      { id: 'api-1', source: 'registry', service: 'api', pid: 11, labels: { zone: 'a' } },
      { id: 'api-2', source: 'registry', service: 'api', pidFile: '/run/api-2.pid', labels: {} },
      { id: 'web-1', source: 'registry', service: 'web', healthUrl: 'http://127.0.0.1:8080/health', labels: {} },
    ]);
    expect(targets).toEqual([
      { key: 'instance api-1', service: 'api', instanceId: 'api-1', selector: { kind: 'pid', pid: 11 }, labels: { zone: 'a' }, eachProcessIsAnInstance: false },
      { key: 'instance api-2', service: 'api', instanceId: 'api-2', selector: { kind: 'pid_file', path: '/run/api-2.pid' }, labels: {}, eachProcessIsAnInstance: false },
    ]);
  });
});

describe('parsePidFile', () => {
  it('accepts one positive integer with surrounding white space', () => {
    expect(parsePidFile('1234\n')).toBe(1234);
    expect(parsePidFile('  42 ')).toBe(42);
  });

  it('rejects anything else', () => {
    for (const text of ['', '\n', '0', '-5', '12 34', 'abc', '12abc', '1.5', '99999999999']) {
      expect(parsePidFile(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});
