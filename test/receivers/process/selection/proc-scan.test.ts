import { afterEach, describe, expect, it } from 'vitest';
import { executableMatches, ProcessMatcher } from '../../../../receivers/process/selection/matcher.js';
import { ProcScanner, REVERIFY_EVERY_SCANS } from '../../../../receivers/process/selection/proc-scan.js';
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
    // Nor the stat line of a process that does not match: it is read again only at its turn in the rotation.
    const reads = (pid: number) => 1 + [1, 2, 3, 4].filter((scan) => scan % REVERIFY_EVERY_SCANS === pid % REVERIFY_EVERY_SCANS).length;
    expect(files.count(`${proc.root}/101/stat`)).toBe(reads(101));
    // A matched one no backend has read since (nothing observes here) is read at every scan.
    expect(files.count(`${proc.root}/100/stat`)).toBe(5);
  });

  it('does not read a matched process again when the backend has read it since the last scan', () => {
    const proc = fakeProc();
    proc.set(102, { comm: 'node', start: 500, argv: ['node', 'worker.js'] });
    const files = countingFiles();
    const matcher = new ProcessMatcher({ procRoot: proc.root, files, selfPid: 1 });
    const targets = staticTargets([{ service: 'worker', command_line: 'worker\\.js', labels: {} }]);
    for (let i = 0; i < 5; i++) {
      expect(matcher.match(targets).get(targets[0]!)).toEqual([102]);
      matcher.observed.observe(102, 500, 'node');
    }
    const turns = [1, 2, 3, 4].filter((scan) => scan % REVERIFY_EVERY_SCANS === 102 % REVERIFY_EVERY_SCANS).length;
    expect(files.count(`${proc.root}/102/stat`)).toBe(1 + turns);
    expect(matcher.stale()).toBe(false);
  });

  it('reads the stat of each known PID again once in REVERIFY_EVERY_SCANS scans, spread over the scans', () => {
    const proc = fakeProc();
    for (let pid = 100; pid < 100 + REVERIFY_EVERY_SCANS; pid++) proc.set(pid, { comm: 'x', start: pid, argv: ['x'] });
    const files = countingFiles();
    const scanner = new ProcScanner(proc.root, files);
    scanner.scan();
    const statReads = () => [...files.reads].filter(([path]) => path.endsWith('/stat')).reduce((sum, [, count]) => sum + count, 0);
    expect(statReads()).toBe(REVERIFY_EVERY_SCANS);
    for (let scan = 1; scan <= REVERIFY_EVERY_SCANS; scan++) {
      scanner.scan();
      // One PID's turn per scan (the PIDs cover every remainder), not all of them at once.
      expect(statReads()).toBe(REVERIFY_EVERY_SCANS + scan);
    }
    for (let pid = 100; pid < 100 + REVERIFY_EVERY_SCANS; pid++) expect(files.count(`${proc.root}/${pid}/stat`)).toBe(2);
  });

  it('reads it again for a reused PID (new start time) or after an exec (new comm) once the backend saw it, and forgets a PID that left', () => {
    const proc = fakeProc();
    const files = countingFiles();
    const scanner = new ProcScanner(proc.root, files);
    proc.set(101, { comm: 'node', start: 500, argv: ['node', 'worker.js'] });
    const first = scanner.scan();
    expect(first.processes[0]!.commandLine()).toBe('node worker.js');
    expect(first.fresh.has(first.processes[0]!)).toBe(true);

    const same = scanner.scan();
    expect(same.processes[0]).toBe(first.processes[0]);
    expect(same.fresh.size).toBe(0);

    proc.set(101, { comm: 'python3', start: 900, argv: ['python3', 'job.py'] });
    // Unread until the backend's read of the PID shows another start time.
    expect(scanner.scan().processes[0]).toBe(first.processes[0]);
    scanner.observe(101, 500, 'node');
    expect(scanner.takeDropped()).toBe(false);
    scanner.observe(101, 900, 'python3');
    expect(scanner.takeDropped()).toBe(true);
    expect(scanner.takeDropped()).toBe(false);
    const reused = scanner.scan();
    expect(reused.processes[0]!.commandLine()).toBe('python3 job.py');
    expect(reused.fresh.size).toBe(1);

    // fork then exec keeps the PID and the start time; comm changes with the program.
    proc.set(101, { comm: 'sh', start: 900, argv: ['sh', '-c', 'true'] });
    scanner.observe(101, 900, 'sh');
    expect(scanner.scan().processes[0]!.commandLine()).toBe('sh -c true');
    expect(files.count(`${proc.root}/101/cmdline`)).toBe(3);

    proc.remove(101);
    expect(scanner.scan().processes).toEqual([]);
  });

  it('sees a reused PID no backend reads at its turn in the rotation, and one that left the listing and came back at once', () => {
    const proc = fakeProc();
    const scanner = new ProcScanner(proc.root);
    proc.set(103, { comm: 'node', start: 500, argv: ['node', 'worker.js'] });
    scanner.scan();
    proc.set(103, { comm: 'python3', start: 900, argv: ['python3', 'job.py'] });
    const comms: string[] = [];
    for (let scan = 0; scan < REVERIFY_EVERY_SCANS; scan++) comms.push(scanner.scan().processes[0]!.comm);
    expect(comms.indexOf('python3')).toBeGreaterThanOrEqual(0);
    expect(comms.slice(comms.indexOf('python3')).every((comm) => comm === 'python3')).toBe(true);

    proc.remove(103);
    expect(scanner.scan().processes).toEqual([]);
    proc.set(103, { comm: 'sh', start: 950, argv: ['sh'] });
    expect(scanner.scan().processes.map((entry) => entry.comm)).toEqual(['sh']);
  });

  it('hands the backend a command line it has read, for the same process only', () => {
    const proc = fakeProc();
    const scanner = new ProcScanner(proc.root);
    proc.set(104, { comm: 'node', start: 500, argv: ['node', 'worker.js'] });
    const [entry] = scanner.scan().processes;
    expect(scanner.knownCommandLine(104, 500)).toBeUndefined();
    entry!.commandLine();
    expect(scanner.knownCommandLine(104, 500)).toBe('node worker.js');
    expect(scanner.knownCommandLine(104, 501)).toBeUndefined();
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
