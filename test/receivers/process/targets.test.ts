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

  it('maps discovered instances with a PID, PID file, command line or executable, and skips the others', () => {
    const invalid: string[] = [];
    const targets = discoveredTargets(
      [
        { id: 'api-1', source: 'registry', service: 'api', pid: 11, labels: { zone: 'a' } },
        { id: 'api-2', source: 'registry', service: 'api', pidFile: '/run/api-2.pid', labels: {} },
        { id: 'web-1', source: 'registry', service: 'web', healthUrl: 'http://127.0.0.1:8080/health', labels: {} },
        { id: 'wk-1', source: 'registry', service: 'worker', commandLine: 'node .*worker', executable: 'node', labels: {} },
        { id: 'ng-1', source: 'registry', service: 'web', executable: 'nginx', labels: {} },
        { id: 'bad-1', source: 'registry', service: 'bad', commandLine: '(unclosed', labels: {} },
      ],
      (instance, problem) => invalid.push(`${instance.id}: ${problem}`),
    );
    expect(targets.map((target) => [target.key, target.instanceId, target.eachProcessIsAnInstance])).toEqual([
      ['instance registry api-1 pid 11', 'api-1', false],
      ['instance registry api-2 pid_file /run/api-2.pid', 'api-2', false],
      ['instance registry wk-1 command_line node .*worker', 'wk-1', true],
      ['instance registry ng-1 executable nginx', 'ng-1', true],
    ]);
    expect(targets[0]).toMatchObject({ service: 'api', selector: { kind: 'pid', pid: 11 }, labels: { zone: 'a' } });
    expect(targets[2]!.selector).toEqual({ kind: 'command_line', pattern: /node .*worker/ });
    expect(invalid).toEqual([expect.stringMatching(/^bad-1: command_line: expected a JavaScript regular expression/)]);
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
