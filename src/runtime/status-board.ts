import { Subject } from 'rxjs';
import type { ComponentError, ComponentState, ComponentStatus, ComponentStatusReader, StatusReporter } from '../component/status.js';
import { FACTORY_KINDS, type FactoryKind } from '../component/types.js';

const KIND_ORDER = new Map<FactoryKind, number>(FACTORY_KINDS.map((kind, index) => [kind, index]));

/** The agent's component-status facet: the runtime and the graph write it, extensions read it. */
export class ComponentStatusBoard implements ComponentStatusReader {
  private readonly statuses = new Map<string, ComponentStatus>();
  private readonly changes = new Subject<ComponentStatus>();
  readonly changes$ = this.changes.asObservable();

  constructor(
    private readonly now: () => number,
    /** Makes an error message fit to show: the runtime's blanks out the configuration's secrets. */
    private readonly clean: (message: string) => string = (message) => message,
  ) {}

  list(): readonly ComponentStatus[] {
    return [...this.statuses.values()].sort(
      (a, b) => (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0) || a.id.localeCompare(b.id),
    );
  }

  /** Moves a component to a state; an error given becomes its last error. */
  set(id: string, kind: FactoryKind, state: ComponentState, options: { pipeline?: string; error?: string } = {}): void {
    const previous = this.statuses.get(id);
    const time = this.now();
    const lastError: ComponentError | undefined =
      options.error === undefined ? previous?.lastError : { message: boundedMessage(this.clean(options.error)), time };
    if (previous !== undefined && previous.state === state && lastError === previous.lastError) return;
    this.put({
      id,
      kind,
      ...(options.pipeline === undefined ? {} : { pipeline: options.pipeline }),
      state,
      since: previous?.state === state ? previous.since : time,
      ...(lastError === undefined ? {} : { lastError }),
      restarts: previous?.restarts ?? 0,
    });
  }

  /** The runtime restarted it: counted, and running again. */
  restarted(id: string): void {
    const previous = this.statuses.get(id);
    if (previous === undefined) return;
    this.put({ ...previous, state: 'running', since: this.now(), restarts: previous.restarts + 1 });
  }

  /** A reload removed it: its last change says `stopped`, then it is no longer listed. */
  remove(id: string): void {
    const previous = this.statuses.get(id);
    if (previous === undefined) return;
    if (previous.state !== 'stopped') this.set(id, previous.kind, 'stopped', previous.pipeline === undefined ? {} : { pipeline: previous.pipeline });
    this.statuses.delete(id);
  }

  /** One component's status, by its scoped id. */
  get(id: string): ComponentStatus | undefined {
    return this.statuses.get(id);
  }

  /** What a component says of itself, through its context. */
  reporterFor(id: string, kind: FactoryKind, pipeline?: string): StatusReporter {
    const options = pipeline === undefined ? {} : { pipeline };
    return {
      degraded: (message) => this.set(id, kind, 'degraded', { ...options, error: message }),
      recovered: () => {
        if (this.statuses.get(id)?.state === 'degraded') this.set(id, kind, 'running', options);
      },
    };
  }

  close(): void {
    this.changes.complete();
  }

  private put(status: ComponentStatus): void {
    this.statuses.set(status.id, status);
    this.changes.next(status);
  }
}

/** An error shown as one line of at most this many characters (a stack or a dump is no status). */
export const MAX_STATUS_MESSAGE_LENGTH = 300;

function boundedMessage(message: string): string {
  const line = (message.split('\n')[0] ?? '').trim();
  return line.length <= MAX_STATUS_MESSAGE_LENGTH ? line : `${line.slice(0, MAX_STATUS_MESSAGE_LENGTH - 1)}…`;
}
