import { Resource, SeriesSet, type AttributeValue, type Series } from '../../src/model/series.js';
import type { MetricPoint } from '../../src/model/point.js';
import type { ProcessSample, ScrapeErrorType } from './backend.js';
import { DEFAULT_ENABLED_METRICS } from './config.js';
import { PROCESS_METRICS as M, type EnabledMetrics } from './metrics.js';
import { TCP_STATES } from './sockets/tcp-table.js';
import { describeSelector, type ProcessTarget } from './targets.js';
import { cpuUtilization } from './utilization.js';

/** What the receiver knows about the machine it runs on. */
export interface HostFacts {
  readonly hostname: string;
  /** CPUs available to processes here: the divisor of CPU utilization. */
  readonly cores: number;
  /** Bytes of RAM: the divisor of memory utilization. */
  totalMemory(): number;
}

/**
 * Attributes that describe the process a single-process target watches now, not the
 * target's instance: a restart changes them, and must not change the instance's series.
 */
const VOLATILE_PROCESS_ATTRIBUTES = ['process.pid', 'process.creation.time', 'process.executable.name', 'process.owner', 'process.command_line'];

/**
 * A discovered instance's own id; for a configured single-process target, one that
 * survives restarts (`host:pid` for a fixed PID, else `host:` and the selector); for a
 * process matched among several, `host:pid`.
 */
function instanceIdOf(target: ProcessTarget, host: HostFacts, pid: number | undefined): string {
  if (target.instanceId !== undefined) return target.instanceId;
  const selector = target.selector;
  if (selector.kind === 'pid') return `${host.hostname}:${selector.pid}`;
  if (target.eachProcessIsAnInstance && pid !== undefined) return `${host.hostname}:${pid}`;
  return `${host.hostname}:${describeSelector(selector)}`;
}

function targetAttributes(target: ProcessTarget, host: HostFacts, pid: number | undefined): Record<string, AttributeValue> {
  // Labels first, so a label cannot overwrite the identifying attributes.
  const attributes: Record<string, AttributeValue> = { ...target.labels };
  attributes['service.name'] = target.service;
  attributes['service.instance.id'] = instanceIdOf(target, host, pid);
  if (pid !== undefined) attributes['process.pid'] = pid;
  return attributes;
}

function targetResource(target: ProcessTarget, attributes: Record<string, AttributeValue>): Resource {
  return new Resource(attributes, target.eachProcessIsAnInstance ? {} : { volatile: VOLATILE_PROCESS_ATTRIBUTES });
}

/**
 * The resource of a target whose process could not be read: enough to tell which target
 * failed, and for a single-process target the same identity as its readable process.
 */
export function unreadableTargetResource(target: ProcessTarget, pid: number | undefined, host: HostFacts): Resource {
  return targetResource(target, targetAttributes(target, host, pid));
}

/** The resource of one process read through `target`. */
export function processResource(target: ProcessTarget, sample: ProcessSample, host: HostFacts): Resource {
  const attributes = targetAttributes(target, host, sample.pid);
  if (sample.executableName !== undefined) attributes['process.executable.name'] = sample.executableName;
  if (sample.owner !== undefined) attributes['process.owner'] = sample.owner;
  if (sample.commandLine !== undefined) attributes['process.command_line'] = sample.commandLine;
  attributes['process.creation.time'] = new Date(sample.creationTime).toISOString();
  return targetResource(target, attributes);
}

/**
 * One process seen through one target: its resource and series, made once when the process
 * is first read and reused on every scrape, and the previous CPU reading for utilization.
 * A new PID or creation time (PID reuse, restart) means a new WatchedProcess. A metric
 * switched off has no series, and so no point.
 */
export class WatchedProcess {
  readonly resource: Resource;
  readonly pid: number;
  readonly creationTime: number;
  private readonly series: SeriesSet;
  /** user and system series where the backend splits CPU time by mode, else one total series. */
  private readonly cpuByMode: readonly [user: Series, system: Series] | undefined;
  private readonly cpuTotal: Series | undefined;
  private readonly cpuUtilization: Series | undefined;
  private readonly memoryUsage: Series | undefined;
  private readonly memoryUtilization: Series | undefined;
  private readonly uptime: Series | undefined;
  private memoryVirtual: Series | undefined;
  private threadCount: Series | undefined;
  private fileDescriptorCount: Series | undefined;
  private diskIo: readonly [read: Series, write: Series] | undefined;
  private connections: readonly Series[] | undefined;
  private previousCpu = Number.NaN;
  private previousTime = Number.NaN;

  constructor(
    target: ProcessTarget,
    sample: ProcessSample,
    host: HostFacts,
    private readonly enabled: EnabledMetrics = DEFAULT_ENABLED_METRICS,
  ) {
    this.pid = sample.pid;
    this.creationTime = sample.creationTime;
    this.resource = processResource(target, sample, host);
    this.series = new SeriesSet(this.resource);
    const byMode = sample.cpuUser !== undefined && sample.cpuSystem !== undefined;
    const cpuTime = enabled[M.cpuTime.name];
    this.cpuByMode =
      cpuTime && byMode
        ? [this.series.get(M.cpuTime, { 'cpu.mode': 'user' }), this.series.get(M.cpuTime, { 'cpu.mode': 'system' })]
        : undefined;
    this.cpuTotal = cpuTime && !byMode ? this.series.get(M.cpuTime) : undefined;
    this.cpuUtilization = enabled[M.cpuUtilization.name] ? this.series.get(M.cpuUtilization) : undefined;
    this.memoryUsage = enabled[M.memoryUsage.name] ? this.series.get(M.memoryUsage) : undefined;
    this.memoryUtilization = enabled[M.memoryUtilization.name] ? this.series.get(M.memoryUtilization) : undefined;
    this.uptime = enabled[M.uptime.name] ? this.series.get(M.uptime) : undefined;
  }

  isSameProcess(sample: ProcessSample, toleranceMs: number): boolean {
    return sample.pid === this.pid && Math.abs(sample.creationTime - this.creationTime) <= toleranceMs;
  }

  errorSeries(errorType: ScrapeErrorType): Series {
    return this.series.get(M.scrapeError, { 'error.type': errorType });
  }

  /** Appends this scrape's points to `out`; returns how many. */
  appendPoints(sample: ProcessSample, time: number, host: HostFacts, totalMemory: number, out: MetricPoint[]): number {
    const before = out.length;
    const startTime = this.creationTime;
    if (this.cpuByMode !== undefined) {
      out.push({ series: this.cpuByMode[0], value: sample.cpuUser ?? 0, time, startTime });
      out.push({ series: this.cpuByMode[1], value: sample.cpuSystem ?? 0, time, startTime });
    } else if (this.cpuTotal !== undefined) {
      out.push({ series: this.cpuTotal, value: sample.cpuTotal, time, startTime });
    }
    if (this.cpuUtilization !== undefined) {
      const utilization = cpuUtilization(sample.cpuTotal - this.previousCpu, time - this.previousTime, host.cores);
      if (utilization !== undefined) out.push({ series: this.cpuUtilization, value: utilization, time });
      this.previousCpu = sample.cpuTotal;
      this.previousTime = time;
    }

    if (this.memoryUsage !== undefined) out.push({ series: this.memoryUsage, value: sample.memoryRss, time });
    if (this.memoryUtilization !== undefined && totalMemory > 0) {
      out.push({ series: this.memoryUtilization, value: sample.memoryRss / totalMemory, time });
    }
    if (sample.memoryVirtual !== undefined && this.enabled[M.memoryVirtual.name]) {
      this.memoryVirtual ??= this.series.get(M.memoryVirtual);
      out.push({ series: this.memoryVirtual, value: sample.memoryVirtual, time });
    }
    if (sample.threads !== undefined && this.enabled[M.threadCount.name]) {
      this.threadCount ??= this.series.get(M.threadCount);
      out.push({ series: this.threadCount, value: sample.threads, time });
    }
    if (sample.fileDescriptors !== undefined && this.enabled[M.fileDescriptorCount.name]) {
      this.fileDescriptorCount ??= this.series.get(M.fileDescriptorCount);
      out.push({ series: this.fileDescriptorCount, value: sample.fileDescriptors, time });
    }
    if (sample.diskRead !== undefined && sample.diskWrite !== undefined && this.enabled[M.diskIo.name]) {
      this.diskIo ??= [this.series.get(M.diskIo, { 'disk.io.direction': 'read' }), this.series.get(M.diskIo, { 'disk.io.direction': 'write' })];
      out.push({ series: this.diskIo[0], value: sample.diskRead, time, startTime });
      out.push({ series: this.diskIo[1], value: sample.diskWrite, time, startTime });
    }
    if (sample.connections !== undefined && this.enabled[M.networkConnectionCount.name]) {
      // Every state, zeros included: a count that drops to zero must not look like a series gone silent.
      this.connections ??= TCP_STATES.map((state) => this.series.get(M.networkConnectionCount, { 'network.connection.state': state }));
      for (let i = 0; i < this.connections.length; i++) out.push({ series: this.connections[i]!, value: sample.connections[i] ?? 0, time });
    }
    if (this.uptime !== undefined) out.push({ series: this.uptime, value: Math.max(0, (time - this.creationTime) / 1000), time });
    return out.length - before;
  }
}
