/**
 * A service instance found by discovery: what a registry receiver read for one entry of its
 * registry (an etcd key, a file entry, an http_sd target). Consumers (`process`,
 * `health_check`) turn the instances they can watch into their own targets, and drop the
 * state of those that leave.
 */
export interface ServiceInstance {
  /** Unique within its source, stable while the instance lives (the etcd key after the prefix, a file entry's `id`). */
  readonly id: string;
  /** The id of the receiver that published it (`registry`, `registry/etcd`). */
  readonly source: string;
  readonly service: string;
  readonly host?: string;
  readonly port?: number;
  readonly healthUrl?: string;
  readonly pid?: number;
  readonly pidFile?: string;
  /** A regex over the command line, as `pgrep -f` matches: the process receiver's `command_line` selector. */
  readonly commandLine?: string;
  /** The executable's name: the process receiver's `executable` selector. */
  readonly executable?: string;
  readonly labels: Readonly<Record<string, string>>;
}

export type TargetSet = readonly ServiceInstance[];
