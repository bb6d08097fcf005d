/**
 * A service instance found by discovery (the registry receiver drives this later). Receivers
 * map instances they can watch onto their own targets and drop the state of those that leave.
 */
export interface ServiceInstance {
  /** Unique within the registry: stays the same while the instance lives. */
  readonly id: string;
  readonly service: string;
  readonly host?: string;
  readonly port?: number;
  readonly healthUrl?: string;
  readonly pid?: number;
  readonly pidFile?: string;
  readonly labels: Readonly<Record<string, string>>;
}

export type TargetSet = readonly ServiceInstance[];
