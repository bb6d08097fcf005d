import type { Observable } from 'rxjs';
import type { FactoryKind } from './types.js';

/**
 * A component's state as the runtime and the component itself see it:
 * - `starting`: created, its start (an exporter's or extension's) not settled yet;
 * - `running`: working;
 * - `degraded`: running, but failing at its job (a backend refusing, a registry down): it
 *   says why in `lastError` and retries on its own;
 * - `failed`: it errored and is waiting for its restart (a receiver, a processor's pipeline),
 *   or its start was refused;
 * - `stopped`: shut down (the agent is stopping, or a reload removed it).
 */
export type ComponentState = 'starting' | 'running' | 'degraded' | 'failed' | 'stopped';

export interface ComponentError {
  /** One line, bounded, secrets removed (as every log line). */
  readonly message: string;
  readonly time: number;
}

export interface ComponentStatus {
  /** The scoped id: `type[/name]`, and `pipeline/type[/name]` for a processor. */
  readonly id: string;
  readonly kind: FactoryKind;
  readonly pipeline?: string;
  readonly state: ComponentState;
  /** When it entered this state (ms since epoch, the injected clock). */
  readonly since: number;
  /** The last error it reported or the runtime saw, kept after it recovered. */
  readonly lastError?: ComponentError;
  /** How many times the runtime restarted it since the agent started. */
  readonly restarts: number;
}

/** The component-status facet: what `/healthz` and `healthpipe status` read. */
export interface ComponentStatusReader {
  /** Every configured component, ordered by kind then id. */
  list(): readonly ComponentStatus[];
  /** Each change as it happens (for server-sent events). */
  readonly changes$: Observable<ComponentStatus>;
}

/** What a component itself may say about its health (ComponentContext.status). */
export interface StatusReporter {
  /** Running but failing at its job, and why: `degraded` with this as its last error. */
  degraded(message: string): void;
  /** Working again: back to `running` (the last error is kept). */
  recovered(): void;
}
