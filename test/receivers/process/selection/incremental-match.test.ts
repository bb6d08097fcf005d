import { afterEach, describe, expect, it } from 'vitest';
import { ProcessMatcher } from '../../../../receivers/process/selection/matcher.js';
import { staticTargets } from '../../../../receivers/process/targets.js';
import { countingFiles, FakeProc } from './fake-proc.js';

const fakes: FakeProc[] = [];
afterEach(() => {
  for (const fake of fakes.splice(0)) fake.cleanUp();
});

function setUp() {
  const proc = new FakeProc();
  fakes.push(proc);
  const files = countingFiles();
  const matcher = new ProcessMatcher({ procRoot: proc.root, files, selfPid: 1 });
  const targets = staticTargets([{ service: 'worker', command_line: 'worker\\.js', labels: {} }]);
  const match = () => matcher.match(targets).get(targets[0]!);
  // As the backend does on every scrape: it read the matched processes, so the scan trusts them.
  const observeAll = (pids: readonly number[], start = 500) => pids.forEach((pid) => matcher.observed.observe(pid, start, 'node'));
  return { proc, files, matcher, match, observeAll };
}

describe('ProcessMatcher: a command_line match follows the changes of the process set', () => {
  it('hands back the same PIDs, the same array, while the processes stay the same', () => {
    const { proc, match, observeAll } = setUp();
    proc.set(100, { comm: 'node', start: 500, argv: ['node', 'worker.js'] });
    proc.set(101, { comm: 'bash', start: 500, argv: ['bash'] });
    const first = match() as readonly number[];
    expect(first).toEqual([100]);
    observeAll(first);
    expect(match()).toBe(first);
  });

  it('adds a process that starts and matches, drops one that ends, keeps the rest, in PID order', () => {
    const { proc, match, observeAll } = setUp();
    proc.set(100, { comm: 'node', start: 500, argv: ['node', 'worker.js'] });
    proc.set(102, { comm: 'node', start: 500, argv: ['node', 'worker.js', '--id=2'] });
    observeAll(match() as readonly number[]);
    // Another process comes that does not match: the set changed, the match did not.
    proc.set(103, { comm: 'sleep', start: 600, argv: ['sleep', '5'] });
    const same = match() as readonly number[];
    expect(same).toEqual([100, 102]);
    observeAll(same);
    proc.set(101, { comm: 'node', start: 600, argv: ['node', 'worker.js', '--id=1'] });
    proc.remove(100);
    const next = match() as readonly number[];
    expect(next).toEqual([101, 102]);
    observeAll(next, 600);
  });

  it('sees an exec (same PID, new comm) into a matching program once the backend or the rotation reads it again', () => {
    const { proc, matcher, match, observeAll } = setUp();
    proc.set(100, { comm: 'node', start: 500, argv: ['node', 'worker.js'] });
    proc.set(104, { comm: 'sh', start: 500, argv: ['sh', '-c', 'exec node worker.js'] });
    observeAll(match() as readonly number[]);
    proc.set(104, { comm: 'node', start: 500, argv: ['node', 'worker.js'] });
    // The backend does not read 104 (it did not match); the scanner's rotation does within REVERIFY_EVERY_SCANS scans.
    let found: readonly number[] = [];
    for (let scan = 0; scan < 40 && found.length < 2; scan++) {
      found = match() as readonly number[];
      observeAll(found);
    }
    expect(found).toEqual([100, 104]);
    expect(matcher.stale()).toBe(false);
  });

  it('drops a matched process whose PID the backend saw reused, and matches the new process afresh', () => {
    const { proc, matcher, match, observeAll } = setUp();
    proc.set(100, { comm: 'node', start: 500, argv: ['node', 'worker.js'] });
    observeAll(match() as readonly number[]);
    proc.set(100, { comm: 'node', start: 900, argv: ['node', 'other.js'] });
    matcher.observed.observe(100, 900, 'node');
    expect(matcher.stale()).toBe(true);
    expect(match()).toEqual([]);
  });
});
