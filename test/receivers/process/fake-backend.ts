import type { ProcessBackend, ProcessSample, SampleResult } from '../../../receivers/process/backend.js';
import type { ObservedProcesses } from '../../../receivers/process/selection/proc-scan.js';

/** A backend whose answers the test sets: for scraper tests without real processes. */
export class FakeBackend implements ProcessBackend {
  readonly processes = new Map<number, SampleResult>();
  /** Start ticks and comm per PID, told to `observed` on each read as the procfs backend does. */
  readonly identities = new Map<number, { startTicks: number; comm: string }>();
  observed: ObservedProcesses | undefined;
  closed = false;

  constructor(readonly creationToleranceMs = 0) {}

  set(sample: Partial<ProcessSample> & { pid: number }): void {
    this.processes.set(sample.pid, { ...procfsLikeSample(sample.pid), ...sample });
  }

  read(pids: readonly number[]): Promise<readonly SampleResult[]> {
    for (const pid of pids) {
      const identity = this.identities.get(pid);
      if (identity !== undefined) this.observed?.observe(pid, identity.startTicks, identity.comm);
      else if (!this.processes.has(pid)) this.observed?.gone(pid);
    }
    return Promise.resolve(
      pids.map((pid) => this.processes.get(pid) ?? { ok: false, pid, errorType: 'not_found', code: 'ENOENT' }),
    );
  }

  close(): void {
    this.closed = true;
  }
}

export function procfsLikeSample(pid: number): ProcessSample {
  return {
    ok: true,
    pid,
    creationTime: Date.UTC(2024, 0, 1),
    executableName: 'api',
    owner: 'svc',
    cpuUser: 3,
    cpuSystem: 1,
    cpuTotal: 4,
    memoryRss: 250,
    memoryVirtual: 4000,
    threads: 4,
    fileDescriptors: undefined,
  };
}
