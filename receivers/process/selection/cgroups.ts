import { existsSync } from 'node:fs';
import { nodeProcFiles, type ProcFiles } from './proc-files.js';

/** A cgroup subtree larger than this is cut: a unit's cgroup has a handful of children, not thousands. */
export const MAX_CGROUPS_PER_TARGET = 1_000;
/** How much of the cgroup tree a unit's name is searched in when it is not under system.slice. */
export const MAX_CGROUPS_SEARCHED = 5_000;

/**
 * The cgroup v2 tree: where it is mounted (`/sys/fs/cgroup` on a unified system, its
 * `unified` directory on a hybrid one).
 */
export function cgroupV2Root(): string {
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) return '/sys/fs/cgroup';
  if (existsSync('/sys/fs/cgroup/unified/cgroup.controllers')) return '/sys/fs/cgroup/unified';
  return '/sys/fs/cgroup';
}

/**
 * The cgroup of a systemd unit, relative to the root: a slice from its name (`a-b.slice` is
 * `a.slice/a-b.slice`); any other unit under `system.slice`. A unit not there (a user's
 * unit under `user.slice/…/user@UID.service/…`) is searched for by name in the tree.
 */
export function unitCandidates(unit: string): string[] {
  if (unit.endsWith('.slice')) {
    if (unit === '-.slice') return [''];
    const parts = unit.slice(0, -'.slice'.length).split('-');
    return [parts.map((_, i) => `${parts.slice(0, i + 1).join('-')}.slice`).join('/')];
  }
  return [`system.slice/${unit}`];
}

/**
 * Finds the processes of cgroups and systemd units through the cgroup tree: the PIDs in
 * `cgroup.procs` of the cgroup and of every cgroup below it. No per-process state: the
 * kernel's list is read on every scrape, so a process that moves in or out is followed.
 */
export class CgroupProcesses {
  /** unit → where it was found; checked again before use, searched again when it is gone. */
  private readonly unitPaths = new Map<string, string>();
  private readonly buffer = Buffer.allocUnsafe(64 * 1024);

  constructor(
    private readonly root = cgroupV2Root(),
    private readonly files: ProcFiles = nodeProcFiles,
  ) {}

  /** The PIDs in the cgroup at `path` (as /proc/PID/cgroup writes it) and its sub-cgroups; [] when there is no such cgroup. */
  processesIn(path: string): number[] {
    const start = this.absolute(path);
    const pids: number[] = [];
    const queue = [start];
    for (let visited = 0; visited < queue.length && visited < MAX_CGROUPS_PER_TARGET; visited++) {
      const dir = queue[visited]!;
      if (!this.readProcs(dir, pids)) continue;
      try {
        for (const child of this.files.listDirectories(dir)) queue.push(`${dir}/${child}`);
      } catch {
        // Removed between the read and the listing: its processes are counted already.
      }
    }
    return pids;
  }

  /** The PIDs of a systemd unit; [] when the unit has no cgroup (stopped, unknown). */
  processesOfUnit(unit: string): number[] {
    const path = this.unitPath(unit);
    return path === undefined ? [] : this.processesIn(path);
  }

  /** Retained units are only those asked for at the last scrape. */
  retainUnits(units: ReadonlySet<string>): void {
    for (const unit of this.unitPaths.keys()) if (!units.has(unit)) this.unitPaths.delete(unit);
  }

  private unitPath(unit: string): string | undefined {
    const known = this.unitPaths.get(unit);
    if (known !== undefined && this.exists(known)) return known;
    const found = unitCandidates(unit).find((candidate) => this.exists(candidate)) ?? this.search(unit);
    if (found === undefined) this.unitPaths.delete(unit);
    else this.unitPaths.set(unit, found);
    return found;
  }

  /** Breadth-first, bounded: the first cgroup named `unit`, relative to the root. */
  private search(unit: string): string | undefined {
    const queue = [''];
    for (let visited = 0; visited < queue.length && visited < MAX_CGROUPS_SEARCHED; visited++) {
      const relative = queue[visited]!;
      let children: string[];
      try {
        children = this.files.listDirectories(this.absolute(relative));
      } catch {
        continue;
      }
      for (const child of children) {
        const path = relative === '' ? child : `${relative}/${child}`;
        if (child === unit) return path;
        queue.push(path);
      }
    }
    return undefined;
  }

  private exists(relative: string): boolean {
    try {
      this.files.read(`${this.absolute(relative)}/cgroup.procs`, this.buffer);
      return true;
    } catch {
      return false;
    }
  }

  private absolute(path: string): string {
    const relative = path.replace(/^\/+|\/+$/g, '');
    return relative === '' ? this.root : `${this.root}/${relative}`;
  }

  /** Adds the PIDs of one cgroup; false when it does not exist. */
  private readProcs(dir: string, into: number[]): boolean {
    let length: number;
    try {
      length = this.files.read(`${dir}/cgroup.procs`, this.buffer);
    } catch {
      return false;
    }
    let value = 0;
    let digits = 0;
    for (let i = 0; i <= length; i++) {
      const c = i < length ? this.buffer[i]! : 0x0a;
      if (c >= 0x30 && c <= 0x39) {
        value = value * 10 + (c - 0x30);
        digits++;
      } else {
        if (digits > 0 && value > 0) into.push(value);
        value = 0;
        digits = 0;
      }
    }
    return true;
  }
}
