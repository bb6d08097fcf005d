import { afterEach, describe, expect, it } from 'vitest';
import { executableMatches, ProcessMatcher } from '../../../../receivers/process/selection/matcher.js';
import { ProcScanner } from '../../../../receivers/process/selection/proc-scan.js';
import { staticTargets } from '../../../../receivers/process/targets.js';
import { startChild, stopAllChildren } from '../children.js';
import { linux } from '../receive.js';
import { countingFiles, FakeProc } from './fake-proc.js';

const fakes: FakeProc[] = [];
function fakeProc(): FakeProc {
  const fake = new FakeProc();
  fakes.push(fake);
  return fake;
}

afterEach(async () => {
  for (const fake of fakes.splice(0)) fake.cleanUp();
  await stopAllChildren();
});

describe('ProcScanner', () => {
  it('reads a command line once per process, not on every scan', () => {
    const proc = fakeProc();
    proc.set(100, { comm: 'node', start: 500, argv: ['node', 'worker.js'] });
    proc.set(101, { comm: 'nginx', start: 501, argv: ['nginx: worker process'] });
    const files = countingFiles();
    const matcher = new ProcessMatcher({ procRoot: proc.root, files, selfPid: 1 });
    const targets = staticTargets([{ service: 'worker', command_line: 'worker\\.js', labels: {} }]);

    for (let i = 0; i < 5; i++) expect(matcher.match(targets).get(targets[0]!)).toEqual([100]);
    expect(files.count(`${proc.root}/100/cmdline`)).toBe(1);
    expect(files.count(`${proc.root}/101/cmdline`)).toBe(1);
    // The stat line (comm and start time) is the one read per process and scan.
    expect(files.count(`${proc.root}/100/stat`)).toBe(5);
  });

  it('reads it again for a reused PID (new start time) and after an exec (new comm), and forgets a PID that left', () => {
    const proc = fakeProc();
    const files = countingFiles();
    const scanner = new ProcScanner(proc.root, files);
    proc.set(100, { comm: 'node', start: 500, argv: ['node', 'worker.js'] });
    const first = scanner.scan();
    expect(first.processes[0]!.commandLine()).toBe('node worker.js');
    expect(first.fresh.has(first.processes[0]!)).toBe(true);

    const same = scanner.scan();
    expect(same.processes[0]).toBe(first.processes[0]);
    expect(same.fresh.size).toBe(0);

    proc.set(100, { comm: 'python3', start: 900, argv: ['python3', 'job.py'] });
    const reused = scanner.scan();
    expect(reused.processes[0]!.commandLine()).toBe('python3 job.py');
    expect(reused.fresh.size).toBe(1);

    // fork then exec keeps the PID and the start time; comm changes with the program.
    proc.set(100, { comm: 'sh', start: 900, argv: ['sh', '-c', 'true'] });
    expect(scanner.scan().processes[0]!.commandLine()).toBe('sh -c true');
    expect(files.count(`${proc.root}/100/cmdline`)).toBe(3);

    proc.remove(100);
    expect(scanner.scan().processes).toEqual([]);
  });

  it('leaves out zombies and entries that are not processes', () => {
    const proc = fakeProc();
    proc.set(100, { comm: 'dead', start: 500, argv: [], state: 'Z' });
    proc.set(101, { comm: 'live', start: 501, argv: ['live'] });
    const scan = new ProcScanner(proc.root).scan();
    expect(scan.processes.map((entry) => entry.pid)).toEqual([101]);
  });

  it('matches a name longer than comm holds on argv[0] or the executable', () => {
    const proc = fakeProc();
    proc.set(100, { comm: 'healthpipe-long', start: 1, argv: ['/opt/bin/healthpipe-long-worker', '--x'] });
    proc.set(101, { comm: 'healthpipe-long', start: 2, argv: ['renamed'], exe: '/opt/bin/healthpipe-long-worker' });
    proc.set(102, { comm: 'healthpipe-long', start: 3, argv: ['healthpipe-long-other'], exe: '/opt/bin/healthpipe-long-other' });
    const entries = new ProcScanner(proc.root).scan().processes;
    expect(entries.filter((entry) => executableMatches(entry, 'healthpipe-long-worker')).map((entry) => entry.pid)).toEqual([100, 101]);
    // A name that fits comm is compared with comm alone.
    expect(entries.filter((entry) => executableMatches(entry, 'healthpipe-long')).map((entry) => entry.pid)).toEqual([100, 101, 102]);
  });
});

describe.runIf(linux)('ProcScanner on the real /proc', () => {
  it('sees a spawned process with its comm and command line, and reads the line once across scans', async () => {
    const pid = await startChild();
    const files = countingFiles();
    const scanner = new ProcScanner('/proc', files);
    for (let i = 0; i < 3; i++) {
      const entry = scanner.scan().processes.find((candidate) => candidate.pid === pid);
      expect(entry?.commandLine()).toBe(`${process.execPath} -e setInterval(() => {}, 1000)`);
    }
    expect(files.count(`/proc/${pid}/cmdline`)).toBe(1);
  });
});
